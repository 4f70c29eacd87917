// Encoding a whole collection with a sentence encoder (the passage index of dense retrieval, Margin-MSE Table E at
// the paper's scale: 8.8M passages), streamed and in shards.
//
// The collection (`Corpus.MappedCollection`, `pid<TAB>text`) is read in blocks of `blockSize` passages in pid order;
// each block is cut into word pieces, encoded in batches sorted by length (`SentenceEncoder.embed`) and written in pid
// order, so memory holds one block. Shard I of N takes blocks ⌊I·K/N⌋ ..< ⌊(I+1)·K/N⌋ of the K blocks: every block
// is encoded exactly as the unsharded run encodes it, and the shards' files concatenated in order are the unsharded
// files byte for byte. Output: `FILE` holds the rows as little-endian float32 (n × d, no header), `FILE.ids` the pids,
// one per line, and `FILE.shard.json` the shard's record (`ShardRecord`: rows counted in passages); `merge` checks the
// records and concatenates. A shard is days of work for a large encoder, so it resumes (`ResumableOutput`: rows and
// ids grow in `FILE.partial` and `FILE.ids.partial` with a progress record every half minute).
// Leaves out: float16 output (the paper's 12.7 GB index is fp16), nearest-neighbour search structures.

import Foundation
import Corpus
import Student
import Training

public enum CollectionEncoding {
    /// Passages per block (the unit of sharding; the same for every shard of one run).
    public static let defaultBlockSize = 4096

    /// The passages (positions in pid order) of `shard` among `count`, cut at block boundaries.
    public static func range(_ count: Int, shard: Shard, blockSize: Int) -> Range<Int> {
        shard.range(items: count, batchSize: blockSize)
    }

    public static func idsFile(of file: URL) -> URL { file.deletingLastPathComponent().appendingPathComponent(file.lastPathComponent + ".ids") }

    /// Encodes the passages of `shard` with `encoder` and writes `out`, `out.ids` and the shard record (partial
    /// files, then rename; a stopped shard resumes, see the file comment). `tokenize` gives a text's ids with [CLS]
    /// and [SEP], cut to the model's length. `progress(done, total)` is called after each block, resumed passages
    /// included. Returns the rows written.
    @discardableResult
    public static func encode(_ collection: MappedCollection, with encoder: SentenceEncoder, model: String,
                              tokenize: (String) -> [Int], shard: Shard = Shard(index: 0, count: 1)!,
                              blockSize: Int = defaultBlockSize, batchSize: Int = 32, to out: URL,
                              checkpointSeconds: Double = 30, progress: ((Int, Int) throws -> Void)? = nil) throws -> Int {
        try encode(collection, dimension: encoder.dimension, model: model, tokenize: tokenize,
                   embed: { encoder.embed(ids: $0, batchSize: batchSize) }, shard: shard, blockSize: blockSize,
                   to: out, checkpointSeconds: checkpointSeconds, progress: progress)
    }

    /// `encode` with any encoder: `embed` turns a block's token-id lists into one vector of `dimension` floats each,
    /// in order (a BERT_DOT student's passage side, for dense retrieval at full scale).
    @discardableResult
    public static func encode(_ collection: MappedCollection, dimension: Int, model: String,
                              tokenize: (String) -> [Int], embed: ([[Int]]) -> [[Float]],
                              shard: Shard = Shard(index: 0, count: 1)!, blockSize: Int = defaultBlockSize,
                              to out: URL, checkpointSeconds: Double = 30,
                              progress: ((Int, Int) throws -> Void)? = nil) throws -> Int {
        precondition(blockSize >= 1, "block size \(blockSize)")
        let range = range(collection.count, shard: shard, blockSize: blockSize)
        let fingerprint = stableHash(Array("\(collection.count)|\(blockSize)|\(model)|\(dimension)".utf8))
        let record = ShardRecord(shard: shard.index, of: shard.count, first: range.lowerBound, rows: range.count,
                                 total: collection.count, fingerprint: fingerprint)
        let output = try ResumableOutput([out, idsFile(of: out)], record: record, checkpointSeconds: checkpointSeconds)
        var start = range.lowerBound + output.resumedUnits
        while start < range.upperBound {
            let end = min(range.upperBound, start + blockSize)
            var pids: [Int] = [], texts: [[Int]] = []
            for i in start..<end {
                let (pid, text) = collection.entry(at: i)
                pids.append(pid); texts.append(tokenize(text))
            }
            var data = Data(capacity: (end - start) * dimension * 4)
            let vectors = embed(texts)
            precondition(vectors.count == texts.count && vectors.allSatisfy { $0.count == dimension },
                         "CollectionEncoding.encode: embed gave \(vectors.count) vectors for \(texts.count) texts")
            for e in vectors {
                e.withUnsafeBufferPointer { b in
                    for v in b { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
                }
            }
            try output.write(data, to: 0)
            try output.write(Data(pids.map { "\($0)\n" }.joined().utf8), to: 1)
            try output.boundary(units: end - range.lowerBound)
            try progress?(end - range.lowerBound, range.count)
            start = end
        }
        try output.finish()
        return range.count
    }

    /// Checks the shard files (any order) and writes their rows and ids, in shard order, to `out` and `out.ids`.
    /// Returns the rows.
    @discardableResult
    public static func merge(_ files: [URL], to out: URL) throws -> Int {
        let ordered = try ShardRecord.ordered(files, writtenBy: "reproduce encode --collection … --shard I/N", unit: "passages")
        var rowBytes: Int?
        for (f, r) in ordered {
            let size = ((try? FileManager.default.attributesOfItem(atPath: f.path))?[.size] as? NSNumber)?.intValue ?? -1
            let lines = (try? String(contentsOf: idsFile(of: f), encoding: .utf8))?.split(separator: "\n").count ?? -1
            guard lines == r.rows else {
                throw ShardMergeError("\(idsFile(of: f).path) lists \(lines) passages, its record says \(r.rows)")
            }
            guard r.rows == 0 || (size % r.rows == 0 && (rowBytes == nil || size / r.rows == rowBytes)) else {
                throw ShardMergeError("\(f.path): \(size) bytes is not \(r.rows) rows of one width")
            }
            if r.rows > 0 { rowBytes = size / r.rows }
        }
        for (target, source) in [(out, { (f: URL) in f }), (idsFile(of: out), idsFile(of:))] {
            let tmp = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).merging")
            FileManager.default.createFile(atPath: tmp.path, contents: nil)
            guard let h = FileHandle(forWritingAtPath: tmp.path) else { throw ShardMergeError("\(tmp.path): cannot create") }
            do {
                for (f, _) in ordered {   // 8 MiB at a time: a shard of the 8.8M-passage index is gigabytes
                    guard let r = FileHandle(forReadingAtPath: source(f).path) else { throw ShardMergeError("\(source(f).path): cannot open") }
                    defer { try? r.close() }
                    while let chunk = try r.read(upToCount: 8 << 20), !chunk.isEmpty { try h.write(contentsOf: chunk) }
                }
                try h.close()
                try moveIntoPlace(tmp, to: target)
            } catch {
                try? h.close(); try? FileManager.default.removeItem(at: tmp)
                throw error
            }
        }
        return ordered[0].1.total
    }
}
