// `bench collection`: the full-scale data path's memory and speed without the data. Generates a synthetic
// collection in MS MARCO's `collection.tsv` format — 8,841,823 passages by default, ~330 bytes of text each, as the
// real one — then reports: the time to build the offset index (one checked pass over the file), the index's size, the
// process's memory after each phase (anonymous memory, i.e. what the process allocated, and file-backed pages of the
// mapping, which are the kernel's page cache), reopening with the kept index, random lookups per second and a
// sequential pass. No peer: the Python stacks read the collection into a dict of strings (several GiB), which is the
// thing this path avoids.
// Then the training stream (a 40M-row teacher-score file over 808,731 queries: batches of 32 formed with their texts,
// and a resume's seek) and the re-ranking input (a top-1000 file of 6,980 × 1,000 lines: index build, size, reads).
// Options: --passages N, --triples N, --dir DIR (where the ~7 GB of files go; default the temporary directory), --keep.
import Foundation
import Corpus
import Eval
import MarginMSE
import Vocab

func benchCollection(_ ctx: BenchContext) throws {
    let n = ctx.option("passages").flatMap(Int.init) ?? (ctx.quick ? 1_000_000 : 8_841_823)
    let dir = ctx.option("dir") ?? NSTemporaryDirectory()
    let path = (dir as NSString).appendingPathComponent("bench-collection-\(getpid()).tsv")
    let index = path + ".index"
    defer {
        if !ctx.flag("keep") {
            try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: index)
        }
    }
    // Text: words drawn by a fixed LCG from a small list, ~330 bytes per passage.
    let words = ["the", "passage", "of", "retrieval", "ranking", "model", "query", "neural", "and", "a", "to", "in",
                 "distillation", "margin", "student", "teacher", "efficient", "collection", "index", "score"]
    var state: UInt64 = 0x5DEECE66D
    func nextWord() -> String { state = state &* 6_364_136_223_846_793_005 &+ 1; return words[Int(state >> 59) % words.count] }
    let writeStart = Date()
    FileManager.default.createFile(atPath: path, contents: nil)
    let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    var chunk = ""
    chunk.reserveCapacity(1 << 21)
    for pid in 0..<n {
        chunk += String(pid); chunk += "\t"
        var length = 0
        while length < 320 { let w = nextWord(); chunk += w; chunk += " "; length += w.utf8.count + 1 }
        chunk += "end.\n"
        if chunk.utf8.count > 1 << 20 { try h.write(contentsOf: Data(chunk.utf8)); chunk.removeAll(keepingCapacity: true) }
    }
    try h.write(contentsOf: Data(chunk.utf8)); try h.close()
    let bytes = Measurement.sizeOnDisk(path)
    print("wrote \(n) passages, \(String(format: "%.2f", Double(bytes) / 1_073_741_824)) GiB, in \(String(format: "%.0f", Date().timeIntervalSince(writeStart))) s: \(path)")
    let mib = { (x: Int) in Double(x) / 1_048_576 }
    let before = residentBytes()

    let buildStart = Date()
    let built = try MappedCollection(path: path, indexPath: index)
    let buildSeconds = Date().timeIntervalSince(buildStart)
    let afterBuild = residentBytes()
    ctx.record(BenchRow(case: "index build, \(n / 1000)k passages", swift: buildSeconds, peer: nil, peerName: nil,
                        unit: "s", higherIsBetter: false, threads: 1))
    ctx.record(BenchRow(case: "index size", swift: mib(built.indexBytes), peer: nil, peerName: nil, unit: "MiB",
                        higherIsBetter: false, threads: 1))
    ctx.record(BenchRow(case: "anonymous memory after the build", swift: mib(afterBuild.anonymous - before.anonymous),
                        peer: nil, peerName: nil, unit: "MiB", higherIsBetter: false, threads: 1))

    let openStart = Date()
    let c = try MappedCollection(path: path, indexPath: index)
    let openSeconds = Date().timeIntervalSince(openStart)
    ctx.record(BenchRow(case: "open with the kept index", swift: openSeconds * 1000, peer: nil, peerName: nil, unit: "ms",
                        higherIsBetter: false, threads: 1))
    var rng = state
    var total = 0
    let lookups = ctx.quick ? 200_000 : 1_000_000
    let lookupStart = Date()
    for _ in 0..<lookups {
        rng = rng &* 6_364_136_223_846_793_005 &+ 1442695040888963407
        total &+= c.text(Int(rng >> 33) % n)?.utf8.count ?? 0
    }
    let lookupSeconds = Date().timeIntervalSince(lookupStart)
    ctx.record(BenchRow(case: "random lookups (text as String)", swift: Double(lookups) / lookupSeconds / 1e3, peer: nil,
                        peerName: nil, unit: "k/s", higherIsBetter: true, threads: 1))
    var scanned = 0
    let scanStart = Date()
    c.forEach { _, text in scanned &+= text.count }
    let scanSeconds = Date().timeIntervalSince(scanStart)
    ctx.record(BenchRow(case: "sequential pass over every passage", swift: Double(scanned) / scanSeconds / 1e6, peer: nil,
                        peerName: nil, unit: "MB/s", higherIsBetter: true, threads: 1))
    let after = residentBytes()
    ctx.record(BenchRow(case: "anonymous memory at the end", swift: mib(after.anonymous - before.anonymous), peer: nil,
                        peerName: nil, unit: "MiB", higherIsBetter: false, threads: 1))
    ctx.record(BenchRow(case: "file-backed resident pages at the end", swift: mib(after.file), peer: nil, peerName: nil,
                        unit: "MiB", higherIsBetter: false, threads: 1))
    print("checksum \(total) \(scanned); the file-backed pages are the kernel's page cache of the mapping (reclaimable), "
          + "the anonymous memory is the process's own")
    _ = built
    try benchTrainingStream(ctx, collection: c, dir: dir, nextWord: nextWord, mib: mib, before: before)
    try benchCandidateFile(ctx, dir: dir, nextWord: nextWord, mib: mib)
}

