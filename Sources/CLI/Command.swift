// A subcommand of `reproduce`: a name, a one-line summary, a help text, options, and a run function.
// Each module's commands live in their own file (`TokenizeCommand.swift`, `EvalCommand.swift`, …) and are listed
// once in `Commands.all`.

import Foundation

/// Where a command writes: standard output and standard error, replaceable in tests.
public final class Console: @unchecked Sendable {
    public var out: (String) -> Void
    public var err: (String) -> Void
    public var stdinLines: () -> AnySequence<String>

    public init(out: @escaping (String) -> Void, err: @escaping (String) -> Void,
                stdinLines: @escaping () -> AnySequence<String>) {
        self.out = out; self.err = err; self.stdinLines = stdinLines
    }

    /// The process's real streams.
    public static func standard() -> Console {
        Console(out: { s in FileHandle.standardOutput.write(Data(s.utf8)) },
                err: { s in FileHandle.standardError.write(Data(s.utf8)) },
                stdinLines: { AnySequence(AnyIterator { readLine(strippingNewline: true) }) })
    }

    /// Captures output in memory (for tests).
    public static func capturing(stdin: [String] = []) -> (Console, () -> String, () -> String) {
        let box = CaptureBox()
        let c = Console(out: { box.out += $0 }, err: { box.err += $0 }, stdinLines: { AnySequence(stdin) })
        return (c, { box.out }, { box.err })
    }
}

final class CaptureBox: @unchecked Sendable { var out = ""; var err = "" }

public protocol Command: Sendable {
    /// The words that select it, e.g. ["tokenize"] or ["vocab", "train"].
    var path: [String] { get }
    var summary: String { get }
    /// Usage line(s) and a paragraph on what it does; the options block is appended automatically.
    var usage: String { get }
    var options: [OptionSpec] { get }
    func run(_ args: ParsedArguments, console: Console) throws
}

extension Command {
    public var helpText: String {
        "\(usage)\n\nOptions:\n\(formatOptions(options))\n"
    }
}
