// `bench host --out DIR`: every benchmark a page shows per host, one after another, each written to DIR/FILE.json —
// the files the pages' tables read (`<!-- bench: Docs/bench/zen2/gemm-1-thread.json -->`), so that one command
// measures a host and `reproduce docs` then renders its tables. A host kind without a section on the pages yet (a
// new folder) needs that section written by hand once; the files are the same.
//   swift run -c release bench host --out Docs/bench/zen3 [--only gemm-2-threads,train] [--quick] [--kernel 6x16]
// Steps run in turn, each as `bench NAME …` in a process of its own (`BENCH_RESULTS_FILE` names its file); a failed
// step is reported and the others still run. Files are replaced one at a time (written to a temporary file, then
// renamed), so a run stopped half-way leaves the earlier steps' new files and the later steps' old ones. About 15
// minutes on 2 cores; `encode` and `train` need ../shared (MiniLM, DL19) and skip their main rows without it.
import Foundation
import Tensors

struct HostBenchStep {
    /// DIR/`file`.json.
    let file: String
    let arguments: [String]
}

let hostBenchSteps: [HostBenchStep] = [
    HostBenchStep(file: "gemm-1-thread", arguments: ["gemm", "--threads", "1", "--cputime"]),
    HostBenchStep(file: "gemm-2-threads", arguments: ["gemm", "--threads", "2"]),
    HostBenchStep(file: "gemm-train-shapes", arguments: ["gemm", "--threads", "2", "--shapes", gemmTrainShapes]),
    HostBenchStep(file: "elementwise", arguments: ["elementwise"]),
    HostBenchStep(file: "pca", arguments: ["pca"]),
    HostBenchStep(file: "pca-1-thread", arguments: ["pca", "--threads", "1"]),
    HostBenchStep(file: "encode", arguments: ["encode"]),
    HostBenchStep(file: "train", arguments: ["train"]),
]

let hostBenchDetails = "Steps (DIR/FILE.json ← the command it runs):\n" + hostBenchSteps.map {
    "  \($0.file).json".padding(toLength: 26, withPad: " ", startingAt: 0) + "bench " + $0.arguments.joined(separator: " ")
}.joined(separator: "\n") + "\nThen `swift run -c release reproduce docs` renders the pages' tables from them."

func benchHost(_ ctx: BenchContext) throws {
    guard let out = ctx.option("out") else {
        throw BenchError("--out DIR is required: the host's folder, e.g. Docs/bench/zen3")
    }
    if ctx.option("threads") != nil { throw BenchError("--threads: each step sets its own (see bench host --help)") }
    var steps = hostBenchSteps
    if let only = ctx.option("only") {
        let wanted = only.split(separator: ",").map { String($0).replacingOccurrences(of: ".json", with: "") }
        let unknown = wanted.filter { w in !hostBenchSteps.contains { $0.file == w } }
        guard unknown.isEmpty else {
            throw BenchError("--only: no step \(unknown.joined(separator: ", ")); the steps are "
                             + hostBenchSteps.map(\.file).joined(separator: ", "))
        }
        steps = hostBenchSteps.filter { wanted.contains($0.file) }
    }
    let dir = URL(fileURLWithPath: out)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDirectory), !isDirectory.boolValue {
        throw BenchError("--out \(out) is a file, not a folder")
    }
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    // Passed on to every step: the options they all read.
    let common = (ctx.flag("quick") ? ["--quick"] : []) + (ctx.option("kernel").map { ["--kernel", $0] } ?? [])
    var failed: [String] = []
    for (i, step) in steps.enumerated() {
        let file = dir.appendingPathComponent(step.file + ".json")
        print("\n[\(i + 1)/\(steps.count)] bench \((step.arguments + common).joined(separator: " ")) → \(file.path)")
        fflush(nil)   // this line before the step's own output
        let start = DispatchTime.now().uptimeNanoseconds
        let status = try runStepAlone(step.arguments + common, resultsFile: file)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if status != 0 { failed.append("\(step.file) (exit \(status))") }
        ctx.record(BenchRow(case: "\(step.file)\(status == 0 ? "" : ", failed")", swift: seconds, peer: nil,
                            peerName: nil, unit: "s", higherIsBetter: false, threads: Kernels.threadCount))
    }
    if !failed.isEmpty {
        throw BenchError("\(failed.count) of \(steps.count) steps failed: \(failed.joined(separator: ", ")); "
                         + "the other files in \(out) are written — run those steps again with --only")
    }
    print("\nwrote \(steps.count) files to \(out); now `swift run -c release reproduce docs`")
}

/// Runs `bench ARGS…` as a process of its own (this executable again), its results written to `resultsFile`: each
/// step starts from a fresh process, as a user running it alone would measure it. Returns the step's exit status.
func runStepAlone(_ arguments: [String], resultsFile: URL) throws -> Int32 {
    guard let executable = Bundle.main.executableURL else { throw BenchError("cannot find the bench executable") }
    let p = Process()
    p.executableURL = executable
    p.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env[benchResultsFileVariable] = resultsFile.path
    p.environment = env
    try p.run()
    p.waitUntilExit()
    return p.terminationStatus
}
