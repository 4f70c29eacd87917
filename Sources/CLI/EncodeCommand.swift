// `reproduce encode`: sentence embeddings of texts on standard input with a sentence-transformers model folder
// (all-MiniLM-L6-v2 or a distilled student), one tab-separated line of floats per input line. The output is what
// `reproduce pca fit --input` reads.

import Foundation
import Corpus
import MarginMSE
import Student
import Vocab

public struct EncodeCommand: Command {
    public init() {}
    public let path = ["encode"]
    public let summary = "Print sentence embeddings for texts on standard input"
    public let usage = """
        Usage: reproduce encode --model DIR [--max-length N] [--batch-size N]
               reproduce encode --model DIR --collection FILE --out FILE [--shard I/N] [--block-size N]
               reproduce encode --merge FILE --merge FILE [...] --out FILE

        Reads texts from standard input, one per line, and prints one embedding per line (tab-separated floats,
        as the model outputs them: for all-MiniLM-L6-v2, mean pooling then L2 normalisation, 384 values).
        DIR is a sentence-transformers folder (config.json, model.safetensors, vocab.txt, modules.json, 1_Pooling).
        Equal to sentence-transformers on PyTorch to about 1e-7 (see Docs/Student.md).

        With --collection (pid<TAB>text, e.g. MS MARCO's collection.tsv, read through a memory map), encodes every
        passage in pid order, a block of --block-size passages at a time, and writes FILE (float32 rows, little-
        endian, no header) and FILE.ids (the pids, one per line). With --shard I/N, only shard I of N (whole blocks)
        and FILE.shard.json beside it: run the shards on as many machines as you have, then --merge checks that every
        shard of one run is there once and writes the unsharded files byte for byte. A stopped run resumes: the
        files grow as FILE.partial and FILE.ids.partial with a progress record (FILE.progress) every 30 s, and the
        same command started again goes on from the last record.
        """
    public let options: [OptionSpec] = [
        .option("model", value: "DIR", help: "sentence-transformers model folder"),
        .option("max-length", value: "N", help: "Cut inputs to N word pieces, [CLS] and [SEP] included (default: the model's max_seq_length)", rule: .int(2...Int.max)),
        .option("batch-size", value: "N", help: "Texts per forward pass", default: "32", rule: .int(atLeast: 1)),
        .option("collection", value: "FILE", help: "Encode this pid<TAB>text collection into --out (instead of standard input)"),
        .option("out", value: "FILE", help: "With --collection or --merge: the float32 rows (FILE) and pids (FILE.ids)"),
        .option("shard", value: "I/N", help: "With --collection: only shard I of N (0 ≤ I < N)"),
        .option("block-size", value: "N", help: "With --collection: passages per block (the unit of shards)",
                default: "\(CollectionEncoding.defaultBlockSize)", rule: .int(atLeast: 1)),
        .option("merge", value: "FILE", help: "A shard's output to merge (repeat for every shard)", repeats: true),
    ]

    public func run(_ args: ParsedArguments, console: Console) throws {
        let name = "reproduce encode"
        if !args.strings("merge").isEmpty {
            let out = URL(fileURLWithPath: try args.required("out", command: name))
            do { try checkOutputFile(out.path) } catch { throw CLIError("\(name): \(error)") }
            do {
                let n = try CollectionEncoding.merge(args.strings("merge").map { URL(fileURLWithPath: $0) }, to: out)
                console.out("Merged \(args.strings("merge").count) shards: \(n) passages in \(out.path) and \(out.path).ids\n")
            } catch { throw CLIError("\(name): \(error)", kind: .failure) }
            return
        }
        let dir = URL(fileURLWithPath: try args.required("model", command: name))
        let model: SentenceEncoder, tokenizer: BertTokenizer
        do {
            model = try SentenceEncoder.load(dir)
            tokenizer = try BertTokenizer(vocabFile: dir.appendingPathComponent("vocab.txt").path)
        } catch { throw CLIError("\(name): cannot load the model in \(dir.path): \(error)", kind: .failure) }
        let maxLength = try args.int("max-length") ?? model.maxSeqLength
        let positions = model.encoder.config.maxPositionEmbeddings
        guard maxLength <= positions else {
            throw CLIError("\(name): --max-length \(maxLength) exceeds the model's \(positions) positions (\(dir.path)/config.json)")
        }
        let batch = try args.int(defaulted: "batch-size")
        try checkVocabularyFits(tokenizer, rows: model.encoder.config.vocabSize, vocab: dir.appendingPathComponent("vocab.txt").path,
                                model: dir.path, command: name)
        if let collectionPath = args.string("collection") {
            let out = URL(fileURLWithPath: try args.required("out", command: name))
            var shard = Shard(index: 0, count: 1)!
            if let text = args.string("shard") {
                guard let s = Shard(parsing: text) else {
                    throw CLIError("\(name): --shard expects I/N with 0 ≤ I < N (e.g. 0/4), got '\(text)'")
                }
                shard = s
            }
            do { try checkOutputFile(out.path) } catch { throw CLIError("\(name): \(error)") }
            let collection: MappedCollection
            do { collection = try MappedCollection(path: collectionPath) } catch { throw CLIError("\(name): \(error)", kind: .failure) }
            // The rate counts this session's passages only (a resumed shard reports the earlier ones as done).
            var started = Date(), base: Int?
            let rows = try CollectionEncoding.encode(
                collection, with: model, model: dir.path, tokenize: { tokenizer.encode($0, maxLength: maxLength).ids.map(Int.init) },
                shard: shard, blockSize: try args.int(defaulted: "block-size"), batchSize: batch, to: out,
                progress: { done, total in
                    if base == nil { base = done; started = Date(); console.err("encode: \(done)/\(total) passages\n"); return }
                    let rate = Double(done - base!) / max(1e-9, Date().timeIntervalSince(started))
                    console.err(String(format: "encode: %d/%d passages, %.0f/s, about %.0f min left\n", done, total, rate,
                                       Double(total - done) / max(rate, 1e-9) / 60))
                })
            console.out("Encoded \(rows) passages (shard \(shard.index)/\(shard.count)) into \(out.path) and \(out.path).ids\n")
            return
        }
        let texts = Array(console.stdinLines())
        let ids = texts.map { tokenizer.encode($0, maxLength: maxLength).ids.map(Int.init) }
        var buffer = ""
        for e in model.embed(ids: ids, batchSize: batch) {
            buffer += e.map { String($0) }.joined(separator: "\t") + "\n"
            if buffer.utf8.count > 1 << 16 { console.out(buffer); buffer = "" }
        }
        console.out(buffer)
    }
}
