// Registers MeanCos, checks it, and runs the workflow on it.
//   swift run MeanCosExample                     the checks, then Paper A's grid at the smoke scale with MeanCos
//   swift run MeanCosExample ARGS…               the checks, then `reproduce ARGS…` with MeanCos registered, e.g.
//                                                paper-a --student mean-cos (the real data), train --arch mean-cos …
import Foundation
import Tensors
import Student
import MarginMSE
import CLI

try RankerRegistry.register(MeanCos.entry)

// 1. The checks every architecture must pass (batch invariance, gradients, save and load, resume after a kill), on
//    small random MeanCos rankers: vocabulary 40, special tokens 0–4.
func tiny(_ seed: UInt64) -> MeanCos {
    let c = BertConfig(vocabSize: 40, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 2, intermediateSize: 32,
                       maxPositionEmbeddings: 80)
    return MeanCos(encoder: TransformerEncoder(config: c, seed: seed), limits: InputLimits(maxQueryLength: 6, maxPassageLength: 12),
                   specials: SpecialTokens(pad: 0, unk: 1, cls: 2, sep: 3, mask: 4))
}
let failures = try RankerChecks.run(tiny)
guard failures.isEmpty else {
    FileHandle.standardError.write(Data("MeanCos fails its checks:\n\(failures.map { "  \($0)" }.joined(separator: "\n"))\n".utf8))
    exit(1)
}
print("MeanCos passes the ranker checks (batch invariance, gradients, save and load, resume).")

// 2. The workflow: by default Paper A at the smoke scale with MeanCos beside the paper's students — teachers
//    trained, their scores, MeanCos trained without a teacher and with Margin-MSE from T1 and T2, saved, loaded and
//    evaluated — written to a temporary folder.
var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.isEmpty {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mean-cos-example-\(getpid())")
    arguments = ["paper-a", "--scale", "smoke", "--student", MeanCos.architecture,
                 "--out", dir.appendingPathComponent("paper-figures").path, "--cache", dir.appendingPathComponent("cache").path]
    let code = Commands.main(arguments)
    guard code == 0 else { exit(code) }
    let table = try String(contentsOf: dir.appendingPathComponent("paper-figures/paper-a/table-c.md"), encoding: .utf8)
    guard let row = table.split(separator: "\n").first(where: { $0.contains("MeanCos") }) else {
        FileHandle.standardError.write(Data("Table C has no MeanCos row\n".utf8))
        exit(1)
    }
    print("Table C's MeanCos row: \(row)")
    try? FileManager.default.removeItem(at: dir)
    exit(0)
}
exit(Commands.main(arguments))
