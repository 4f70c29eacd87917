// The memory-mapped collection: lookups equal the streaming reader's records on random collections (dense and
// sparse pids, CRLF endings, a BOM, a missing final newline, non-ASCII text); the kept index is reused and rebuilt
// when the collection changes; malformed lines name their line.
import Foundation
import Testing
import PropertyTesting
@testable import Corpus

@Suite struct MappedCollectionTests {
    /// A random collection: pids 0..<n in order (dense) or distinct random pids in random order, and its file text.
    static var collectionGen: Gen<(records: [(Int, String)], file: String)> {
        let letters: [Unicode.Scalar] = Array("abc xyzé中ß\"',.0123".unicodeScalars)
        let text = Gen<String>.string(from: letters, count: 0...30)
        return Gen<([String], Int)>.zip(Gen<[String]>.array(of: text, count: 1...60), .int(in: 0...15)).map { pair in
            let (texts, style) = pair
            let dense = style & 1 == 0, crlf = style & 2 != 0, bom = style & 4 != 0, finalNewline = style & 8 == 0
            var state = UInt64(texts.count * 31 + style) &* 0x9E37_79B9_7F4A_7C15 | 1
            func next() -> UInt64 { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return state >> 33 }
            var pids = Array(0..<texts.count)
            if !dense {
                var used = Set<Int>()
                pids = texts.indices.map { _ in
                    var p: Int
                    repeat { p = Int(next() % 10_000_000) } while used.contains(p)
                    used.insert(p); return p
                }
            }
            let records = Array(zip(pids, texts))
            var file = bom ? "\u{FEFF}" : ""
            file += records.map { "\($0.0)\t\($0.1)" }.joined(separator: crlf ? "\r\n" : "\n")
            if finalNewline { file += crlf ? "\r\n" : "\n" }
            return (records, file)
        }
    }

    @Test func lookupsEqualTheStreamingReader() {
        propertyCheck(Self.collectionGen, cases: 120) { c in
            let path = try temporaryFile("mapped-\(UUID().uuidString).tsv", c.file)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let mapped = try MappedCollection(path: path)
            let streamed = try MSMarco.readRecords(path)
            try require(mapped.count == streamed.count, "\(mapped.count) passages vs \(streamed.count) records")
            for r in streamed { try require(mapped.text(r.id) == r.text, "pid \(r.id): \(mapped.text(r.id) ?? "nil") vs \(r.text)") }
            for (pid, text) in c.records { try require(mapped.text(pid) == text, "pid \(pid)") }
            let known = Set(c.records.map(\.0))
            for probe in [-1, 10_000_001] + (0..<20).map({ $0 * 500_003 }) where !known.contains(probe) {
                try require(mapped.text(probe) == nil, "pid \(probe) is not in the collection")
            }
            var order: [Int] = []
            mapped.forEach { pid, _ in order.append(pid) }
            try require(order == known.sorted(), "forEach goes in ascending pid order")
            try require(mapped.dense == (c.records.map(\.0) == Array(0..<c.records.count)), "dense flag")
        }
    }

    @Test func theKeptIndexIsReusedAndRebuiltWhenTheCollectionChanges() throws {
        let path = try temporaryFile("kept-\(UUID().uuidString).tsv", "7\tseven\n3\tthree\n")
        let index = path + ".index"
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: index) }
        let first = try MappedCollection(path: path, indexPath: index)
        #expect(first.count == 2 && first.text(7) == "seven" && !first.dense)
        let header = try #require(MappedCollection.header(try MappedFile(index)))
        #expect(header.count == 2 && !header.dense)
        let second = try MappedCollection(path: path, indexPath: index)
        #expect(second.text(3) == "three" && second.text(7) == "seven")
        // A changed collection (another size) makes the kept index stale: rebuilt, not trusted.
        try Data("7\tseven\n3\tthree\n5\tfive\n".utf8).write(to: URL(fileURLWithPath: path))
        let third = try MappedCollection(path: path, indexPath: index)
        #expect(third.count == 3 && third.text(5) == "five")
        #expect(try #require(MappedCollection.header(try MappedFile(index))).count == 3)
    }

    @Test func aCorruptKeptIndexIsRebuilt() throws {
        let path = try temporaryFile("corrupt-\(UUID().uuidString).tsv", "0\tzero\n1\tone\n")
        let index = path + ".index"
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: index) }
        try Data("not an index at all, but long enough to have a header".utf8).write(to: URL(fileURLWithPath: index))
        let c = try MappedCollection(path: path, indexPath: index)
        #expect(c.count == 2 && c.dense && c.text(1) == "one")
    }

    @Test func malformedLinesNameTheirLine() throws {
        let cases: [(String, Int, String)] = [
            ("0\tzero\nabc\tx\n", 2, "pid<TAB>text"),
            ("0\tzero\n1 one\n", 2, "pid<TAB>text"),
            ("0\tzero\n1\tone\n2\ttwo\tmore\n", 3, "2 tab-separated fields"),
            ("5\tfive\n9\tnine\n5\tagain\n", 3, "each pid once"),
            ("\n", 1, "pid<TAB>text"),
        ]
        for (contents, line, expected) in cases {
            let path = try temporaryFile("bad-\(UUID().uuidString).tsv", contents)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let error = try #require(throws: DataFormatError.self) { try MappedCollection(path: path) }
            #expect(error.line == line && error.expected.hasPrefix(expected) && error.file == path, "\(error)")
        }
        let empty = try temporaryFile("empty-\(UUID().uuidString).tsv", "")
        #expect(throws: DataFormatError.self) { try MappedCollection(path: empty) }
        #expect(throws: DataFormatError.self) { try MappedCollection(path: testScratchRoot.path) }
        #expect(throws: DataFormatError.self) { try MappedCollection(path: "/nonexistent/collection.tsv") }
    }

    @Test func theFixtureCollectionMatchesTheReader() throws {
        let path = Paths.fixture("collection.tsv")
        let mapped = try MappedCollection(path: path)
        let records = try MSMarco.readRecords(path)
        #expect(mapped.count == records.count)
        for r in records { #expect(mapped.text(r.id) == r.text) }
    }
}
