// The module graph drawn in Docs/README.md is the one Package.swift declares: every library target, with exactly its
// dependencies, and no other module in the table.
import Foundation
import Testing

@Suite struct ModuleGraphTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Library targets of Package.swift and their dependencies (`.target(name: "X", dependencies: [...]`).
    static func packageGraph() throws -> [String: Set<String>] {
        let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        var graph: [String: Set<String>] = [:]
        let parts = text.components(separatedBy: ".target(name: \"").dropFirst()
        for part in parts {
            let name = String(part.prefix { $0 != "\"" })
            let call = part.prefix { $0 != ")" }          // up to the call's end (no ")" inside a target's arguments)
            var deps = Set<String>()
            if let open = call.range(of: "dependencies: [") {
                let list = call[open.upperBound...].prefix { $0 != "]" }
                deps = Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }.filter { !$0.isEmpty })
            }
            graph[name] = deps
        }
        for support in testSupport { graph[support] = nil }   // test support, not modules of the package
        return graph
    }

    /// Targets under Tests/ that other test targets share; not modules of the package.
    static let testSupport: Set<String> = ["PropertyTesting", "RankerTesting"]

    /// Test targets of Package.swift and their dependencies (`.testTarget(name: "XTests", dependencies: [...]`).
    static func testGraph() throws -> [String: Set<String>] {
        let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        var graph: [String: Set<String>] = [:]
        for part in text.components(separatedBy: ".testTarget(name: \"").dropFirst() {
            let name = String(part.prefix { $0 != "\"" })
            let call = part.prefix { $0 != ")" }
            var deps = Set<String>()
            if let open = call.range(of: "dependencies: [") {
                let list = call[open.upperBound...].prefix { $0 != "]" }
                deps = Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }.filter { !$0.isEmpty })
            }
            graph[name] = deps
        }
        return graph
    }

    /// Everything `module` uses, directly or through another module.
    static func closure(of module: String, in graph: [String: Set<String>]) -> Set<String> {
        var seen = Set<String>(), todo = Array(graph[module] ?? [])
        while let m = todo.popLast() {
            if seen.insert(m).inserted { todo += graph[m] ?? [] }
        }
        return seen
    }

    /// The table under "The module graph" in Docs/README.md.
    static func documentedGraph() throws -> [String: Set<String>] {
        let page = try String(contentsOf: root.appendingPathComponent("Docs/README.md"), encoding: .utf8)
        guard let start = page.range(of: "## The module graph") else { return [:] }
        let section = String(page[start.upperBound...]).components(separatedBy: "\n## ").first ?? ""
        var graph: [String: Set<String>] = [:]
        for line in section.split(separator: "\n") where line.hasPrefix("| ") && !line.hasPrefix("| module") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
                .map { String($0).trimmingCharacters(in: CharacterSet.whitespaces) }
            guard cells.count >= 4 else { continue }
            let deps = cells[2] == "—" ? [] : cells[2].split(separator: ",").map { String($0).trimmingCharacters(in: CharacterSet.whitespaces) }
            graph[cells[1]] = Set(deps)
        }
        return graph
    }

    @Test func docsDrawThePackagesGraph() throws {
        let declared = try Self.packageGraph(), drawn = try Self.documentedGraph()
        #expect(!declared.isEmpty && declared.count >= 12, "Package.swift parsed: \(declared.keys.sorted())")
        #expect(Set(drawn.keys) == Set(declared.keys),
                "modules in Docs/README.md \(drawn.keys.sorted()) vs Package.swift \(declared.keys.sorted())")
        for (module, deps) in declared { #expect(drawn[module] == deps, "\(module): drawn \(drawn[module]?.sorted() ?? []), declared \(deps.sorted())") }
    }

    /// `XTests` depends on module X, on what X uses, and on test support only: a test of one module that needs a
    /// module above it (StudentTests importing MarginMSE, say) tests the wrong target.
    @Test func eachTestTargetDependsOnItsModuleAndBelow() throws {
        let modules = try Self.packageGraph(), tests = try Self.testGraph()
        #expect(tests.count >= 12, "test targets parsed: \(tests.keys.sorted())")
        for (target, deps) in tests {
            let module = String(target.dropLast("Tests".count))
            guard modules[module] != nil else { Issue.record("\(target) names no module"); continue }
            let allowed = Self.closure(of: module, in: modules).union([module]).union(Self.testSupport)
            #expect(deps.contains(module), "\(target) does not depend on \(module)")
            #expect(deps.isSubset(of: allowed), "\(target) depends on \(deps.subtracting(allowed).sorted()), above \(module)")
        }
    }
}

/// Pages and source comments point only inside the repository: not to the planning files beside it, nor to the
/// project's issue numbers (a reader of the package has neither).
@Suite struct InRepositoryReferenceTests {
    @Test func noPageOrSourcePointsOutsideTheRepository() throws {
        let root = ModuleGraphTests.root
        let banned = ["REPRODUCTION.md", "DESIGN.md", "../shared/papers", "issue 1", "issue 2", "issue 3", "issue 4",
                      "issue 5", "issue 6", "issue 7", "issue 8", "issue 9"]
        var offenders: [String] = [], read = 0
        for folder in ["Sources", "Docs"] {
            let base = root.appendingPathComponent(folder)
            guard let walk = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let rel as String in walk where rel.hasSuffix(".swift") || rel.hasSuffix(".md") {
                if rel.hasPrefix("Log-") || rel.hasPrefix("bench/peers") { continue }   // run logs quote history
                let text = try String(contentsOf: base.appendingPathComponent(rel), encoding: .utf8)
                read += 1
                for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    for b in banned where line.contains(b) { offenders.append("\(folder)/\(rel):\(n + 1): \(b)") }
                }
            }
        }
        #expect(read > 150, "only \(read) files read")
        #expect(offenders.isEmpty, "\(offenders.count) references outside the repository:\n\(offenders.joined(separator: "\n"))")
    }
}

/// Source comments carry no dated measurements or run history (that belongs in commit messages and the papers'
/// logs): no comment line of `Sources/` names a date, except the benchmark harness's output formats.
@Suite struct UndatedSourceCommentTests {
    @Test func noSourceCommentNamesADate() throws {
        let base = ModuleGraphTests.root.appendingPathComponent("Sources")
        let date = try Regex("20[0-9][0-9]-[01][0-9]-[0-3][0-9]")
        var offenders: [String] = [], read = 0
        guard let walk = FileManager.default.enumerator(atPath: base.path) else { return }
        for case let rel as String in walk where rel.hasSuffix(".swift") && !rel.hasPrefix("bench/") {
            let text = try String(contentsOf: base.appendingPathComponent(rel), encoding: .utf8)
            read += 1
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                guard let comment = line.range(of: "//") else { continue }
                let rest = line[comment.lowerBound...]
                if rest.contains(date) && !rest.contains("`bench ") { offenders.append("Sources/\(rel):\(n + 1)") }
            }
        }
        #expect(read > 100, "only \(read) files read")
        #expect(offenders.isEmpty, "dated comments: \(offenders.joined(separator: ", "))")
    }
}

