// `bench vocab`: the tokenizer and the vocabulary trainer against Hugging Face `tokenizers` (Rust, via Python),
// both single-threaded, on the TREC DL 2019 passages (../shared/data). Cases:
//   encode: every passage → ids (normalise, pre-tokenise, WordPiece, [CLS]/[SEP]); passages per second. The peer
//           times one `encode_batch_fast` call over all passages, so Python overhead is one call, not one per text.
//   train:  an 8,000-token WordPiece vocabulary from the raw passages (word counting included); seconds.
import Foundation
import Vocab

func benchVocab(_ ctx: BenchContext) throws {
    let root = sharedDirectory()
    let collection = root + "/data/msmarco-passage-trec-dl/dl19/collection.tsv"
    let vocabPath = root + "/models/all-MiniLM-L6-v2/vocab.txt"
    guard let data = FileManager.default.contents(atPath: collection) else {
        throw BenchError("bench vocab needs \(collection)")
    }
    let texts: [String] = String(decoding: data, as: UTF8.self).unicodeScalars.split(separator: "\n").compactMap { l in
        guard let tab = l.firstIndex(of: "\t") else { return nil }
        return String(String.UnicodeScalarView(l[l.index(after: tab)...]))
    }
    let tokenizer = try BertTokenizer(vocabFile: vocabPath)
    let rounds = ctx.quick ? 3 : 7

    var ids = 0
    let encodeSeconds = measure(warmup: 1, minRounds: rounds, minTime: 0) {
        ids = 0
        for t in texts { ids += tokenizer.encode(t).ids.count }
    }
    let peer = try runPeer("vocab.py", [vocabPath, collection, String(rounds)],
                           environment: ["RAYON_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false"]) as? [String: Any]
    let peerEncode = peer?["encode_seconds"] as? Double
    let peerIDs = peer?["ids"] as? Int
    if let peerIDs, peerIDs != ids { throw BenchError("ids differ: Swift \(ids), HF \(peerIDs)") }
    ctx.record(BenchRow(case: "encode DL19 passages (\(texts.count))", swift: Double(texts.count) / encodeSeconds,
                        peer: peerEncode.map { Double(texts.count) / $0 }, peerName: "HF tokenizers",
                        unit: "passages/s", higherIsBetter: true, threads: 1))

    var size = 0
    let trainSeconds = measure(warmup: 0, minRounds: max(1, rounds / 2), minTime: 0) {
        size = (try? WordPieceTrainer.train(texts: texts, config: .init(vocabSize: 8000)))?.count ?? 0
    }
    guard size == 8000 else { throw BenchError("trained \(size) tokens, expected 8000") }
    ctx.record(BenchRow(case: "train 8k vocab on DL19 passages", swift: trainSeconds,
                        peer: peer?["train_seconds"] as? Double, peerName: "HF tokenizers", unit: "s",
                        higherIsBetter: false, threads: 1))
}
