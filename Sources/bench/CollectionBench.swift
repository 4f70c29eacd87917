// `bench collection`: the full-scale data path's memory and speed without the data. Generates a synthetic
// collection in MS MARCO's `collection.tsv` format — 8,841,823 passages by default, ~330 bytes of text each, as the
// real one — then reports: the time to build the offset index (one checked pass over the file), the index's size, the
// process's memory after each phase (anonymous memory, i.e. what the process allocated, and file-backed pages of the
// mapping, which are the kernel's page cache), reopening with the kept index, random lookups per second and a
// sequential pass. No peer: the Python stacks read the collection into a dict of strings (several GiB), which is the
// thing this path avoids.
// Options: --passages N, --dir DIR (where the ~3 GB file goes; default the temporary directory), --keep.
import Foundation
import Corpus
import Eval

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
