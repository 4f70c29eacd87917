// The list of benchmarks. A benchmark = one file `<Name>Bench.swift` with a function `(BenchContext) throws -> Void`,
// plus one line here.
import Foundation
import Tensors

struct Benchmark: Sendable {
    let name: String
    let summary: String
    /// The benchmark's own options (`--name VALUE`, or a flag when `value` is nil), beside `commonOptions`.
    var options: [BenchOption] = []
    /// More for `--help`, after the options.
    var details: String? = nil
    let run: @Sendable (BenchContext) throws -> Void
}

struct BenchOption: Sendable {
    let name: String
    let value: String?
    let help: String
}

/// Options every benchmark reads.
let commonOptions = [
    BenchOption(name: "threads", value: "N", help: "worker threads for Swift and the peer (default: all cores; gemm: 1 and 2)"),
    BenchOption(name: "quick", value: nil, help: "fewer repetitions"),
    BenchOption(name: "kernel", value: "K", help: "GEMM micro-kernel: 8x32 (AVX-512) or 6x16 (AVX2/NEON); default: the CPU's"),
]

let benchmarks: [Benchmark] = [
    Benchmark(name: "selftest", summary: "Check the harness: time a tiny loop, call the Python peer", run: benchSelfTest),
    Benchmark(name: "pca", summary: "PCA fit 20,000 × 384 vs scikit-learn (full, covariance_eigh)",
              options: [BenchOption(name: "rows", value: "N", help: "rows of the data (default 20,000)"),
                        BenchOption(name: "dim", value: "N", help: "dimension (default 384)")], run: benchPCA),
    Benchmark(name: "vocab", summary: "WordPiece encoding and vocabulary training vs HF tokenizers", run: benchVocab),
    Benchmark(name: "compression", summary: "Batch-1 latency @52/@90 of teacher and student shapes vs PyTorch",
              options: [BenchOption(name: "shapes", value: "LIST", help: "layers×hidden×vocabulary, e.g. 1x128x8000,6x384x30522")],
              run: benchCompression),
    Benchmark(name: "eval", summary: "Metrics vs pytrec_eval, BM25 vs bm25s, teacher-score parsing", run: benchEval),
    Benchmark(name: "train", summary: "Margin-MSE training step vs a PyTorch CPU loop; teacher-score memory",
              options: [BenchOption(name: "memory-only", value: nil, help: "only the teacher-score memory measurement"),
                        BenchOption(name: "no-peer", value: nil, help: "measure our side only (no ratio; e.g. under a profiler)"),
                        BenchOption(name: "score-lines", value: "N", help: "lines of the generated score file (default 40,000,000)"),
                        BenchOption(name: "shape", value: "LxH,…", help: "instead: seconds per step of a random BERT_DOT of L layers of width H (e.g. 6x768,12x768), our side only"),
                        BenchOption(name: "token-budget", value: "N", help: "our side: length groups of N padded tokens (default: the package's, 512)"),
                        BenchOption(name: "packed", value: nil, help: "our side: the encoder's token-wise work on real tokens only (TransformerEncoder.packedTokens)")],
              run: benchTrain),
    Benchmark(name: "encode", summary: "all-MiniLM-L6-v2 embeddings (DL19 candidates; batch-1 at 52/90 tokens) vs sentence-transformers",
              options: [BenchOption(name: "shared", value: "DIR", help: "the shared folder with data/ and models/ (default: ../shared beside the working directory, else beside the package)"),
                        BenchOption(name: "limit", value: "N", help: "texts to embed (default: all DL19 candidates)")],
              run: benchEncode),
    Benchmark(name: "gemm", summary: "Kernels.sgemm GFLOP/s vs numpy/OpenBLAS (auto; and SkylakeX with AVX-512)",
              options: [BenchOption(name: "shapes", value: "LIST", help: "e.g. NN:4096x384x1152,TN:384x4096x1152 (default: the 15 shapes)"),
                        BenchOption(name: "rounds", value: "N", help: "paired rounds per shape (default 5)"),
                        BenchOption(name: "cputime", value: nil, help: "time by thread CPU time (needs --threads 1)")],
              run: benchGemm),
    Benchmark(name: "host", summary: "Every benchmark a page shows per host, in turn, into one folder (e.g. Docs/bench/zen2)",
              options: [BenchOption(name: "out", value: "DIR", help: "the host's folder, e.g. Docs/bench/zen3 (required; created if missing, files in it replaced one by one)"),
                        BenchOption(name: "only", value: "LIST", help: "only these files, e.g. gemm-2-threads,train (default: all, listed below)")],
              details: hostBenchDetails, run: benchHost),
    Benchmark(name: "collection", summary: "The full scale's data path at full size (synthetic): collection, 40M-row training stream, top-1000 file",
              options: [BenchOption(name: "passages", value: "N", help: "passages to generate (default 8,841,823; 1,000,000 with --quick)"),
                        BenchOption(name: "triples", value: "N", help: "rows of the teacher-score file (default 40M; 4M with --quick)"),
                        BenchOption(name: "dir", value: "DIR", help: "where the ~7 GB of files go (default: the temporary directory)"),
                        BenchOption(name: "keep", value: nil, help: "keep the generated file and its index")],
              run: benchCollection),
    Benchmark(name: "elementwise", summary: "exp, GELU, softmax, LayerNorm, Adam ns/element vs numpy/reference",
              run: benchElementwise),
    Benchmark(name: "fullscale", summary: "reproduce paper-a --scale full as a whole on synthetic full-size inputs (tiny model): stage times, memory",
              options: [BenchOption(name: "passages", value: "N", help: "collection size (default 8,841,823; 200,000 with --quick)"),
                        BenchOption(name: "dev-queries", value: "N", help: "dev queries, 1,000 candidates each (default 6,980; 500 with --quick)"),
                        BenchOption(name: "score-lines", value: "N", help: "rows of each teacher-score file (default 40M; 1M with --quick)"),
                        BenchOption(name: "steps", value: "N", help: "training steps per student (default 50)"),
                        BenchOption(name: "shards", value: "N", help: "re-rank, encode and search in N shards run in turn, then merge (default 8; 1 with --quick)"),
                        BenchOption(name: "dir", value: "DIR", help: "where the generated data and the work go (default: the temporary directory; ~10 GB at full size); the same options again resume a killed run"),
                        BenchOption(name: "keep", value: nil, help: "keep the folder when the run completes")],
              run: benchFullScale),
    Benchmark(name: "search", summary: "Dense retrieval's exact top 1000 at 768-d (GEMM blocks) vs a dot-product loop; days for the paper's search",
              options: [BenchOption(name: "rows", value: "N", help: "rows of the synthetic shard (default 200,000; 50,000 with --quick)"),
                        BenchOption(name: "queries", value: "N", help: "queries (default 512)"),
                        BenchOption(name: "dim", value: "N", help: "dimension (default 768)")],
              run: benchSearch),
]

