// `reproduce docs`: rewrites the code blocks that the pages mark with `<!-- source: FILE SYMBOL -->` from the
// source (Report/SourceSnippets.swift) and the tables marked `<!-- bench: FILE -->` from the committed benchmark
// result (Report/BenchTables.swift); with --check, only says which differ.

import Foundation
import Report

public struct DocsCommand: Command {
    public init() {}
    public let path = ["docs"]
    public let summary = "Refresh the code and benchmark tables on the Docs pages (or --check that they match)"
    public var usage: String {
        """
        Usage: reproduce docs [--root DIR] [--check]

        Every code block of README.md and Docs/*.md marked '<!-- source: FILE SYMBOL -->' shows a declaration of
        the package; this command rewrites each from FILE (the declaration of SYMBOL with its doc comment and
        body), and every table marked '<!-- bench: FILE -->' from FILE, a benchmark result (bench-results/NAME.json)
        committed under Docs/bench/. With --check it changes nothing and exits 1 naming each page that differs.
        """
    }
    public let options: [OptionSpec] = [
        .option("root", value: "DIR", help: "The package root", default: "."),
        .flag("check", help: "Only check; exit 1 when a page shows code the source no longer has"),
    ]

    public func run(_ args: ParsedArguments, console: Console) throws {
        let root = URL(fileURLWithPath: try args.string(defaulted: "root"))
        let docs = root.appendingPathComponent("Docs")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: docs.path) else {
            throw CLIError("reproduce docs: no Docs folder under \(root.path); give the package root with --root")
        }
        let pages = ["README.md"] + names.filter { $0.hasSuffix(".md") }.sorted().map { "Docs/" + $0 }
        var stale: [String] = [], blocks = 0
        for page in pages {
            let url = root.appendingPathComponent(page)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            let rendered: String
            do {
                blocks += try SourceSnippets.blocks(in: text, pageName: page).count
                let withCode = try SourceSnippets.render(text, pageName: page) { file in
                    try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
                }
                rendered = try BenchTables.renderPage(withCode, pageName: page) { file in
                    try Data(contentsOf: root.appendingPathComponent(file))
                }
            } catch { throw CLIError("reproduce docs: \(error)", kind: .failure) }
            guard rendered != text else { continue }
            stale.append(page)
            if !args.flag("check") { try Data(rendered.utf8).write(to: url, options: .atomic) }
        }
        if args.flag("check") {
            guard stale.isEmpty else {
                throw CLIError("reproduce docs --check: \(stale.joined(separator: ", ")) show code that differs from the source; "
                               + "run 'reproduce docs'", kind: .failure)
            }
            console.out("\(blocks) code blocks match the source.\n")
        } else {
            console.out("\(blocks) code blocks; rewrote \(stale.isEmpty ? "none" : stale.joined(separator: ", ")).\n")
        }
    }
}
