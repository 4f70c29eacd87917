// Code on the pages pulled from the source: a declaration is found with its doc comment and body (braces in strings
// and comments skipped), by name or qualified by its type; an ambiguous or missing symbol is an error; a page's marked
// blocks are rewritten from the source. And every marked block of README.md and Docs/*.md equals the source today —
// the test that fails when a page shows code the package no longer has.
import Foundation
import Testing
@testable import Report

@Suite struct SourceSnippetTests {
    static let source = """
        import Foundation

        /// A thing.
        /// Two lines of doc.
        public struct Thing: Sendable {
            public var x: Int
            /// Twice x.
            @inlinable public func twice() -> Int {
                let s = "not a } brace { here"   // nor } this
                return 2 * x
            }
            static let limit = 3
        }

        extension Other {
            public func twice(
                a: Int,
                b: Int
            ) -> Int {
                /* a } in a block comment */
                a + b
            }
        }

        public enum Kinds { case a, b }

        extension Other {
            func add(_ a: Int, to b: inout [Int]) { b.append(a) }
            func add(_ s: String) -> [Int] {
                var out: [Int] = []
                add(s.count, to: &out)
                return out
            }
            init(values: [Int], count: Int = 0) {}
            init(map: (Int) -> Int, over xs: [Int: [Int]]) {}
            init() {}
        }
        """