/// The training stream at full size: a score file of 40M rows (4M with --quick; `--triples N`) over 808,731 training
/// queries and the collection `c`; batches of 32 formed as training forms them (rows read in order, query and
/// passages looked up, word pieces cut when a vocabulary is at hand); and the cost of a resume's seek to the last row.
func benchTrainingStream(_ ctx: BenchContext, collection c: MappedCollection, dir: String, nextWord: () -> String,
                         mib: (Int) -> Double, before: (anonymous: Int, file: Int)) throws {
    let rows = ctx.option("triples").flatMap(Int.init) ?? (ctx.quick ? 4_000_000 : 40_000_000)
    let queryCount = 808_731
    let queries = (dir as NSString).appendingPathComponent("bench-queries-\(getpid()).tsv")
    let scores = (dir as NSString).appendingPathComponent("bench-scores-\(getpid()).tsv")
    defer {
        if !ctx.flag("keep") {
            for f in [queries, scores, queries + ".index"] { try? FileManager.default.removeItem(atPath: f) }
        }
    }
    var text = ""
    text.reserveCapacity(1 << 21)
    FileManager.default.createFile(atPath: queries, contents: nil)
    var h = try FileHandle(forWritingTo: URL(fileURLWithPath: queries))
    for i in 0..<queryCount {   // MS MARCO's qids are not dense: every third number here
        text += "\(3 * i + 1)\t\(nextWord()) \(nextWord()) \(nextWord()) \(nextWord()) \(nextWord())?\n"
        if text.utf8.count > 1 << 20 { try h.write(contentsOf: Data(text.utf8)); text.removeAll(keepingCapacity: true) }
    }
    try h.write(contentsOf: Data(text.utf8)); try h.close(); text.removeAll(keepingCapacity: true)
    FileManager.default.createFile(atPath: scores, contents: nil)
    h = try FileHandle(forWritingTo: URL(fileURLWithPath: scores))
    var state: UInt64 = 0x2545F4914F6CDD1D
    func next(_ n: Int) -> Int { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return Int(state >> 33) % n }
    let writeStart = Date()
    for _ in 0..<rows {
        text += "\(Double(next(20_000)) / 1000)\t\(Double(next(20_000)) / 1000 - 10)\t\(3 * next(queryCount) + 1)\t\(next(c.count))\t\(next(c.count))\n"
        if text.utf8.count > 1 << 20 { try h.write(contentsOf: Data(text.utf8)); text.removeAll(keepingCapacity: true) }
    }
    try h.write(contentsOf: Data(text.utf8)); try h.close()
    print("wrote a \(rows)-row teacher-score file (\(String(format: "%.2f", Double(Measurement.sizeOnDisk(scores)) / 1_073_741_824)) GiB) in \(String(format: "%.0f", Date().timeIntervalSince(writeStart))) s")

    let q = try MappedCollection(path: queries, indexPath: queries + ".index")
    let vocab = sharedDirectory() + "/models/all-MiniLM-L6-v2/vocab.txt"
    let tokenizer = FileManager.default.fileExists(atPath: vocab) ? try BertTokenizer(vocabFile: vocab) : nil
    let stream = try StreamedTriples(scoreFile: scores, queries: q, passages: c, batchSize: 32,
                                     tokenize: { t in tokenizer.map { $0.tokenize(t).map(Int.init) } ?? [t.utf8.count] })
    let batches = ctx.quick ? 500 : 2000
    let streamStart = Date()
    var pieces = 0
    for i in 0..<batches { let b = try stream.batch(i); pieces &+= b.positives.reduce(0) { $0 + $1.passage.count } }
    let streamSeconds = Date().timeIntervalSince(streamStart)
    ctx.record(BenchRow(case: "training triples formed" + (tokenizer == nil ? " (untokenised)" : ""),
                        swift: Double(batches * 32) / streamSeconds, peer: nil, peerName: nil, unit: "triples/s",
                        higherIsBetter: true, threads: 1))
    let seekStart = Date()
    try stream.scores.seek(toRow: rows - 1)
    let seekSeconds = Date().timeIntervalSince(seekStart)
    ctx.record(BenchRow(case: "resume: seek to the last row", swift: seekSeconds, peer: nil, peerName: nil, unit: "s",
                        higherIsBetter: false, threads: 1))
    let after = residentBytes()
    ctx.record(BenchRow(case: "anonymous memory, stream open", swift: mib(after.anonymous - before.anonymous), peer: nil,
                        peerName: nil, unit: "MiB", higherIsBetter: false, threads: 1))
    print("checksum \(pieces)")
}

