// The texts of the MiniLM goldens (Tests/Fixtures/Student/*.json) that come from ../shared/data. The fixtures hold
// no data text (the data may not be redistributed): an item of a data source carries only its source and record id,
// and its text is the whole record as make_goldens.py's readers return it. This file mirrors those readers exactly
// (Python text mode: "\r\n" and "\r" read as "\n"; Python's str.strip()/split() whitespace); it is test support, not
// the package's Corpus readers, whose texts differ (titles, renumbered ids, collapsed whitespace).

import Foundation

enum GoldenTexts {
    static let data = StudentPaths.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    static var available: Bool {
        FileManager.default.fileExists(atPath: data.appendingPathComponent("msmarco-passage-trec-dl/dl19/collection.tsv").path)
    }

    /// source → (file under ../shared/data, reader), as TEXT_SOURCES in make_goldens.py.
    static let sources: [String: (file: String, reader: @Sendable ([Unicode.Scalar]) -> [(String, String)])] = [
        "dl19-query": ("msmarco-passage-trec-dl/dl19/queries.tsv", tsv),
        "dl20-query": ("msmarco-passage-trec-dl/dl20/queries.tsv", tsv),
        "dl19-passage": ("msmarco-passage-trec-dl/dl19/collection.tsv", tsv),
        "dl19-passage-long": ("msmarco-passage-trec-dl/dl19/collection.tsv", tsv),
        "dl20-passage": ("msmarco-passage-trec-dl/dl20/collection.tsv", tsv),
        "cranfield-query": ("cranfield/cran.qry", cranfieldQueries),
        "cranfield-doc": ("cranfield/cran.all.1400", cranfieldDocs),
        "vaswani-query": ("vaswani/query-text.trec", { tagged($0, open: "<num>", middle: "</num><title>", close: "</title>") }),
        "vaswani-doc": ("vaswani/doc-text.trec", { tagged($0, open: "<DOCNO>", middle: "</DOCNO>", close: "</DOC>") }),
        "scifact-query": ("scifact/queries.test.tsv", tsv),
        "scifact-doc": ("scifact/corpus_train.csv", scifactDocs),
    ]

    /// Every file read once per test process: file → (id → text), first record of an id wins.
    nonisolated(unsafe) private static var cache: [String: [String: String]] = [:]
    private static let lock = NSLock()

    /// The text of record `id` of `source`; nil for a source that is not from the data (probe, edge).
    /// Throws when the source is a data source but the file or the record is missing.
    static func text(source: String, id: String) throws -> String? {
        guard let s = sources[source] else { return nil }
        lock.lock(); defer { lock.unlock() }
        if cache[s.file] == nil {
            let url = data.appendingPathComponent(s.file)
            let raw = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            var table: [String: String] = [:]
            for (k, v) in s.reader(pythonText(raw)) where table[k] == nil { table[k] = v }
            cache[s.file] = table
        }
        guard let t = cache[s.file]?[id] else {
            throw GoldenTextError(description: "\(s.file): no record with id \(id) (source \(source))")
        }
        return t
    }

    // MARK: - Python text semantics

