// The benchmark harness: timing with warm-up and medians, running a Python peer script and reading its JSON,
// collecting result rows, printing them and writing bench-results/<name>.json.
import Foundation
import Tensors

/// One measured comparison. `swift` and `peer` are in `unit`; `higherIsBetter` says which way the unit points
/// (GFLOP/s: higher; ms: lower). `ratio` is always oriented so that > 1 means Swift is better.
struct BenchRow: Encodable {
    let `case`: String
    let swift: Double
    let peer: Double?
    let peerName: String?
    let unit: String
    let higherIsBetter: Bool
    let threads: Int
    /// Quartiles of per-round ratios when Swift and the peer were measured alternately (paired); `ratio` is then
    /// their median instead of the ratio of the two medians.
    var pairedRatio: (q1: Double, median: Double, q3: Double)? = nil
    var ratio: Double? {
        if let pairedRatio { return pairedRatio.median }
        guard let p = peer, p > 0, swift > 0 else { return nil }
        return higherIsBetter ? swift / p : p / swift
    }
    enum CodingKeys: String, CodingKey {
        case `case`, swift, peer, peerName, unit, higherIsBetter, threads, ratio, ratioQ1, ratioQ3
    }
    func encode(to e: Encoder) throws {
        var c = e.container(keyedBy: CodingKeys.self)
        try c.encode(`case`, forKey: .case); try c.encode(swift, forKey: .swift)
        try c.encodeIfPresent(peer, forKey: .peer); try c.encodeIfPresent(peerName, forKey: .peerName)
        try c.encode(unit, forKey: .unit); try c.encode(higherIsBetter, forKey: .higherIsBetter)
        try c.encode(threads, forKey: .threads); try c.encodeIfPresent(ratio, forKey: .ratio)
        try c.encodeIfPresent(pairedRatio?.q1, forKey: .ratioQ1); try c.encodeIfPresent(pairedRatio?.q3, forKey: .ratioQ3)
    }
}

struct BenchError: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }

final class BenchContext {
    let name: String
    let arguments: [String]
    /// Where `writeResults` writes (nil: bench-results/NAME.json in the working directory).
    let resultsFile: URL?
    private(set) var rows: [BenchRow] = []

    init(name: String, arguments: [String], resultsFile: URL? = nil) {
        self.name = name; self.arguments = arguments; self.resultsFile = resultsFile
    }

    /// `--name value` from the benchmark's arguments.
    func option(_ name: String) -> String? {
        guard let i = arguments.firstIndex(of: "--\(name)"), i + 1 < arguments.count else { return nil }
        return arguments[i + 1]
    }
    func flag(_ name: String) -> Bool { arguments.contains("--\(name)") }
    var quick: Bool { flag("quick") }

    /// Records and prints one row.
    func record(_ row: BenchRow) {
        rows.append(row)
        let peer = row.peer.map { String(format: "%10.2f", $0) } ?? "         –"
        let ratio = row.ratio.map { String(format: "%6.2f×", $0) } ?? "     –"
        let spread = row.pairedRatio.map { String(format: " (IQR %.2f–%.2f)", $0.q1, $0.q3) } ?? ""
        print("\(row.case.padding(toLength: 34, withPad: " ", startingAt: 0)) \(String(format: "%10.2f", row.swift)) "
              + "\(peer) \(row.unit.padding(toLength: 10, withPad: " ", startingAt: 0)) \(ratio)\(spread)  "
              + "[\(row.peerName ?? "no peer"), \(row.threads)T]")
    }

    /// Writes bench-results/NAME.json (or `resultsFile`): the host (CPU model, vector ISA, caches), the GEMM kernel,
    /// the arguments, the commit of the working tree and the rows.
    func writeResults() throws {
        struct Results: Encodable {
            let benchmark: String, host: String, cpuModel: String, vectorISA: String, gemmKernel: String
            let arguments: [String], date: String, commit: String, rows: [BenchRow]
        }
        let file = resultsFile ?? URL(fileURLWithPath: "bench-results/\(name).json")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let enc = JSONEncoder(); enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        let cpu = CPUInfo.host
        let results = Results(benchmark: name, host: cpu.summary, cpuModel: cpu.model, vectorISA: cpu.vectorISA,
                              gemmKernel: Kernels.gemmKernel.rawValue, arguments: arguments,
                              date: ISO8601DateFormatter().string(from: Date()), commit: gitCommit(), rows: rows)
        try enc.encode(results).write(to: file, options: .atomic)
        print("wrote \(resultsFile?.path ?? "bench-results/\(name).json") (\(rows.count) rows)")
    }
}

/// Median seconds per call of `body`: `warmup` untimed calls, then repeated timed rounds until `minTime` seconds
/// and at least `minRounds` rounds have passed.
func measure(warmup: Int = 2, minRounds: Int = 5, minTime: Double = 0.3, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<warmup { try body() }
    var times: [Double] = []
    let start = DispatchTime.now().uptimeNanoseconds
    while times.count < minRounds || Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < minTime {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        if times.count > 10_000 { break }
    }
    times.sort()
    return times[times.count / 2]
}