/// The environment variable naming the file a benchmark's results go to instead of bench-results/NAME.json.
let benchResultsFileVariable = "BENCH_RESULTS_FILE"

/// Runs the benchmark `args[0]` with the options after it; its results go to the file `$BENCH_RESULTS_FILE` names,
/// else bench-results/NAME.json. Returns the exit status: 0, 1 (the benchmark failed) or 2 (bad arguments).
func runBench(_ args: [String]) -> Int32 {
    guard let name = args.first, name != "--help", name != "-h" else {
        print("Usage: bench NAME [OPTIONS]\n\nBenchmarks:")
        for b in benchmarks { print("  \(b.name.padding(toLength: 16, withPad: " ", startingAt: 0))\(b.summary)") }
        print("\nCommon options: --threads N (default: all cores), --quick (fewer repetitions), --kernel 8x32|6x16 "
              + "(the GEMM micro-kernel; default: the one that fits this CPU)")
        print("Peers: Python packages, installed by `Sources/bench/peers/setup.sh` (see Docs/Tensors.md, \"Benchmarks\").")
        return args.isEmpty ? 2 : 0
    }
    guard let bench = benchmarks.first(where: { $0.name == name }) else {
        FileHandle.standardError.write(Data("bench: unknown benchmark '\(name)'. Run 'bench --help'.\n".utf8))
        return 2
    }
    let rest = Array(args.dropFirst()), known = commonOptions + bench.options
    func describe(_ o: BenchOption) -> String {
        "  --\(o.name)\(o.value.map { " " + $0 } ?? "")".padding(toLength: 22, withPad: " ", startingAt: 0) + o.help
    }
    if rest.contains("--help") || rest.contains("-h") {
        print("Usage: bench \(name) [OPTIONS]\n\n\(bench.summary). Prints Swift ÷ peer per case (higher is better) and writes "
              + "bench-results/\(name).json.\n\nOptions:\n" + known.map(describe).joined(separator: "\n")
              + (bench.details.map { "\n\n" + $0 } ?? ""))
        return 0
    }
    // Every --option must be one this benchmark reads: a misspelt one would otherwise be ignored silently.
    var i = 0
    while i < rest.count {
        guard rest[i].hasPrefix("--") else {
            FileHandle.standardError.write(Data("bench \(name): unexpected argument '\(rest[i])'. Run 'bench \(name) --help'.\n".utf8))
            return 2
        }
        guard let o = known.first(where: { "--\($0.name)" == rest[i] }) else {
            FileHandle.standardError.write(Data(("bench \(name): unknown option '\(rest[i])'; it takes:\n"
                                                 + known.map(describe).joined(separator: "\n") + "\n").utf8))
            return 2
        }
        if o.value != nil {
            guard i + 1 < rest.count, !rest[i + 1].hasPrefix("--") else {
                FileHandle.standardError.write(Data("bench \(name): \(rest[i]) needs a value (\(o.value!))\n".utf8))
                return 2
            }
            i += 1
        }
        i += 1
    }
    let file = ProcessInfo.processInfo.environment[benchResultsFileVariable].map { URL(fileURLWithPath: $0) }
    let ctx = BenchContext(name: name, arguments: rest, resultsFile: file)
    if let k = ctx.option("kernel") {
        guard let kernel = GemmKernel(rawValue: k) else {
            FileHandle.standardError.write(Data(("bench \(name): --kernel takes "
                + GemmKernel.allCases.map(\.rawValue).joined(separator: " or ") + ", not '\(k)'\n").utf8))
            return 2
        }
        Kernels.gemmKernel = kernel
    }
    print("host: \(CPUInfo.host.summary); GEMM kernel \(Kernels.gemmKernel); peers run by \(peerPython())")
    do {
        try bench.run(ctx)
        try ctx.writeResults()
        return 0
    } catch {
        FileHandle.standardError.write(Data("bench \(name): \(error)\n".utf8))
        return 1
    }
}
