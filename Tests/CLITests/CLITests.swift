// The command line: help texts, unknown commands and options, exit codes.
import Testing
@testable import CLI
import Experiments

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

    @Test func foldIsGone() {
        // Paper A tests on DL19 and DL20 in every table: the swapped fold (train DL19, test DL20) is no more.
        let (console, _, err) = Console.capturing()
        #expect(Commands.main(["paper-a", "--scale", "smoke", "--fold", "swapped"], console: console) == 2)
        #expect(err().contains("--fold"))
        let (c3, out3, _) = Console.capturing()
        #expect(Commands.main(["paper-a", "--help"], console: c3) == 0)
        #expect(!out3().contains("--fold") && !out3().contains("swapped-fold"))
    }

    @Test func otherSeedsAndTheMiniLMTeacherWriteBesideTheCommittedOutputs() {
        #expect(defaultOutput(seed: 2020) == "paper-figures")
        #expect(defaultOutput(seed: 2021) == "paper-figures/seed-2021")
        #expect(defaultOutput(seed: 2020, miniLMTeacher: true) == "paper-figures/minilm-teacher")
        #expect(defaultOutput(seed: 7, miniLMTeacher: true) == "paper-figures/seed-7/minilm-teacher")
        #expect(defaultOutput(seed: 2020, budget: .long) == "paper-figures/long-budget")
    }

    @Test func budgetAppliesToPaperAOnly() {
        let (console, _, err) = Console.capturing()
        #expect(Commands.main(["all", "--scale", "smoke", "--budget", "long"], console: console) == 2)
        #expect(err().contains("--budget applies to Paper A only") && err().contains("reproduce paper-a --budget long"))
        let (c2, _, e2) = Console.capturing()
        #expect(Commands.main(["paper-a", "--budget", "forever"], console: c2) == 2)
        #expect(e2().contains("--budget takes one of default, long, not 'forever'"))
    }

    @Test func studentNamesARegisteredArchitecture() {
        for (args, says) in [(["paper-a", "--scale", "smoke", "--student", "nope"], "'nope' is not a registered architecture"),
                             (["paper-a", "--scale", "smoke", "--student", "colbert"], "one of the paper's architectures"),
                             (["paper-b", "--scale", "smoke", "--student", "colbert"], "one of the paper's architectures")] {
            let (console, _, err) = Console.capturing()
            #expect(Commands.main(args, console: console) == 2, "\(args)")
            #expect(err().contains(says), "\(args): \(err())")
        }
        #expect(defaultOutput(seed: 2020, students: ["mean-cos"]) == "paper-figures/students-mean-cos")
    }

    @Test func miniLMTeacherAppliesToPaperAOnlyAndIsExplained() {
        let (console, _, err) = Console.capturing()
        #expect(Commands.main(["all", "--scale", "smoke", "--minilm-teacher"], console: console) == 2)
        #expect(err().contains("--minilm-teacher applies to Paper A only") && err().contains("reproduce paper-a --minilm-teacher"))
        let (c2, out2, _) = Console.capturing()
        #expect(Commands.main(["paper-a", "--help"], console: c2) == 0)
        #expect(out2().contains("--minilm-teacher") && out2().contains("paper-figures/minilm-teacher"))
        let (c3, out3, _) = Console.capturing()
        #expect(Commands.main(["list"], console: c3) == 0)
        #expect(out3().contains("reproduce paper-a --minilm-teacher"))
    }

    @Test func listNamesEveryArtefactAndTheTestSets() {
        let (console, out, _) = Console.capturing()
        #expect(Commands.main(["list"], console: console) == 0)
        for e in Experiments.all { #expect(out().contains(e.id + " ") && out().contains(e.title)) }
        #expect(out().contains("tests on TREC DL 2019 and 2020"))
    }

    @Test func commandHelpHasUsageAndOptions() {
        let (console, out, _) = Console.capturing()
        #expect(Commands.main(["list", "--help"], console: console) == 0)
        #expect(out().hasPrefix("Usage: reproduce list"))
        #expect(out().contains("--help"))
    }
}
