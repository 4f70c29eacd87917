// `reproduce encode`: sentence embeddings of texts on standard input with a sentence-transformers model folder
// (all-MiniLM-L6-v2 or a distilled student), one tab-separated line of floats per input line. The output is what
// `reproduce pca fit --input` reads.

import Foundation
import Student
import Vocab

public struct EncodeCommand: Command {
    public init() {}
    public let path = ["encode"]
    public let summary = "Print sentence embeddings for texts on standard input"
    public let usage = """
        Usage: reproduce encode --model DIR [--max-length N] [--batch-size N]

        Reads texts from standard input, one per line, and prints one embedding per line (tab-separated floats,
        as the model outputs them: for all-MiniLM-L6-v2, mean pooling then L2 normalisation, 384 values).
        DIR is a sentence-transformers folder (config.json, model.safetensors, vocab.txt, modules.json, 1_Pooling).
        Equal to sentence-transformers on PyTorch to about 1e-7 (see Docs/Student.md).
        """
    public let options: [OptionSpec] = [
        .option("model", value: "DIR", help: "sentence-transformers model folder"),
        .option("max-length", value: "N", help: "Cut inputs to N word pieces, [CLS] and [SEP] included (default: the model's max_seq_length)", rule: .int(2...Int.max)),
        .option("batch-size", value: "N", help: "Texts per forward pass", default: "32", rule: .int(atLeast: 1)),
    ]

    public func run(_ args: ParsedArguments, console: Console) throws {
        let name = "reproduce encode"
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
