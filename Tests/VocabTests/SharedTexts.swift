// Test support: where the package, its fixtures and ../shared are, and a minimal reader for the texts of the real
// data sets, written to match Tests/Fixtures/Vocab/texts.py line for line (the parity goldens were made from that).
// Not the package's Corpus readers: only what the parity tests need.
import Foundation

enum Paths {
    /// The package root, found from this file's path (Tests/VocabTests/SharedTexts.swift).
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let fixtures = root + "/Tests/Fixtures/Vocab"
    static let shared = URL(fileURLWithPath: root + "/../shared").standardizedFileURL.path
    static let data = shared + "/data"
    static let miniLMVocab = shared + "/models/all-MiniLM-L6-v2/vocab.txt"
}

enum SharedData {
    static let available = FileManager.default.fileExists(atPath: Paths.data + "/cranfield/cran.all.1400")
        && FileManager.default.fileExists(atPath: Paths.miniLMVocab)
}

enum SharedTexts {
    static func lines(_ path: String) throws -> [Substring] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // Split on the scalar "\n": as Characters, "\r\n" is one grapheme and would not split.
        var ls = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { Substring($0) }
        if ls.last == "" { ls.removeLast() }
        return ls.map { $0.unicodeScalars.last == "\r" ? Substring($0.unicodeScalars.dropLast()) : $0 }
    }

    static func tsv(_ path: String) throws -> [String] {
        try lines(path).map { l in l.firstIndex(of: "\t").map { String(l[l.index(after: $0)...]) } ?? "" }
    }

    static func smart(_ path: String) throws -> [String] {
        var out: [String] = [], field: Substring? = nil, cur: [Substring]? = nil
        for l in try lines(path) {
            if l.hasPrefix(".I") {
                if let c = cur { out.append(c.joined(separator: "\n")) }
                cur = []; field = nil
            } else if [".T", ".A", ".B", ".W"].contains(l) {
                field = l
            } else if field == ".W" { cur?.append(l) }
        }
        if let c = cur { out.append(c.joined(separator: "\n")) }
        return out
    }

    static func trec(_ path: String, start: String, end: String) throws -> [String] {
        var out: [String] = [], cur: [Substring]? = nil
        for l in try lines(path) {
            if cur == nil { if l.contains(start) { cur = [] } }
            else if l.trimmingCharacters(in: .whitespaces) == end { out.append(cur!.joined(separator: "\n")); cur = nil }
            else { cur!.append(l) }
        }
        return out
    }

    /// RFC 4180 CSV (quoted fields with "" escapes, newlines inside quotes); returns rows of fields.
    static func csv(_ path: String) throws -> [[String]] {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        var rows: [[String]] = [], row: [String] = [], field: [UInt8] = []
        var i = 0, quoted = false
        func endField() { row.append(String(decoding: field, as: UTF8.self)); field.removeAll() }
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == 34 { if i + 1 < bytes.count && bytes[i + 1] == 34 { field.append(34); i += 1 } else { quoted = false } }
                else { field.append(b) }
            } else if b == 34 { quoted = true }
            else if b == 44 { endField() }
            else if b == 10 { endField(); rows.append(row); row = [] }
            else if b == 13 && i + 1 < bytes.count && bytes[i + 1] == 10 { }
            else { field.append(b) }
            i += 1
        }
        if !field.isEmpty || !row.isEmpty { endField(); rows.append(row) }
        return rows
    }

    static func scifactCorpus(_ path: String) throws -> [String] {
        try csv(path).dropFirst().flatMap { [$0[1], $0[2]] }
    }

    /// (name, texts) for every data set of the parity goldens, in the goldens' order.
    static func datasets() throws -> [(String, [String])] {
        let d = Paths.data, dl = d + "/msmarco-passage-trec-dl"
        return [
            ("dl19-queries", try tsv(dl + "/dl19/queries.tsv")),
            ("dl19-passages", try tsv(dl + "/dl19/collection.tsv")),
            ("dl20-queries", try tsv(dl + "/dl20/queries.tsv")),
            ("dl20-passages", try tsv(dl + "/dl20/collection.tsv")),
            ("cranfield-docs", try smart(d + "/cranfield/cran.all.1400")),
            ("cranfield-queries", try smart(d + "/cranfield/cran.qry")),
            ("vaswani-docs", try trec(d + "/vaswani/doc-text.trec", start: "<DOCNO>", end: "</DOC>")),
            ("vaswani-queries", try trec(d + "/vaswani/query-text.trec", start: "<title>", end: "</title>")),
            ("scifact-corpus", try scifactCorpus(d + "/scifact/corpus_train.csv")),
            ("scifact-queries", try tsv(d + "/scifact/queries.test.tsv")),
        ]
    }
}

/// A text of the goldens: a literal string (hand-made edge cases) or, for a text of ../shared/data (never copied into
/// the repository), a reference `{"dataset": NAME, "index": I}`: the I-th text of `SharedTexts.datasets()`'s NAME.
enum GoldenText: Decodable, Equatable {
    case literal(String)
    case reference(dataset: String, index: Int)

    private struct Ref: Decodable { let dataset: String; let index: Int }
    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { self = .literal(s); return }
        let r = try c.decode(Ref.self)
        self = .reference(dataset: r.dataset, index: r.index)
    }

    /// The data sets, read once per test process (a static let is initialised once, thread-safely).
    static let sets = Result { Dictionary(try SharedTexts.datasets(), uniquingKeysWith: { a, _ in a }) }

    /// The text itself; references are read from ../shared/data.
    func resolve() throws -> String {
        switch self {
        case .literal(let s): return s
        case .reference(let name, let index):
            let sets = try Self.sets.get()
            guard let texts = sets[name], texts.indices.contains(index) else {
                throw GoldenTextError(description: "parity.json: no text \(index) in data set \(name)")
            }
            return texts[index]
        }
    }

    var label: String {
        switch self {
        case .literal(let s): return s.debugDescription
        case .reference(let name, let index): return "\(name)[\(index)]"
        }
    }
}

struct GoldenTextError: Error, CustomStringConvertible { let description: String }

/// The committed goldens (Tests/Fixtures/Vocab/parity.json).
struct ParityGoldens: Decodable {
    struct Dataset: Decodable { let name: String; let texts: Int; let ids: Int; let fnv1a64: String }
    struct Sample: Decodable { let text: GoldenText; let ids: [Int32] }
    struct Case: Decodable { let max_length: Int; let ids: [Int32]; let type0: Int }
    struct Pair: Decodable { let a: GoldenText; let b: GoldenText?; let cases: [Case] }
    let tokenizers: String
    let vocab_sha256: String
    let datasets: [Dataset]
    let samples: [Sample]
    let pairs: [Pair]

    static func load() throws -> ParityGoldens {
        try JSONDecoder().decode(ParityGoldens.self,
                                 from: Data(contentsOf: URL(fileURLWithPath: Paths.fixtures + "/parity.json")))
    }
}
