// swift-tools-version:6.0
// RankerDistillation — Margin-MSE distillation and extreme compression of neural rankers, from scratch in Swift.
// No package dependencies, on purpose: everything (tensors, kernels, tokenizers, PCA, metrics, plots, CLI) is here.
import PackageDescription

// Hot numeric modules carry their own optimisation and target-CPU flags so that SIMD code is fast even in the
// debug build `swift test` uses (without `-target-cpu`, SIMD16 FMAs become libm calls: 150x slower; see
// Docs/Tensors.md). CI builds and runs on the same machine kind, so `native` is safe.
let fast: [SwiftSetting] = [.unsafeFlags(["-O", "-target-cpu", "native"])]

let package = Package(
    name: "RankerDistillation",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "reproduce", targets: ["reproduce"]),
        .executable(name: "bench", targets: ["bench"]),
        // Every module, so that a package extending this one (Examples/MeanCos) can import what it needs.
        .library(name: "RankerDistillation",
                 targets: ["Tensors", "Vocab", "PCA", "Student", "Training", "MarginMSE", "Eval", "Corpus", "Compression", "Report",
                           "Experiments", "CLI"]),
    ],
    targets: [
        // Core: Tensor, autograd, kernels, optimisers, RNG, safetensors.
        .target(name: "Tensors", swiftSettings: fast),
        // BERT normaliser, WordPiece encoder, vocabulary trainer and size sweep.
        .target(name: "Vocab", swiftSettings: fast),
        // Principal component analysis and its export as a Dense layer.
        .target(name: "PCA", dependencies: ["Tensors"], swiftSettings: fast),
        // Rankers: encoder, BertCat, BertDot, ColBERT, PreTT, TK, SentenceEncoder.
        .target(name: "Student", dependencies: ["Tensors", "Vocab"], swiftSettings: fast),
        // The generic training loop: warm-up schedule, validation and early stopping, checkpoints and resume, batch
        // order, progress lines, the stable hash that keys configurations. Used by both papers' trainers.
        .target(name: "Training", dependencies: ["Tensors"], swiftSettings: fast),
        // Distillation losses, teacher scores, the pairwise ranker trainer.
        .target(name: "MarginMSE", dependencies: ["Tensors", "Training", "Student", "Eval", "Corpus"], swiftSettings: fast),
        // Metrics, BM25, significance, re-ranking and dense retrieval drivers, measurement.
        .target(name: "Eval", dependencies: ["Corpus"], swiftSettings: fast),
        // Data formats, manifests, fetch, data-directory resolution, synthetic collection.
        .target(name: "Corpus", swiftSettings: fast),
        // Embedding distillation into small students (vocabulary + PCA), int8 quantisation, measurements.
        .target(name: "Compression",
                dependencies: ["Tensors", "Vocab", "PCA", "Student", "Training", "Eval", "Corpus"], swiftSettings: fast),
        // Tables, SVG figures, HTML report.
        .target(name: "Report"),
        // One file per paper table / figure.
        .target(name: "Experiments",
                dependencies: ["Tensors", "Vocab", "PCA", "Student", "Training", "MarginMSE", "Eval", "Corpus", "Report",
                               "Compression"]),
        // Argument parsing and the subcommands of `reproduce` (a library so that tests can pin help and errors).
        .target(name: "CLI", dependencies: ["Experiments", "Tensors", "Vocab", "PCA", "Student", "Training", "MarginMSE",
                                             "Eval", "Corpus", "Report", "Compression"]),
        .executableTarget(name: "reproduce", dependencies: ["CLI"]),
        .executableTarget(name: "bench",
                          dependencies: ["Tensors", "Vocab", "PCA", "Student", "Training", "MarginMSE", "Eval", "Corpus", "CLI",
                                         "Compression", "Experiments", "Report"],
                          exclude: ["peers"], swiftSettings: fast),

        // Test support: in-house property testing (generators, seeded runs, replay seeds, greedy shrinking).
        .target(name: "PropertyTesting", dependencies: ["Tensors"], path: "Tests/PropertyTesting"),
        // Test support: tiny random rankers of every built-in architecture, for the Student and MarginMSE tests.
        .target(name: "RankerTesting", dependencies: ["Tensors", "Student", "PropertyTesting"], path: "Tests/RankerTesting"),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "PropertyTesting"]),
        .testTarget(name: "VocabTests", dependencies: ["Vocab", "PropertyTesting"]),
        .testTarget(name: "PCATests", dependencies: ["PCA", "Tensors", "PropertyTesting"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Tensors", "PropertyTesting"]),
        .testTarget(name: "StudentTests", dependencies: ["Student", "Tensors", "Vocab", "PropertyTesting", "RankerTesting"]),
        .testTarget(name: "MarginMSETests",
                    dependencies: ["MarginMSE", "Training", "Tensors", "Student", "Eval", "Corpus", "Vocab", "PropertyTesting",
                                   "RankerTesting"]),
        .testTarget(name: "CompressionTests",
                    dependencies: ["Compression", "Tensors", "Student", "Vocab", "PCA", "Eval", "Corpus", "PropertyTesting"]),
        .testTarget(name: "EvalTests", dependencies: ["Eval", "Corpus", "PropertyTesting"]),
        .testTarget(name: "CorpusTests", dependencies: ["Corpus", "PropertyTesting"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "PropertyTesting"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Training", "MarginMSE", "Student", "Report", "PropertyTesting"]),
        .testTarget(name: "CLITests", dependencies: ["CLI", "Experiments", "Student", "Tensors", "Corpus", "Report", "PCA",
                                                   "MarginMSE", "Compression", "PropertyTesting"]),
    ]
)