/// A peer script of Sources/bench/peers: `$BENCH_PEERS/FILE` when that is set, else the folder beside this source
/// file as it was compiled (so bench finds its peers from any working directory), else `Sources/bench/peers` under
/// the working directory.
func peerScript(_ file: String) throws -> String {
    var candidates: [String] = []
    if let dir = ProcessInfo.processInfo.environment["BENCH_PEERS"] { candidates.append(dir + "/" + file) }
    candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/peers/" + file)
    candidates.append(FileManager.default.currentDirectoryPath + "/Sources/bench/peers/" + file)
    guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
        throw BenchError("peer script \(file) not found (looked in: \(candidates.joined(separator: ", "))); "
                         + "set BENCH_PEERS to the package's Sources/bench/peers folder")
    }
    return path
}

/// The shared folder with data/ and models/: `../shared` beside the working directory when it is there, else beside
/// the package root (so that benchmarks run from any working directory).
func sharedDirectory() -> String {
    let here = FileManager.default.currentDirectoryPath + "/../shared"
    if FileManager.default.fileExists(atPath: here) { return here }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared").path
}

/// The OpenBLAS core type to force for a peer's best kernels on this CPU: SkylakeX where the CPU has AVX-512 (OpenBLAS
/// detects Zen 4/5 as Haswell), else nil (OpenBLAS's own detection; forcing SkylakeX on a core without AVX-512 kills
/// the peer with SIGILL).
func bestOpenBLASCoreType() -> String? {
    CPUInfo.host.hasAVX512 ? "SkylakeX" : nil
}

/// The Python that runs the peers: `$BENCH_PYTHON`, else the package's `.venv-bench/bin/python` (made by
/// `Sources/bench/peers/setup.sh`) when it exists, else `python3` from the PATH.
func peerPython() -> String {
    if let p = ProcessInfo.processInfo.environment["BENCH_PYTHON"] { return p }
    let venv = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".venv-bench/bin/python").path
    return FileManager.default.fileExists(atPath: venv) ? venv : "python3"
}

/// A process for `python script args…` with extra environment variables, not yet started (the interpreter:
/// `peerPython()`).
func peerProcess(_ script: String, _ args: [String], environment: [String: String]) throws -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let python = peerPython()
    p.arguments = [python, try peerScript(script)] + args
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    p.environment = env
    return p
}

/// Runs `python3 script args…` with extra environment variables and decodes its standard output as JSON.
func runPeer(_ script: String, _ args: [String], environment: [String: String] = [:]) throws -> Any {
    let p = try peerProcess(script, args, environment: environment)
    let out = Pipe(), err = Pipe()
    p.standardOutput = out; p.standardError = err
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
        throw BenchError("peer \(script) failed (exit \(p.terminationStatus)): \(String(decoding: errData, as: UTF8.self))")
    }
    return try JSONSerialization.jsonObject(with: data)
}

/// Number of threads a benchmark should use: --threads N, else all active cores.
func benchThreads(_ ctx: BenchContext) -> Int {
    ctx.option("threads").flatMap(Int.init) ?? ProcessInfo.processInfo.activeProcessorCount
}

/// A peer script kept running for a whole benchmark, answering one JSON request per line (`script args… serve`
/// protocol: a request line on its stdin, one JSON line back on its stdout). Lets a benchmark alternate its own
/// measurement with the peer's case by case, so that both see the same moment of a shared host.
final class PeerSession {
    private let process: Process
    private let input = Pipe(), output = Pipe(), errors = Pipe()
    private var pending = Data()
    let script: String

    init(_ script: String, _ args: [String], environment: [String: String] = [:]) throws {
        self.script = script
        process = try peerProcess(script, args, environment: environment)
        process.standardInput = input; process.standardOutput = output; process.standardError = errors
        try process.run()
        waitUntilIdle(limit: 60)   // the interpreter's start (importing numpy or torch) must not overlap our timing
    }

    /// Sends one request and waits for its one-line JSON answer.
    func request(_ object: [String: Any]) throws -> [String: Any] {
        var line = try JSONSerialization.data(withJSONObject: object)
        line.append(0x0A)
        try input.fileHandleForWriting.write(contentsOf: line)
        while true {
            if let end = pending.firstIndex(of: 0x0A) {
                let answer = pending[pending.startIndex..<end]
                pending = Data(pending[(end + 1)...])
                guard let object = try JSONSerialization.jsonObject(with: answer) as? [String: Any] else {
                    throw BenchError("peer \(script): answer is not a JSON object: \(String(decoding: answer, as: UTF8.self))")
                }
                waitUntilIdle()
                return object
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty {   // end of file: the peer died
                process.waitUntilExit()
                let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                throw BenchError("peer \(script) ended (exit \(process.terminationStatus)): \(message)")
            }
            pending.append(chunk)
        }
    }

    /// Waits (at most `limit` seconds) until the peer uses no CPU: OpenBLAS's and OpenMP's threads spin for a while
    /// after a call returns, and a measurement of ours that starts then shares the cores with them (at 2 threads on
    /// 2 cores, `bench gemm --quick` measured our side at half its speed so). Idle means under 5 ms of CPU time in
    /// 50 ms, read from /proc; where there is none, a fixed 0.3 s pause.
    func waitUntilIdle(limit: Double = 2) {
        guard let first = peerCPUTicks() else { usleep(300_000); return }
        var last = first, waited = 0
        let hz = max(1, sysconf(Int32(_SC_CLK_TCK)))
        while Double(waited) < limit * 1000 {
            usleep(50_000); waited += 50
            guard let now = peerCPUTicks() else { return }
            if (now - last) * 1000 / hz < 5 { return }
            last = now
        }
    }

    /// The peer process's user + system CPU time in clock ticks (/proc/PID/stat fields 14 and 15), nil without /proc.
    private func peerCPUTicks() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // After the command name in parentheses: state (field 3), …, utime (14), stime (15).
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return user + system
    }

