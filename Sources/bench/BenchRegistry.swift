// The list of benchmarks. A benchmark = one file `<Name>Bench.swift` with a function `(BenchContext) throws -> Void`,
// plus one line here.
import Foundation

struct Benchmark: Sendable {
    let name: String
    let summary: String
    let run: @Sendable (BenchContext) throws -> Void
}

let benchmarks: [Benchmark] = [
    Benchmark(name: "selftest", summary: "Check the harness: time a tiny loop, call the Python peer", run: benchSelfTest),
    Benchmark(name: "pca", summary: "PCA fit 20,000 × 384 vs scikit-learn (full, covariance_eigh)", run: benchPCA),
    Benchmark(name: "vocab", summary: "WordPiece encoding and vocabulary training vs HF tokenizers", run: benchVocab),
    Benchmark(name: "compression", summary: "Batch-1 latency @52/@90 of teacher and student shapes vs PyTorch", run: benchCompression),
    Benchmark(name: "eval", summary: "Metrics vs pytrec_eval, BM25 vs bm25s, teacher-score parsing (issue 5)", run: benchEval),
    Benchmark(name: "train", summary: "Margin-MSE training step vs a PyTorch CPU loop; teacher-score memory (issue 6)", run: benchTrain),
    Benchmark(name: "encode", summary: "all-MiniLM-L6-v2 embeddings (DL19 candidates; batch-1 at 52/90 tokens) vs sentence-transformers", run: benchEncode),
    Benchmark(name: "gemm", summary: "Kernels.sgemm GFLOP/s vs numpy/OpenBLAS (SkylakeX and auto)", run: benchGemm),
    Benchmark(name: "elementwise", summary: "exp, GELU, softmax, LayerNorm, Adam ns/element vs numpy/reference",
              run: benchElementwise),
]

func runBench(_ args: [String]) -> Int32 {
    guard let name = args.first, name != "--help", name != "-h" else {
        print("Usage: bench NAME [OPTIONS]\n\nBenchmarks:")
        for b in benchmarks { print("  \(b.name.padding(toLength: 16, withPad: " ", startingAt: 0))\(b.summary)") }
        print("\nCommon options: --threads N (default: all cores), --quick (fewer repetitions)")
        return args.isEmpty ? 2 : 0
    }
    guard let bench = benchmarks.first(where: { $0.name == name }) else {
        FileHandle.standardError.write(Data("bench: unknown benchmark '\(name)'. Run 'bench --help'.\n".utf8))
        return 2
    }
    let ctx = BenchContext(name: name, arguments: Array(args.dropFirst()))
    do {
        try bench.run(ctx)
        try ctx.writeResults()
        return 0
    } catch {
        FileHandle.standardError.write(Data("bench \(name): \(error)\n".utf8))
        return 1
    }
}