    /// The file as Python's text mode reads it: "\r\n" and lone "\r" become "\n".
    static func pythonText(_ s: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.unicodeScalars.count)
        var lastCR = false
        for u in s.unicodeScalars {
            if u == "\r" { out.append("\n"); lastCR = true; continue }
            if u == "\n" && lastCR { lastCR = false; continue }
            lastCR = false
            out.append(u)
        }
        return out
    }

    /// Python's str.isspace (Unicode White_Space plus the separators U+001C…U+001F).
    static func isSpace(_ u: Unicode.Scalar) -> Bool {
        u.properties.isWhitespace || (0x1C...0x1F).contains(u.value)
    }
    static func strip<C: BidirectionalCollection>(_ s: C) -> [Unicode.Scalar] where C.Element == Unicode.Scalar {
        Array(s.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
    static func string<C: Sequence>(_ s: C) -> String where C.Element == Unicode.Scalar {
        var v = String.UnicodeScalarView(); v.append(contentsOf: s); return String(v)
    }
    /// `" ".join(s.split())`.
    static func collapse(_ s: ArraySlice<Unicode.Scalar>) -> String {
        s.split(whereSeparator: isSpace).map { string($0) }.joined(separator: " ")
    }
    /// Lines as Python iterates a text file, without their "\n".
    static func lines(_ s: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
        var ls = s.split(separator: "\n", omittingEmptySubsequences: false)
        if ls.last?.isEmpty == true { ls.removeLast() }
        return ls
    }
    static func hasPrefix(_ l: ArraySlice<Unicode.Scalar>, _ p: String) -> Bool { l.starts(with: p.unicodeScalars) }
    static func range(of p: String, in s: [Unicode.Scalar], from: Int) -> Range<Int>? {
        let p = Array(p.unicodeScalars)
        guard !p.isEmpty, s.count >= p.count, from <= s.count - p.count else { return nil }
        var i = from
        while i <= s.count - p.count {
            if s[i] == p[0] && s[i..<(i + p.count)].elementsEqual(p) { return i..<(i + p.count) }
            i += 1
        }
        return nil
    }

    // MARK: - The readers of make_goldens.py

    /// read_tsv: non-blank lines split at the first tab.
    static func tsv(_ s: [Unicode.Scalar]) -> [(String, String)] {
        lines(s).compactMap { l in
            guard !strip(l).isEmpty else { return nil }
            guard let t = l.firstIndex(of: "\t") else { return (string(l), "") }
            return (string(l[..<t]), string(l[(t + 1)...]))
        }
    }

    /// cranfield() documents: `.I id`; the lines of the .W field stripped and joined with " ".
    static func cranfieldDocs(_ s: [Unicode.Scalar]) -> [(String, String)] {
        var out: [(String, String)] = [], id: String? = nil, w: [String] = [], field: Unicode.Scalar? = nil
        func flush() { if let i = id { out.append((i, string(strip(w.joined(separator: " ").unicodeScalars)))) } }
        for l in lines(s) {
            if hasPrefix(l, ".I") {
                flush()
                id = l.split(whereSeparator: isSpace).dropFirst().first.map { string($0) } ?? ""
                w = []; field = nil
            } else if hasPrefix(l, ".") {
                field = l.dropFirst().first
            } else if field == "W" {
                w.append(string(strip(l)))
            }
        }
        flush()
        return out
    }

    /// cranfield() queries: `.I id`; every other line but `.W…`, stripped and joined with " ".
    static func cranfieldQueries(_ s: [Unicode.Scalar]) -> [(String, String)] {
        var out: [(String, String)] = [], id: String? = nil, w: [String] = []
        func flush() { if let i = id { out.append((i, string(strip(w.joined(separator: " ").unicodeScalars)))) } }
        for l in lines(s) {
            if hasPrefix(l, ".I") {
                flush()
                id = l.split(whereSeparator: isSpace).dropFirst().first.map { string($0) } ?? ""
                w = []
            } else if hasPrefix(l, ".W") {
            } else {
                w.append(string(strip(l)))
            }
        }
        flush()
        return out
    }

    /// vaswani(): every `OPEN digits MIDDLE text CLOSE` (regex `OPEN(\d+)MIDDLE(.*?)CLOSE`, re.S), text collapsed.
    static func tagged(_ s: [Unicode.Scalar], open: String, middle: String, close: String) -> [(String, String)] {
        var out: [(String, String)] = [], from = 0
        while let o = range(of: open, in: s, from: from) {
            var j = o.upperBound
            while j < s.count && ("0"..."9").contains(s[j]) { j += 1 }
            guard j > o.upperBound, let m = range(of: middle, in: s, from: j), m.lowerBound == j,
                  let c = range(of: close, in: s, from: m.upperBound) else { from = o.lowerBound + 1; continue }
            out.append((string(s[o.upperBound..<j]), collapse(s[m.upperBound..<c.lowerBound])))
            from = c.upperBound
        }
        return out
    }

    /// scifact() documents: doc_id; title + " " + the quoted strings of the abstract (raw, escapes kept), stripped.
    static func scifactDocs(_ s: [Unicode.Scalar]) -> [(String, String)] {
        let rows = csv(s)
        guard let header = rows.first, let idc = header.firstIndex(of: "doc_id"),
              let tc = header.firstIndex(of: "title"), let ac = header.firstIndex(of: "abstract") else { return [] }
        return rows.dropFirst().compactMap { r in
            guard r.count == header.count else { return nil }
            let sents = quotedStrings(Array(r[ac].unicodeScalars)).map { string($0) }
            return (r[idc], string(strip((r[tc] + " " + sents.joined(separator: " ")).unicodeScalars)))
        }
    }

    /// re.findall(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", s): the raw contents ("." does not match "\n").
    static func quotedStrings(_ s: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
        var out: [ArraySlice<Unicode.Scalar>] = [], i = 0
        outer: while i < s.count {
            let q = s[i]
            guard q == "'" || q == "\"" else { i += 1; continue }
            var j = i + 1
            while j < s.count {
                if s[j] == q { out.append(s[(i + 1)..<j]); i = j + 1; continue outer }
                if s[j] == "\\" {
                    guard j + 1 < s.count, s[j + 1] != "\n" else { break }
                    j += 2
                } else { j += 1 }
            }
            i += 1   // no match at i: the regex tries the next position
        }
        return out
    }

    /// Python's csv module (excel dialect) on text-mode input: quoted fields with "" escapes, newlines inside quotes.
    static func csv(_ s: [Unicode.Scalar]) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field: [Unicode.Scalar] = [], quoted = false, i = 0
        while i < s.count {
            let c = s[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < s.count && s[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(string(field)); field = [] }
            else if c == "\n" { row.append(string(field)); field = []; rows.append(row); row = [] }
            else { field.append(c) }
            i += 1
        }
        if !field.isEmpty || !row.isEmpty { row.append(string(field)); rows.append(row) }
        return rows
    }
}

struct GoldenTextError: Error, CustomStringConvertible { let description: String }
