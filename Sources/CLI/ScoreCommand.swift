// `reproduce score`: ranker scores for query–passage pairs on standard input.

import Foundation
import Student
import Vocab

public struct ScoreCommand: Command {
    public init() {}
    public let path = ["score"]
    public let summary = "Score query<TAB>passage lines with a ranker"
    public let usage = """
        Usage: reproduce score --model DIR [--arch NAME] [--vocab FILE] [--batch-size N]

        Reads 'query<TAB>passage' lines from standard input and prints one score per line (raw, unbounded).
        DIR is either a saved ranker (a folder with ranker.json, written by training) or a Hugging Face BERT
        folder; with the latter, --arch builds that architecture on the encoder with all its layers, and any
        scoring head it has is untrained (random) — useful for checking shapes and speed, not effectiveness.
        Architectures: \(RankerRegistry.entries.map(\.architecture).joined(separator: ", ")).
        """
    public let options: [OptionSpec] = [
        .option("model", value: "DIR", help: "Saved ranker folder, or a Hugging Face BERT folder (with --arch)"),
        .option("arch", value: "NAME", help: "Architecture to build on a Hugging Face folder"),
        .option("vocab", value: "FILE", help: "vocab.txt (default: DIR/vocab.txt, then DIR/encoder/vocab.txt)"),
        .option("batch-size", value: "N", help: "Pairs per forward pass", default: "32", rule: .int(atLeast: 1)),
    ]

    public func run(_ args: ParsedArguments, console: Console) throws {
        let name = "reproduce score"
        let dir = URL(fileURLWithPath: try args.required("model", command: name))
        let ranker: any Ranker
        do {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("ranker.json").path) {
                ranker = try RankerRegistry.load(dir)
            } else {
                guard let arch = args.string("arch") else {
                    throw CLIError("\(name): \(dir.path) is not a saved ranker (no ranker.json); give --arch to build one on it")
                }
                let encoder = try TransformerEncoder.load(dir)
                ranker = try RankerRegistry.make(arch, teacher: encoder,
                                                 recipe: StudentRecipe(keepLayers: Array(0..<encoder.layers.count)))
            }
        } catch let e as CLIError { throw e } catch {
            throw CLIError("\(name): cannot load a ranker from \(dir.path): \(error)", kind: .failure)
        }
        let inFolder: String = dir.appendingPathComponent("vocab.txt").path
        let inEncoder: String = dir.appendingPathComponent("encoder/vocab.txt").path
        // A --vocab that is not there is an error, not a quiet fall-back to the folder's vocabulary.
        if let given = args.string("vocab"), !FileManager.default.fileExists(atPath: given) {
            throw CLIError("\(name): --vocab \(given): no such file", kind: .failure)
        }
        let vocabCandidates: [String] = (args.string("vocab").map { [$0] } ?? []) + [inFolder, inEncoder]
        guard let vocab = vocabCandidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw CLIError("\(name): no vocab.txt found; give --vocab FILE", kind: .failure)
        }
        let tokenizer: BertTokenizer
        do { tokenizer = try BertTokenizer(vocabFile: vocab) } catch {
            throw CLIError("\(name): \(error)", kind: .failure)
        }
        if let rows = ranker.parameters.first(where: { $0.name.hasSuffix("word_embeddings.weight") })?.tensor.shape.first {
            try checkVocabularyFits(tokenizer, rows: rows, vocab: vocab, model: dir.path, command: name)
        }
        let batch = try args.int(defaulted: "batch-size")
        var pairs: [RankerPair] = []
        for (i, line) in console.stdinLines().enumerated() {
            guard let tab = line.firstIndex(of: "\t") else {
                throw CLIError("\(name): standard input line \(i + 1): expected 'query<TAB>passage'", kind: .failure)
            }
            pairs.append(RankerPair(query: String(line[..<tab]), passage: String(line[line.index(after: tab)...]),
                                    tokenizer: tokenizer))
        }
        var out = ""
        withNoGradScores(ranker, pairs, batch) { out += "\($0)\n" }
        console.out(out)
    }
}

import Tensors
func withNoGradScores(_ ranker: any Ranker, _ pairs: [RankerPair], _ batch: Int, _ emit: (Float) -> Void) {
    withNoGrad {
        for start in stride(from: 0, to: pairs.count, by: batch) {
            for s in ranker.score(Array(pairs[start..<min(start + batch, pairs.count)])).scalars { emit(s) }
        }
    }
}
