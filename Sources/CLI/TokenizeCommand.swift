// `reproduce tokenize`: WordPiece ids for texts read from standard input, one line of ids per input line, with the
// same ids as Hugging Face `tokenizers` (see Docs/Vocab.md). Pairs are tab-separated.

import Vocab

public struct TokenizeCommand: Command {
    public init() {}
    public let path = ["tokenize"]
    public let summary = "Print WordPiece ids (BERT uncased) for texts on standard input"
    public let usage = """
        Usage: reproduce tokenize --vocab FILE [--pair] [--max-length N] [--pad] [--tokens]

        Reads texts from standard input, one per line (with --pair: two texts separated by a tab), and prints
        one line per input: the ids, space-separated, with [CLS] and [SEP] (the BERT uncased tokenizer of
        all-MiniLM-L6-v2: lowercase, accents stripped, CJK spaced, WordPiece with ##). With --max-length the
        longer side is truncated first so that the whole encoding has at most N ids.
        """
    public let options: [OptionSpec] = [
        .option("vocab", value: "FILE", help: "vocab.txt (one token per line; needs [UNK], [CLS], [SEP], [PAD])"),
        .flag("pair", help: "Each line is 'TEXT<TAB>TEXT': encode as a pair with token types 0 and 1"),
        .option("max-length", value: "N", help: "Truncate (longest_first) to at most N ids, special tokens included", rule: .int(2...Int.max)),
        .flag("pad", help: "Pad with [PAD] to --max-length"),
        .flag("tokens", help: "Print the token strings instead of ids"),
    ]

    public func run(_ args: ParsedArguments, console: Console) throws {
        let name = "reproduce tokenize"
        let vocabPath = try args.required("vocab", command: name)
        let maxLength = try args.int("max-length")
        let minimum = args.flag("pair") ? 3 : 2   // room for [CLS] [SEP] ([SEP])
        if let m = maxLength, m < minimum {
            throw CLIError("\(name): --max-length must be at least \(minimum) (the special tokens), got \(m)")
        }
        if args.flag("pad") && maxLength == nil { throw CLIError("\(name): --pad needs --max-length") }
        let tokenizer: BertTokenizer
        do { tokenizer = try BertTokenizer(vocabFile: vocabPath) } catch let e as VocabError {
            throw CLIError("\(name): \(e.description)", kind: .failure)
        }
        var lineNumber = 0
        var buffer = ""
        for line in console.stdinLines() {
            lineNumber += 1
            var a = line, b: String? = nil
            if args.flag("pair") {
                guard let tab = line.firstIndex(of: "\t") else {
                    throw CLIError("\(name): standard input line \(lineNumber): --pair expects 'TEXT<TAB>TEXT'",
                                   kind: .failure)
                }
                a = String(line[..<tab]); b = String(line[line.index(after: tab)...])
            }
            let e = tokenizer.encode(a, pair: b, maxLength: maxLength, padTo: args.flag("pad") ? maxLength : nil)
            if args.flag("tokens") {
                buffer += e.ids.map { tokenizer.vocabulary.tokens[Int($0)] }.joined(separator: " ")
            } else {
                buffer += e.ids.map { String($0) }.joined(separator: " ")
            }
            buffer += "\n"
            if buffer.utf8.count > 1 << 16 { console.out(buffer); buffer = "" }
        }
        console.out(buffer)
    }
}