    /// Closes the peer's input and waits for it to end.
    func close() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// Quartiles of a sample (linear interpolation between order statistics).
func quartiles(_ xs: [Double]) -> (q1: Double, median: Double, q3: Double) {
    let s = xs.sorted()
    func at(_ q: Double) -> Double {
        let x = q * Double(s.count - 1), i = Int(x), f = x - Double(i)
        return i + 1 < s.count ? s[i] + f * (s[i + 1] - s[i]) : s[i]
    }
    return (at(0.25), at(0.5), at(0.75))
}

/// The host's state, for reading a run's numbers later: single-thread copy bandwidth of a 64 MiB buffer (larger than
/// the L3 cache), best of 5, in GB/s of data copied. The shared build host's value drifts with what other tenants
/// do (15–22 GB/s seen on 2026-12-03); memory-bound work such as GEMM packing slows with it.
func hostCopyBandwidth() -> Double {
    let count = 16 << 20
    let from = UnsafeMutablePointer<Float>.allocate(capacity: count), to = UnsafeMutablePointer<Float>.allocate(capacity: count)
    defer { from.deallocate(); to.deallocate() }
    from.initialize(repeating: 1, count: count); to.initialize(repeating: 0, count: count)
    var best = Double.infinity
    for _ in 0..<5 {
        let t0 = DispatchTime.now().uptimeNanoseconds
        to.update(from: from, count: count)
        best = Swift.min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    return Double(count * 4) / best / 1e9
}

/// The host's state, the compute side: one thread's fused multiply-add ceiling in GFLOP/s of its CPU time — twelve
/// independent chains of `SIMD16<Float>` FMAs (enough to cover both FMA pipes' latency), 2 flops per lane, best of
/// 5 runs of 2 million steps. It moves with the core's clock (boost varies with what other tenants run: 222–234
/// GFLOP/s measured in `../shared/notes/swift-performance.md`), and a GEMM at X % of it is X % busy with useful FMAs.
func hostFMACeiling() -> Double {
    func cpuNow() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    let steps = 2_000_000
    let a = SIMD16<Float>(repeating: 0.999_999), b = SIMD16<Float>(repeating: 1e-7)
    var best = Double.infinity, sink: Float = 0
    for _ in 0..<5 {
        var x0 = SIMD16<Float>(repeating: 1), x1 = x0, x2 = x0, x3 = x0, x4 = x0, x5 = x0
        var x6 = x0, x7 = x0, x8 = x0, x9 = x0, x10 = x0, x11 = x0
        let t0 = cpuNow()
        for _ in 0..<steps {
            x0 = b.addingProduct(x0, a); x1 = b.addingProduct(x1, a); x2 = b.addingProduct(x2, a)
            x3 = b.addingProduct(x3, a); x4 = b.addingProduct(x4, a); x5 = b.addingProduct(x5, a)
            x6 = b.addingProduct(x6, a); x7 = b.addingProduct(x7, a); x8 = b.addingProduct(x8, a)
            x9 = b.addingProduct(x9, a); x10 = b.addingProduct(x10, a); x11 = b.addingProduct(x11, a)
        }
        best = Swift.min(best, cpuNow() - t0)
        let total = ((x0 + x1 + x2 + x3) + (x4 + x5 + x6 + x7) + (x8 + x9 + x10 + x11)).sum()
        sink += total
    }
    if sink.isNaN { print("") }   // keeps the chains alive
    return Double(steps * 12 * 16 * 2) / best / 1e9
}

/// The commit of the checkout bench was built from ("abc1234", with "+changes" when files differ from it), or
/// "unknown" when its sources are not in a git checkout: the record a benchmark result needs to say what code made it.
func gitCommit() -> String {
    func git(_ args: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + args
        // In the package's own checkout (this source file's folder), not the working directory: bench run from
        // elsewhere still names the commit it was built from.
        p.currentDirectoryURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }
    guard let head = git(["rev-parse", "--short", "HEAD"]), !head.isEmpty else { return "unknown" }
    // Result files are not what was measured: a change under Docs/bench (an earlier step of `bench host`) leaves the
    // label clean.
    let dirty = !(git(["status", "--porcelain", "--untracked-files=no", "--", ":(top)", ":(top,exclude)Docs/bench"]) ?? "").isEmpty
    return head + (dirty ? "+changes" : "")
}
