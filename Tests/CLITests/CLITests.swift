// The command line: help texts, unknown commands and options, exit codes.
import Testing
@testable import CLI

@Suite struct CLITests {
    @Test func helpListsEveryCommand() {
        let (console, out, _) = Console.capturing()
        #expect(Commands.main(["--help"], console: console) == 0)
        for c in Commands.all { #expect(out().contains(c.path.joined(separator: " "))) }
    }

    @Test func unknownCommandIsAUsageError() {
        let (console, _, err) = Console.capturing()
        #expect(Commands.main(["frobnicate"], console: console) == 2)
        #expect(err().contains("unknown command 'frobnicate'"))
    }

    @Test func optionsParse() throws {
        let specs: [OptionSpec] = [.option("max-length", value: "N", help: "", default: "128"),
                                   .option("measure", short: "m", value: "NAME", help: "", repeats: true),
                                   .flag("pair", help: "")]
        let p = try parseArguments(["--max-length=64", "-m", "map", "-m", "ndcg", "--pair", "file.txt"],
                                   specs: specs, command: "t")
        #expect(try p.int("max-length") == 64)
        #expect(p.strings("measure") == ["map", "ndcg"])
        #expect(p.flag("pair"))
        #expect(p.positionals == ["file.txt"])
        let d = try parseArguments([], specs: specs, command: "t")
        #expect(try d.int("max-length") == 128)
        #expect(throws: CLIError.self) { try parseArguments(["--nope"], specs: specs, command: "t") }
        #expect(throws: CLIError.self) { try parseArguments(["--max-length"], specs: specs, command: "t") }
        #expect(throws: CLIError.self) { try parseArguments(["--max-length", "x"], specs: specs, command: "t").int("max-length") }
    }

    @Test func commandHelpHasUsageAndOptions() {
        let (console, out, _) = Console.capturing()
        #expect(Commands.main(["list", "--help"], console: console) == 0)
        #expect(out().hasPrefix("Usage: reproduce list"))
        #expect(out().contains("--help"))
    }
}
