// The entry point of `reproduce`: finds the subcommand, prints help, runs it, and maps errors to exit codes
// (0 success, 1 failure with a message, 2 usage error).

import Foundation

public enum Commands {
    /// Every subcommand. Add a new one here (one line) after writing its file.
    public static let all: [any Command] = [
        RunAllCommand(), ListCommand(), CheckCommand(), DocsCommand(), PaperCommand(.marginMSE), PaperCommand(.compression),
        ArtefactCommand(.table), ArtefactCommand(.figure),
        PCAFitCommand(),
        TokenizeCommand(), VocabTrainCommand(), VocabSweepCommand(),
        EncodeCommand(), ScoreCommand(),
        DistillCommand(),
        EvalCommand(),
        BM25Command(),
        FetchCommand(),
        TrainCommand(), TeacherScoresCommand(),
    ]

    public static let overview = """
        reproduce — regenerate the tables and figures of two papers on small, fast neural rankers:
          A  Hofstätter et al. 2020, Margin-MSE cross-architecture knowledge distillation
          B  Chaulwar et al. 2022, extreme compression of sentence-transformer rankers (vocabulary + PCA)

        Usage: reproduce [COMMAND] [OPTIONS]
               reproduce                regenerate every table and figure at the default scale
               reproduce COMMAND --help show what a command does and its options
        """

    public static func helpText() -> String {
        var lines = [overview, "", "Commands:"]
        for c in all {
            let name = c.path.joined(separator: " ")
            lines.append("  " + name + String(repeating: " ", count: max(2, 24 - name.count)) + c.summary)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Runs the command line `args` (without the program name). Returns the exit code.
    public static func main(_ args: [String], console: Console = .standard()) -> Int32 {
        if args == ["--help"] || args == ["-h"] || args == ["help"] { console.out(helpText()); return 0 }
        // No command, or only options: regenerate everything.
        if args.isEmpty || (args[0].hasPrefix("-") && args[0] != "-h") { return run(RunAllCommand(), args, console) }
        // Longest command path that matches the leading words.
        let match = all.filter { args.starts(with: $0.path) }.max { $0.path.count < $1.path.count }
        guard let command = match else {
            console.err("reproduce: unknown command '\(args[0])'. Run 'reproduce --help' for the list.\n")
            return 2
        }
        return run(command, Array(args.dropFirst(command.path.count)), console)
    }

    static func run(_ command: any Command, _ rest: [String], _ console: Console) -> Int32 {
        if rest.contains("--help") || rest.contains("-h") { console.out(command.helpText); return 0 }
        let name = "reproduce " + command.path.joined(separator: " ")
        do {
            let parsed = try parseArguments(rest, specs: command.options, command: name)
            try command.run(parsed, console: console)
            return 0
        } catch let e as CLIError {
            console.err(e.message + "\n")
            return e.exitCode
        } catch {
            console.err("\(name): \(error)\n")
            return 1
        }
    }
}