    @Test func findsDeclarationsWithDocAndBody() throws {
        #expect(try SourceSnippets.extract("Thing.twice", from: Self.source, file: "t.swift") == """
            /// Twice x.
            @inlinable public func twice() -> Int {
                let s = "not a } brace { here"   // nor } this
                return 2 * x
            }
            """)
        #expect(try SourceSnippets.extract("Other.twice", from: Self.source, file: "t.swift") == """
            public func twice(
                a: Int,
                b: Int
            ) -> Int {
                /* a } in a block comment */
                a + b
            }
            """)
        #expect(try SourceSnippets.extract("Thing.limit", from: Self.source, file: "t.swift") == "static let limit = 3")
        #expect(try SourceSnippets.extract("Kinds", from: Self.source, file: "t.swift") == "public enum Kinds { case a, b }")
        let thing = try SourceSnippets.extract("Thing", from: Self.source, file: "t.swift")
        #expect(thing.hasPrefix("/// A thing.\n/// Two lines of doc.\npublic struct Thing") && thing.hasSuffix("    static let limit = 3\n}"))
    }

    /// An overloaded function or initialiser is picked by its argument labels, as Swift writes them.
    @Test func overloadsArePickedByTheirLabels() throws {
        #expect(try SourceSnippets.extract("Other.add(_:to:)", from: Self.source, file: "t.swift")
                == "func add(_ a: Int, to b: inout [Int]) { b.append(a) }")
        #expect(try SourceSnippets.extract("Other.add(_:)", from: Self.source, file: "t.swift").hasPrefix("func add(_ s: String) -> [Int] {"))
        #expect(try SourceSnippets.extract("Other.init(values:count:)", from: Self.source, file: "t.swift") == "init(values: [Int], count: Int = 0) {}")
        #expect(try SourceSnippets.extract("Other.init(map:over:)", from: Self.source, file: "t.swift").hasPrefix("init(map:"))
        #expect(try SourceSnippets.extract("Other.init()", from: Self.source, file: "t.swift") == "init() {}")
        #expect(throws: SourceSnippetError.self) { try SourceSnippets.extract("Other.add", from: Self.source, file: "t.swift") }
        #expect(throws: SourceSnippetError.self) { try SourceSnippets.extract("Other.add(_:from:)", from: Self.source, file: "t.swift") }
    }

    @Test func ambiguousAndMissingSymbolsAreErrors() {
        #expect(throws: SourceSnippetError.self) { try SourceSnippets.extract("twice", from: Self.source, file: "t.swift") }
        #expect(throws: SourceSnippetError.self) { try SourceSnippets.extract("thrice", from: Self.source, file: "t.swift") }
        #expect(throws: SourceSnippetError.self) { try SourceSnippets.extract("Nowhere.twice", from: Self.source, file: "t.swift") }
        #expect(throws: SourceSnippetError.self) { try SourceSnippets.extract(".", from: Self.source, file: "t.swift") }
    }

    @Test func marksAreRewrittenFromTheSource() throws {
        let page = """
            # A page
            <!-- source: t.swift Thing.limit -->
            ```swift
            static let limit = 2   // stale
            ```
            text
            """
        let blocks = try SourceSnippets.blocks(in: page, pageName: "p.md")
        #expect(blocks.map(\.symbol) == ["Thing.limit"] && blocks[0].lines == 3..<4)
        let rendered = try SourceSnippets.render(page, pageName: "p.md") { _ in Self.source }
        #expect(rendered == page.replacingOccurrences(of: "static let limit = 2   // stale", with: "static let limit = 3"))
        #expect(try SourceSnippets.render(rendered, pageName: "p.md") { _ in Self.source } == rendered)
        #expect(throws: SourceSnippetError.self) {
            try SourceSnippets.blocks(in: "<!-- source: t.swift -->\n```swift\n```", pageName: "p.md")
        }
    }

    /// The pages show the code the package has.
    @Test func everyMarkedBlockOfThePagesMatchesTheSource() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let docs = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Docs").path)
        var checked = 0
        for page in ["README.md"] + docs.filter { $0.hasSuffix(".md") }.map({ "Docs/" + $0 }) {
            let text = try String(contentsOf: root.appendingPathComponent(page), encoding: .utf8)
            for b in try SourceSnippets.blocks(in: text, pageName: page) {
                let source = try String(contentsOf: root.appendingPathComponent(b.file), encoding: .utf8)
                let code = try SourceSnippets.extract(b.symbol, from: source, file: b.file)
                #expect(b.code == code, "\(page) shows \(b.file) \(b.symbol) as it no longer is; run 'reproduce docs'")
                checked += 1
            }
        }
        #expect(checked >= 14, "the pages should show at least the core declarations")
    }
}

/// Benchmark tables on the pages come from committed result files: the rendering of a result, and every marked table
/// of the pages equal to its file today.
@Suite struct BenchTableTests {
    static let result = Data("""
        {"benchmark": "collection", "arguments": ["--quick"], "host": "AMD EPYC, family 23 model 49 (AVX2)",
         "date": "2026-12-07T01:00:18Z", "commit": "abc1234",
         "rows": [{"case": "index build", "swift": 1.7509, "threads": 1, "unit": "s", "higherIsBetter": false},
                  {"case": "lookups", "swift": 1354.97, "peer": 677.5, "peerName": "dict", "threads": 2, "unit": "k/s",
                   "higherIsBetter": true},
                  {"case": "latency", "swift": 0.5, "peer": 1.5, "threads": 1, "unit": "ms", "higherIsBetter": false},
                  {"case": "NN 64×64×64", "swift": 80, "peer": 60, "ratio": 1.27, "ratioQ1": 1.25, "ratioQ3": 1.3,
                   "threads": 2, "unit": "GFLOP/s"}]}
        """.utf8)

    @Test func aResultRendersAsATableWithItsProvenance() throws {
        let lines = try BenchTables.render(Self.result, file: "r.json")
        #expect(lines == [
            "| case | ours | peer | ratio | unit | threads |", "|---|---:|---:|---:|---|---:|",
            "| index build | 1.75 | – | – | s | 1 |",
            "| lookups | 1355 | 678 (dict) | 2.00× | k/s | 2 |",
            "| latency | 0.5 | 1.50 | 3.00× | ms | 1 |",
            "| NN 64×64×64 | 80.0 | 60.0 | 1.27× (IQR 1.25–1.30) | GFLOP/s | 2 |",
            "",
            "*`bench collection --quick` on AMD EPYC, family 23 model 49 (AVX2), 2026-12-07, commit abc1234; ratio > 1: ours better.*",
        ])
        let page = "# P\n<!-- bench: r.json -->\n| stale |\n\n*`bench old` …*\ntext\n"
        let rendered = try BenchTables.renderPage(page, pageName: "p.md") { _ in Self.result }
        #expect(rendered == "# P\n<!-- bench: r.json -->\n" + lines.joined(separator: "\n") + "\ntext\n")
        #expect(try BenchTables.renderPage(rendered, pageName: "p.md") { _ in Self.result } == rendered)
        #expect(throws: SourceSnippetError.self) { try BenchTables.render(Data("{}".utf8), file: "x.json") }
    }

    @Test func everyMarkedBenchTableOfThePagesMatchesItsFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let docs = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Docs").path)
        for page in ["README.md"] + docs.filter { $0.hasSuffix(".md") }.map({ "Docs/" + $0 }) {
            let text = try String(contentsOf: root.appendingPathComponent(page), encoding: .utf8)
            let rendered = try BenchTables.renderPage(text, pageName: page) { try Data(contentsOf: root.appendingPathComponent($0)) }
            #expect(rendered == text, "\(page) shows a benchmark table that differs from its result file; run 'reproduce docs'")
        }
    }
}
