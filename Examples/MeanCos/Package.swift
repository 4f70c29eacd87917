// swift-tools-version:6.0
// An example of extending RankerDistillation from outside: a package that depends on it by path, defines a ranker
// architecture (MeanCos), registers it and runs the workflow on it. See Docs/AddingARanker.md.
import PackageDescription

let package = Package(
    name: "MeanCos",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "RankerDistillation", path: "../..")],
    targets: [
        .executableTarget(name: "MeanCosExample",
                          dependencies: [.product(name: "RankerDistillation", package: "RankerDistillation")]),
    ]
)
