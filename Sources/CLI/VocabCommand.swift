// `reproduce vocab train` and `reproduce vocab sweep`: the WordPiece vocabulary trainer (the HF algorithm,
// deterministic) and the optimal-size sweep of the compression paper's extension 1 (Docs/Vocab.md).

import Foundation
import Vocab

/// Reads corpus files: one text per line (a trailing "\r" is dropped).
func readCorpusLines(_ paths: [String], command: String) throws -> [String] {
    guard !paths.isEmpty else { throw CLIError("\(command): give at least one CORPUS file. See '\(command) --help'.") }
    var texts: [String] = []
    for p in paths {
        guard let data = FileManager.default.contents(atPath: p) else {
            throw CLIError("\(command): cannot read corpus file '\(p)'", kind: .failure)
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw CLIError("\(command): corpus file '\(p)' is not UTF-8 text", kind: .failure)
        }
        for line in text.unicodeScalars.split(separator: "\n") {
            var l = line
            if l.last == "\r" { l = l.dropLast() }
            texts.append(String(String.UnicodeScalarView(l)))
        }
    }
    // A vocabulary, or a V* chosen from fertilities, of no text at all would be a result made of zeros.
    guard texts.contains(where: { !$0.allSatisfy(\.isWhitespace) }) else {
        throw CLIError("\(command): the corpus (\(paths.joined(separator: ", "))) holds no text", kind: .failure)
    }
    return texts
}

func trainerConfig(_ args: ParsedArguments, size: Int) throws -> WordPieceTrainerConfig {
    let minFrequency = try args.int(defaulted: "min-frequency")
    let limit = try args.int(defaulted: "limit-alphabet")
    return WordPieceTrainerConfig(vocabSize: size, minFrequency: UInt64(minFrequency), limitAlphabet: limit)
}

let trainerOptions: [OptionSpec] = [
    .option("min-frequency", value: "N", help: "Stop merging below this pair count", default: "2", rule: .int(atLeast: 1)),
    .option("limit-alphabet", value: "N", help: "Keep at most N distinct characters", default: "1000", rule: .int(atLeast: 1)),
]

public struct VocabTrainCommand: Command {
    public init() {}
    public let path = ["vocab", "train"]
    public let summary = "Train a WordPiece vocabulary (the Hugging Face algorithm, deterministic)"
    public let usage = """
        Usage: reproduce vocab train --size N --out FILE [--min-frequency N] [--limit-alphabet N] CORPUS…

        Trains a WordPiece vocabulary of at most N tokens on the CORPUS files (one text per line), with the
        algorithm and defaults of Hugging Face BertWordPieceTokenizer.train ([PAD] [UNK] [CLS] [SEP] [MASK]
        first, then the alphabet, the ## characters and the merges), and writes it as vocab.txt.
        """
    public let options: [OptionSpec] = [
        .option("size", value: "N", help: "Vocabulary size (special tokens and alphabet included)", rule: .int(atLeast: 5)),
        .option("out", value: "FILE", help: "Where to write vocab.txt"),
    ] + trainerOptions

    public func run(_ args: ParsedArguments, console: Console) throws {
        let name = "reproduce vocab train"
        guard let size = try args.int("size") else { throw CLIError("\(name): missing --size. See '\(name) --help'.") }
        let out = try checkedOutput(try args.required("out", command: name), option: "out", command: name)
        let texts = try readCorpusLines(args.positionals, command: name)
        let start = Date()
        let vocab = try WordPieceTrainer.train(texts: texts, config: try trainerConfig(args, size: size))
        do { try vocab.write(to: out) } catch {
            throw CLIError("\(name): \(error)", kind: .failure)
        }
        console.err(String(format: "%@: %d texts → %d tokens in %.2f s, written to %@\n", name, texts.count,
                           vocab.count, Date().timeIntervalSince(start), out))
    }
}

public struct VocabSweepCommand: Command {
    public init() {}
    public let path = ["vocab", "sweep"]
    public let summary = "Fertility, [UNK] rate and embedding size per vocabulary size; pick V*"
    public let usage = """
        Usage: reproduce vocab sweep [--sizes LIST] [--hidden H] [--rule RULE] [--eval FILE] CORPUS…

        Trains one WordPiece vocabulary per size on the CORPUS files (one text per line), measures each on the
        --eval texts (default: the corpus itself) and prints a Markdown table: fertility (tokens per word),
        [UNK] rate, coverage (words kept whole), embedding parameters V·H and MB (fp32), with V* marked.
        RULE: fertility:X (smallest V within (1+X)× the fertility of the largest V), mb:X (largest V whose
        embedding is ≤ X MB) or unk:X (smallest V with [UNK] rate ≤ X).
        """
    public let options: [OptionSpec] = [
        .option("sizes", value: "LIST", help: "Comma-separated sizes", default: "30522,16000,8000,4000,2000,1000", rule: .intList(5...Int.max)),
        .option("hidden", value: "H", help: "Hidden size for the embedding size", default: "384", rule: .int(atLeast: 1)),
        .option("rule", value: "RULE", help: "How to pick V*", default: "fertility:0.10"),
        .option("eval", value: "FILE", help: "Evaluation texts, one per line (default: the corpus)"),
        .option("reference", value: "FILE", help: "Also measure an existing vocab.txt (e.g. the teacher's)"),
    ] + trainerOptions

    public func run(_ args: ParsedArguments, console: Console) throws {
        let name = "reproduce vocab sweep"
        let sizes = try (args.string("sizes") ?? "").split(separator: ",").map { s -> Int in
            guard let v = Int(s.trimmingCharacters(in: .whitespaces)), v >= 5 else {
                throw CLIError("\(name): --sizes expects whole numbers ≥ 5 separated by commas, got '\(s)'")
            }
            return v
        }
        guard !sizes.isEmpty else { throw CLIError("\(name): --sizes is empty") }
        let hidden = try args.int(defaulted: "hidden")
        let ruleText = args.string("rule") ?? ""
        guard let rule = SelectionRule(parsing: ruleText) else {
            throw CLIError("\(name): --rule expects fertility:X, mb:X or unk:X, got '\(ruleText)'")
        }
        let texts = try readCorpusLines(args.positionals, command: name)
        let evalTexts = try args.string("eval").map { try readCorpusLines([$0], command: name) } ?? texts
        var wc = WordCounts()
        wc.add(contentsOf: texts)
        let (rows, _) = try VocabSweep.run(sizes: sizes, wordCounts: wc, evaluationTexts: evalTexts, hidden: hidden,
                                           config: try trainerConfig(args, size: sizes.max()!))
        let chosen = VocabSweep.select(rows, rule: rule)
        console.out(VocabSweep.markdown(rows, chosen: chosen, hidden: hidden))
        console.out("\nV* = \(chosen.map { String($0.size) } ?? "none") (rule: \(rule))\n")
        if let ref = args.string("reference") {
            let vocab: Vocabulary
            do { vocab = try Vocabulary(contentsOf: ref) } catch let e as VocabError {
                throw CLIError("\(name): \(e.description)", kind: .failure)
            }
            let r = try VocabSweep.measure(vocab, on: evalTexts, hidden: hidden)
            console.out(String(format: "Reference %@: V = %d, fertility %.3f, [UNK] rate %.3f%%, coverage %.2f%%, "
                               + "embedding %.2f MB (fp32)\n", ref, r.size, r.fertility, r.unkRate * 100,
                               r.coverage * 100, r.embeddingMB))
        }
    }
}
