// Outputs put in place without losing anything (`moveIntoPlace`, `checkOutputFile`, `checkOutputFolder`) and manifest
// paths that cannot leave the data directory (`ManifestFile.pathProblem`, `Fetcher.fetch`).

import Foundation
import Testing
import PropertyTesting
@testable import Corpus

@Suite struct OutputFilesTests {
    func scratch(_ name: String) throws -> URL {
        let d = testScratchRoot.appendingPathComponent("outputfiles-\(name)-\(getpid())")
        try? FileManager.default.removeItem(at: d)
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    func write(_ text: String, _ url: URL) throws { try Data(text.utf8).write(to: url) }
    func read(_ url: URL) throws -> String { String(decoding: try Data(contentsOf: url), as: UTF8.self) }

    @Test func aFileReplacesAFile() throws {
        let d = try scratch("file"); defer { try? FileManager.default.removeItem(at: d) }
        let out = d.appendingPathComponent("out.tsv"), tmp = d.appendingPathComponent(".out.tsv.tmp")
        try write("old", out); try write("new", tmp)
        try moveIntoPlace(tmp, to: out)
        #expect(try read(out) == "new")
        #expect(!FileManager.default.fileExists(atPath: tmp.path))
    }

    /// The user's directory named as an output file: an error naming it; the directory and its file are untouched and
    /// the temporary is gone.
    @Test func aDirectoryIsNeverReplacedByAFile() throws {
        let d = try scratch("dir"); defer { try? FileManager.default.removeItem(at: d) }
        let user = d.appendingPathComponent("results"), tmp = d.appendingPathComponent(".results.tmp")
        try FileManager.default.createDirectory(at: user, withIntermediateDirectories: true)
        try write("precious", user.appendingPathComponent("notes.txt")); try write("new", tmp)
        #expect(throws: OutputError.self) { try moveIntoPlace(tmp, to: user) }
        do { try write("new", tmp); try moveIntoPlace(tmp, to: user) } catch let e as OutputError {
            #expect(e.path == user.path && e.description.contains("is a directory"))
        }
        #expect(try read(user.appendingPathComponent("notes.txt")) == "precious")
        #expect(!FileManager.default.fileExists(atPath: tmp.path))
        #expect(throws: OutputError.self) { try checkOutputFile(user.path) }
        try checkOutputFile(d.appendingPathComponent("new.tsv").path)
        try checkOutputFile(user.appendingPathComponent("notes.txt").path)
    }

    /// A folder output replaces a missing or empty folder, never one that holds files.
    @Test func aFolderReplacesOnlyAnEmptyFolder() throws {
        let d = try scratch("folder"); defer { try? FileManager.default.removeItem(at: d) }
        func made() throws -> URL {
            let t = d.appendingPathComponent(".model.tmp-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: t, withIntermediateDirectories: true)
            try write("weights", t.appendingPathComponent("model.safetensors"))
            return t
        }
        let fresh = d.appendingPathComponent("fresh"), empty = d.appendingPathComponent("empty"), full = d.appendingPathComponent("full")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: full, withIntermediateDirectories: true)
        try write("precious", full.appendingPathComponent("notes.txt"))
        try checkOutputFolder(fresh.path); try checkOutputFolder(empty.path)
        #expect(throws: OutputError.self) { try checkOutputFolder(full.path) }
        #expect(throws: OutputError.self) { try checkOutputFolder(full.appendingPathComponent("notes.txt").path) }
        try moveIntoPlace(try made(), to: fresh)
        try moveIntoPlace(try made(), to: empty)
        #expect(try read(fresh.appendingPathComponent("model.safetensors")) == "weights")
        #expect(try read(empty.appendingPathComponent("model.safetensors")) == "weights")
        let tmp = try made()
        #expect(throws: OutputError.self) { try moveIntoPlace(tmp, to: full) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: full.path) == ["notes.txt"])
        #expect(!FileManager.default.fileExists(atPath: tmp.path))
    }
}

@Suite struct ManifestPathTests {
    /// Paths made of random components: accepted exactly when relative with no empty, "." or ".." component; an
    /// accepted path, joined to a data directory, stays inside it.
    @Test func pathsStayInsideTheDataDirectory() throws {
        let parts = ["a", "b.tsv", "..", ".", "", "x y", "dl19"]
        let gen = Gen.zip(Gen.int(in: 1...4), Gen.int(in: 0...10_000), Gen.int(in: 0...1))
        try propertyCheck(gen) { v in
            let (n, pick, absolute) = v
            var k = pick
            let components = (0..<n).map { _ -> String in defer { k /= parts.count }; return parts[k % parts.count] }
            let path = (absolute == 1 ? "/" : "") + components.joined(separator: "/")
            let bad = absolute == 1 || components.contains { $0.isEmpty || $0 == "." || $0 == ".." }
            try require((ManifestFile.pathProblem(path) != nil) == bad, "'\(path)': \(ManifestFile.pathProblem(path) ?? "accepted")")
            if !bad {
                let inside = (("/data/" + path) as NSString).standardizingPath
                try require(inside.hasPrefix("/data/"), "'\(path)' leaves the data directory: \(inside)")
            }
        }
    }

    /// A manifest whose path climbs out of the data directory: `read` and `fetch` refuse it, and nothing is written.
    @Test func fetchRefusesAnEscapingPath() throws {
        let root = testScratchRoot.appendingPathComponent("manifest-escape-\(getpid())")
        try? FileManager.default.removeItem(at: root)
        let into = root.appendingPathComponent("data/inner")
        try FileManager.default.createDirectory(at: into, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let m = Manifest(name: "evil", description: "", licence: "", citation: "",
                         files: [ManifestFile(path: "ok.txt", url: "http://127.0.0.1:9/ok"),
                                 ManifestFile(path: "../../x", url: "http://127.0.0.1:9/x")])
        do {
            _ = try Fetcher(destination: into.path, retries: 0).fetch(m)
            Issue.record("an escaping path was fetched")
        } catch let e as FetchError {
            #expect(e.description.contains("'../../x'") && e.description.contains("'..' component"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: into.path).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("x").path))
        let file = root.appendingPathComponent("evil.json")
        try JSONEncoder().encode(m).write(to: file)
        do {
            _ = try Manifest.read(file.path)
            Issue.record("an escaping manifest was read")
        } catch let e as DataFormatError {
            #expect(e.description.contains("evil.json") && e.description.contains("'../../x'"))
        }
    }
}
