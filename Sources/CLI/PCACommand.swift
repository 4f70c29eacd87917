// `reproduce pca fit`: fits PCA to embeddings in a tab-separated file (one row per line, as `reproduce encode`
// prints them) and writes the model as JSON (extreme-compression paper §4.2 step 2). Leaves out: encoding text
// (that is `reproduce encode`), applying a model to new rows.

import Foundation
import PCA

public struct PCAFitCommand: Command {
    public init() {}
    public let path = ["pca", "fit"]
    public let summary = "Fit PCA to embeddings (TSV) and save the model as JSON"
    public let usage = """
        Usage: reproduce pca fit --input FILE (--k N | --variance SHARE) --out MODEL.json [--center]

        Reads FILE: one embedding per line, values separated by tabs (blank lines are skipped). Fits PCA
        (mean, covariance with ddof = 1, eigenvectors sorted by explained variance, each flipped so that its
        largest-|value| entry is positive, as scikit-learn >= 1.5) and keeps k components: N of them, or the
        smallest k whose cumulative explained-variance ratio exceeds SHARE. The model file holds the mean,
        the k components and their explained variances.

        Its Dense export is y = W·x with W the k components, NO centring and no bias: what sentence-transformers
        appends after PCA. With --center the export is y = W·(x − mean) (a bias b = −W·mean), as
        scikit-learn's transform.
        """
    public let options: [OptionSpec] = [
        .option("input", short: "i", value: "FILE", help: "tab-separated floats, one embedding per line"),
        .option("k", value: "N", help: "number of components to keep", rule: .int(atLeast: 1)),
        .option("variance", value: "SHARE", help: "keep the fewest components explaining more than SHARE (0 < SHARE <= 1)", rule: .number(atLeast: 0, exclusive: true, atMost: 1)),
        .option("out", short: "o", value: "MODEL.json", help: "where to write the model (written atomically)"),
        .flag("center", help: "export the Dense layer with centring (bias −W·mean); default: y = W·x"),
    ]

    public func run(_ args: ParsedArguments, console: Console) throws {
        let name = "reproduce pca fit"
        let input = try args.required("input", command: name)
        let out = try checkedOutput(try args.required("out", command: name), option: "out", command: name)
        let selection: PCAModel.Selection
        switch (try args.int("k"), try args.double("variance")) {
        case (let k?, nil):
            selection = .count(k)
        case (nil, let s?):
            selection = .varianceShare(s)
        case (nil, nil): throw CLIError("\(name): give --k N or --variance SHARE")
        default: throw CLIError("\(name): give only one of --k and --variance")
        }
        do {
            let x = try FloatRowsFile.read(input)
            let full = try PCAModel.fit(x)
            let k: Int
            switch selection {
            case .count(let c):
                guard c <= full.componentCount else {
                    throw PCAError.invalidArgument("k = \(c) is larger than min(n, d) = \(full.componentCount)")
                }
                k = c
            case .varianceShare(let s): k = try full.componentCount(forVarianceShare: s)
            case .all: k = full.componentCount
            }
            var model = full.truncated(to: k)
            model.denseCentering = args.flag("center")
            try model.save(to: out)
            let share = model.cumulativeExplainedVarianceRatio.last ?? 0
            let curve = try [0.5, 0.9, 0.95, 0.99].map { "\(Int($0 * 100))% → \(try full.componentCount(forVarianceShare: $0))" }
            console.out("""
                fitted PCA on \(x.shape[0]) × \(x.shape[1]) from \(input)
                components needed for a variance share: \(curve.joined(separator: ", "))
                kept k = \(k) components, explaining \(String(format: "%.4f", share)) of the variance
                Dense export: \(model.denseCentering ? "y = W·(x − mean)  (bias −W·mean)" : "y = W·x  (no centring, no bias; sentence-transformers)")
                wrote \(out)

                """)
        } catch let e as PCAError {
            throw CLIError("\(name): \(e.description)", kind: .failure)
        }
    }
}
