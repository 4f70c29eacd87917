// The command line: help texts, unknown commands and options, exit codes.
import Corpus
import Experiments
import Foundation
import PropertyTesting
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

    @Test func foldIsGone() {
        // Paper A tests on DL19 and DL20 in every table: the swapped fold (train DL19, test DL20) is no more.
        let (console, _, err) = Console.capturing()
        #expect(Commands.main(["paper-a", "--scale", "smoke", "--fold", "swapped"], console: console) == 2)
        #expect(err().contains("--fold"))
        let (c3, out3, _) = Console.capturing()
        #expect(Commands.main(["paper-a", "--help"], console: c3) == 0)
        #expect(!out3().contains("--fold") && !out3().contains("swapped-fold"))
    }

    /// `--scale full` runs nothing in its place: it names every missing input with its manifest and the fetch command,
    /// and a missing model folder with what it must hold.
    @Test func fullScaleSaysWhatIsMissingAndStops() throws {
        let dir = testScratchRoot.appendingPathComponent("full-scale-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (console, _, err) = Console.capturing()
        #expect(Commands.main(["paper-a", "--scale", "full", "--data", dir], console: console) == 1)
        let message = err()
        for input in FullScale.inputs { #expect(message.contains(input.path), "\(input.path) not named") }
        #expect(message.contains("reproduce fetch msmarco-passage-full --into \(dir)"))
        #expect(message.contains("reproduce fetch margin-mse-teacher-scores --into \(dir)"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/paper-a"), "nothing was written")
        // Every manifest named exists and provides a file in the input's folder.
        let manifests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data-manifests").path
        for input in FullScale.inputs {
            let m = try Manifest.named(input.manifest, in: manifests)
            let folder = (input.path as NSString).deletingLastPathComponent
            #expect(m.files.contains { ($0.path as NSString).deletingLastPathComponent == folder }, "\(input.path)")
        }
        // Every input present (empty files) but no model folder: the error names the model folder and what it needs.
        for input in FullScale.inputs {
            let path = (dir as NSString).appendingPathComponent(input.path)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: path, contents: Data())
        }
        #expect(FullScale.missing(in: dir).isEmpty)
        let (c2, _, e2) = Console.capturing()
        #expect(Commands.main(["paper-a", "--scale", "full", "--data", dir], console: c2) == 1)
        #expect(e2().contains("\(dir)/models/bert-base-uncased: no config.json"), "\(e2())")
        // Other commands say where the full scale is.
        let (c3, _, e3) = Console.capturing()
        #expect(Commands.main(["paper-b", "--scale", "full", "--data", dir], console: c3) == 2)
        #expect(e3().contains("run 'reproduce paper-a --scale full'"))
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