/// Re-ranking's input at full size: a top-1000 file of 6,980 queries (1,000 with --quick) × 1,000 candidates with
/// text, indexed by query; the index's size and build time, and the time to read one query's candidates.
func benchCandidateFile(_ ctx: BenchContext, dir: String, nextWord: () -> String, mib: (Int) -> Double) throws {
    let queries = ctx.quick ? 1_000 : 6_980, depth = 1_000
    let path = (dir as NSString).appendingPathComponent("bench-top1000-\(getpid()).tsv")
    defer { if !ctx.flag("keep") { try? FileManager.default.removeItem(atPath: path) } }
    var passages: [String] = []
    for _ in 0..<4096 { passages.append((0..<55).map { _ in nextWord() }.joined(separator: " ")) }
    let queryTexts = (0..<queries).map { q in "query \(q) \(nextWord()) \(nextWord())" }
    FileManager.default.createFile(atPath: path, contents: nil)
    let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    var text = ""
    text.reserveCapacity(1 << 21)
    for k in 0..<depth {   // the lines of a query spread over the file, as nothing promises them together
        for q in 0..<queries {
            text += "\(2 * q + 5)\t\((q * 7919 + k) % 8_841_823)\t\(queryTexts[q])\t\(passages[(q + k) % passages.count])\n"
            if text.utf8.count > 1 << 20 { try h.write(contentsOf: Data(text.utf8)); text.removeAll(keepingCapacity: true) }
        }
    }
    try h.write(contentsOf: Data(text.utf8)); try h.close()
    let before = residentBytes()
    let start = Date()
    let file = try CandidateFile(path: path)
    let build = Date().timeIntervalSince(start)
    ctx.record(BenchRow(case: "top-1000 index build", swift: build, peer: nil,
                        peerName: nil, unit: "s", higherIsBetter: false, threads: 1))
    print("top-1000 file: \(queries) queries × \(depth) candidates, \(String(format: "%.2f", Double(Measurement.sizeOnDisk(path)) / 1_073_741_824)) GiB")
    ctx.record(BenchRow(case: "top-1000 index size", swift: mib(file.indexBytes), peer: nil, peerName: nil, unit: "MiB",
                        higherIsBetter: false, threads: 1))
    ctx.record(BenchRow(case: "anonymous memory, top-1000 index", swift: mib(residentBytes().anonymous - before.anonymous),
                        peer: nil, peerName: nil, unit: "MiB", higherIsBetter: false, threads: 1))
    let readStart = Date()
    var chars = 0
    for i in 0..<min(200, file.queryIDs.count) { chars &+= file.query(at: i).candidates.reduce(0) { $0 + $1.text.utf8.count } }
    ctx.record(BenchRow(case: "read one query's 1,000 candidates", swift: Date().timeIntervalSince(readStart) / Double(min(200, file.queryIDs.count)) * 1000,
                        peer: nil, peerName: nil, unit: "ms", higherIsBetter: false, threads: 1))
    print("checksum \(chars)")
}

/// The process's resident anonymous and file-backed bytes now (Linux /proc/self/status; zeros elsewhere).
func residentBytes() -> (anonymous: Int, file: Int) {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
    func field(_ name: String) -> Int {
        guard let line = s.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
              let kb = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return 0 }
        return kb * 1024
    }
    return (field("RssAnon"), field("RssFile"))
}
