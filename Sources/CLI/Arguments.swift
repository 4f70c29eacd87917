// Command-line arguments, parsed in-house (no swift-argument-parser; see Package.swift).
// Grammar: `--name value`, `--name=value`, `-x value` (single-letter aliases), boolean `--flag`, repeated options
// (`-m ndcg_cut.10 -m map`), `--` ends options; everything else is positional. Unknown options are errors that
// name the option and suggest `--help`.

import Foundation
import Corpus
import Vocab

/// An error meant for the user of the command line: printed as-is, with exit code 2 (usage) or 1 (failure).
public struct CLIError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable { case usage, failure }
    public let kind: Kind
    public let message: String
    public init(_ message: String, kind: Kind = .usage) { self.message = message; self.kind = kind }
    public var description: String { message }
    public var exitCode: Int32 { kind == .usage ? 2 : 1 }
}

/// What values an option accepts: whole numbers or finite numbers in a range, one of some names, or a comma-separated
/// list of whole numbers. Checked for every value (and the default) when the arguments are parsed, before any work,
/// and shown in `--help`.
public struct ValueRule: Sendable {
    /// Accepted values, as `--help` and errors say them (e.g. "a whole number ≥ 1").
    public let accepted: String
    let accepts: @Sendable (String) -> Bool

    /// A whole number in `range`.
    public static func int(_ range: ClosedRange<Int>) -> ValueRule {
        let text = range.upperBound == .max ? "a whole number ≥ \(range.lowerBound)" : "a whole number from \(range.lowerBound) to \(range.upperBound)"
        return ValueRule(accepted: text) { Int($0).map(range.contains) ?? false }
    }
    /// A whole number ≥ `minimum`.
    public static func int(atLeast minimum: Int) -> ValueRule { .int(minimum...Int.max) }
    /// A finite number ≥ `minimum` (> `minimum` when `exclusive`), ≤ `maximum` when given. NaN and infinities never pass.
    public static func number(atLeast minimum: Double, exclusive: Bool = false, atMost maximum: Double? = nil) -> ValueRule {
        let low = exclusive ? "> \(short(minimum))" : "≥ \(short(minimum))"
        let text = "a finite number \(low)" + (maximum.map { " and ≤ \(short($0))" } ?? "")
        return ValueRule(accepted: text) { s in
            guard let v = Double(s), v.isFinite else { return false }
            return (exclusive ? v > minimum : v >= minimum) && (maximum.map { v <= $0 } ?? true)
        }
    }
    /// One of `names`.
    public static func choice(_ names: [String]) -> ValueRule {
        ValueRule(accepted: "one of " + names.joined(separator: ", ")) { names.contains($0) }
    }
    /// Comma-separated whole numbers, each in `range`, at least one.
    public static func intList(_ range: ClosedRange<Int>) -> ValueRule {
        let each = range.upperBound == .max ? "≥ \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
        return ValueRule(accepted: "comma-separated whole numbers \(each)") { s in
            let items = s.split(separator: ",", omittingEmptySubsequences: false)
            return !items.isEmpty && items.allSatisfy { Int($0.trimmingCharacters(in: .whitespaces)).map(range.contains) ?? false }
        }
    }

    private static func short(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }
}

/// What a command accepts: options with values, boolean flags, short aliases. Used to parse and to write `--help`.
public struct OptionSpec: Sendable {
    public let name: String          // without dashes, e.g. "max-length"
    public let short: Character?     // e.g. "m" for -m
    public let valueName: String?    // nil for a boolean flag; e.g. "N", "FILE"
    public let help: String
    public let defaultValue: String?
    public let repeats: Bool
    /// What values are accepted (nil: any text, e.g. a path).
    public let rule: ValueRule?

    public static func option(_ name: String, short: Character? = nil, value: String, help: String,
                              default defaultValue: String? = nil, repeats: Bool = false, rule: ValueRule? = nil) -> OptionSpec {
        OptionSpec(name: name, short: short, valueName: value, help: help, defaultValue: defaultValue, repeats: repeats, rule: rule)
    }
    public static func flag(_ name: String, short: Character? = nil, help: String) -> OptionSpec {
        OptionSpec(name: name, short: short, valueName: nil, help: help, defaultValue: nil, repeats: false, rule: nil)
    }
}

/// Parsed arguments of one command.
public struct ParsedArguments: Sendable {
    public var values: [String: [String]] = [:]
    public var flags: Set<String> = []
    public var positionals: [String] = []

    public func flag(_ name: String) -> Bool { flags.contains(name) }
    public func string(_ name: String) -> String? { values[name]?.last }
    public func strings(_ name: String) -> [String] { values[name] ?? [] }

    public func int(_ name: String) throws -> Int? {
        guard let s = string(name) else { return nil }
        guard let v = Int(s) else { throw CLIError("--\(name) expects a whole number, got '\(s)'") }
        return v
    }
    public func double(_ name: String) throws -> Double? {
        guard let s = string(name) else { return nil }
        guard let v = Double(s) else { throw CLIError("--\(name) expects a number, got '\(s)'") }
        return v
    }
    /// The value of an option that has a default (`OptionSpec.defaultValue`): the parser fills defaults in, so the
    /// default is stated once, in the option's spec. An option without a default is a programming error here.
    public func int(defaulted name: String) throws -> Int {
        guard let v = try int(name) else { throw CLIError("--\(name) has no default in its option spec (a bug)") }
        return v
    }
    public func double(defaulted name: String) throws -> Double {
        guard let v = try double(name) else { throw CLIError("--\(name) has no default in its option spec (a bug)") }
        return v
    }
    public func string(defaulted name: String) throws -> String {
        guard let v = string(name) else { throw CLIError("--\(name) has no default in its option spec (a bug)") }
        return v
    }
    public func required(_ name: String, command: String) throws -> String {
        guard let v = string(name) else {
            throw CLIError("\(command): missing --\(name). See '\(command) --help'.")
        }
        return v
    }
}

/// Parses `args` against `specs`. `--help`/`-h` is recognised by the caller before this is called.
public func parseArguments(_ args: [String], specs: [OptionSpec], command: String) throws -> ParsedArguments {
    var parsed = ParsedArguments()
    for spec in specs { if let d = spec.defaultValue { parsed.values[spec.name] = [d] } }
    var explicitlySet: Set<String> = []
    var i = 0
    func lookup(_ token: String) -> OptionSpec? {
        if token.hasPrefix("--") { let n = String(token.dropFirst(2)); return specs.first { $0.name == n } }
        if token.count == 2, token.hasPrefix("-") { let c = token.last!; return specs.first { $0.short == c } }
        return nil
    }
    while i < args.count {
        let arg = args[i]
        if arg == "--" { parsed.positionals += args[(i + 1)...]; break }
        if arg.hasPrefix("-") && arg.count > 1 && Double(arg) == nil {
            var token = arg, inline: String? = nil
            // Split at the first "=" byte, not Character: a value starting with a combining mark would otherwise merge
            // with the "=" into one Character and hide it.
            if arg.hasPrefix("--"), let eq = arg.utf8.firstIndex(of: UInt8(ascii: "=")) {
                token = String(decoding: arg.utf8[..<eq], as: UTF8.self)
                inline = String(decoding: arg.utf8[arg.utf8.index(after: eq)...], as: UTF8.self)
            }
            guard let spec = lookup(token) else {
                throw CLIError("\(command): unknown option '\(token)'. See '\(command) --help'.")
            }
            if spec.valueName == nil {
                if inline != nil { throw CLIError("\(command): --\(spec.name) takes no value") }
                parsed.flags.insert(spec.name)
            } else {
                let value: String
                if let inline { value = inline } else {
                    guard i + 1 < args.count else {
                        throw CLIError("\(command): --\(spec.name) needs a value (\(spec.valueName!))")
                    }
                    i += 1; value = args[i]
                }
                if spec.repeats && explicitlySet.contains(spec.name) {
                    parsed.values[spec.name, default: []].append(value)
                } else {
                    parsed.values[spec.name] = [value]
                }
                explicitlySet.insert(spec.name)
            }
        } else {
            parsed.positionals.append(arg)
        }
        i += 1
    }
    for spec in specs {
        guard let rule = spec.rule else { continue }
        for v in parsed.values[spec.name] ?? [] where !rule.accepts(v) {
            throw CLIError("\(command): --\(spec.name) takes \(rule.accepted), not '\(v)'. See '\(command) --help'.")
        }
    }
    return parsed
}

/// Formats the options block of a `--help` text.
public func formatOptions(_ specs: [OptionSpec]) -> String {
    var lines: [String] = []
    for s in specs {
        var left = "  "
        if let c = s.short { left += "-\(c), " } else { left += "    " }
        left += "--\(s.name)"
        if let v = s.valueName { left += " \(v)" }
        var help = s.help
        if let r = s.rule { help += " [\(r.accepted)]" }
        if let d = s.defaultValue { help += " (default: \(d))" }
        if s.repeats { help += " (repeatable)" }
        if left.count < 28 { left += String(repeating: " ", count: 28 - left.count) } else { left += "  " }
        lines.append(left + help)
    }
    lines.append("  -h, --help                Show this help.")
    return lines.joined(separator: "\n")
}

/// `path` as an output of `command`, checked before any work: a file output is never a directory, a folder output is
/// new or empty (`checkOutputFile`, `checkOutputFolder`); otherwise a usage error naming the option.
func checkedOutput(_ path: String, option: String, folder: Bool = false, command: String) throws -> String {
    do {
        if folder { try checkOutputFolder(path) } else { try checkOutputFile(path) }
    } catch let e as OutputError {
        throw CLIError("\(command): --\(option) \(e)")
    }
    return path
}

/// A vocabulary whose ids all have a row in the model's embedding table (`rows`): a longer vocab.txt would hand the
/// model ids it cannot look up.
func checkVocabularyFits(_ tokenizer: BertTokenizer, rows: Int, vocab: String, model: String, command: String) throws {
    guard tokenizer.vocabulary.count <= rows else {
        throw CLIError("\(command): \(vocab) has \(tokenizer.vocabulary.count) tokens, but the model in \(model) has \(rows) "
                       + "embedding rows (config.json vocab_size): give the model's own vocab.txt", kind: .failure)
    }
}
