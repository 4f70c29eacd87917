// Reader for TREC SGML documents and topics (the Vaswani/NPL collection, and TREC ad-hoc files generally):
//   <DOC> <DOCNO>id</DOCNO> text … </DOC>        → TextRecord(id, text)  (other tags inside DOC are dropped,
//                                                    their text kept)
//   <top> <num>1</num><title> text </title> </top> → TextRecord(id, title) (also `<num> Number: 301` and unclosed
//                                                    `<title>` as in classic TREC topics)
// Whitespace runs (including newlines) become one space. Tag names are matched case-insensitively.
// Leaves out: <desc>/<narr> fields of topics (only titles are used as queries here), SGML entities.

import Foundation

public enum TrecSGML {
    /// The documents of a TREC SGML file, in file order.
    public static func readDocuments(_ path: String) throws -> [TextRecord] {
        let lines = try LineReader.lines(path)
        var out: [TextRecord] = []
        var inDoc = false, docStart = 0
        var id: String? = nil
        var text: [String] = []
        for (i, raw) in lines.enumerated() {
            var line = Substring(raw)
            while !line.isEmpty {
                if !inDoc {
                    guard let r = line.range(of: "<DOC>", options: .caseInsensitive) else {
                        if !line.allSatisfy(\.isWhitespace) {
                            throw DataFormatError(file: path, line: i + 1, expected: "<DOC> or blank", found: String(line))
                        }
                        break
                    }
                    inDoc = true; docStart = i + 1; id = nil; text = []
                    line = line[r.upperBound...]
                    continue
                }
                if let r = line.range(of: "</DOC>", options: .caseInsensitive) {
                    text.append(String(line[..<r.lowerBound]))
                    guard let docno = id else {
                        throw DataFormatError(file: path, line: docStart, expected: "a <DOCNO> inside this <DOC>",
                                              found: "none before line \(i + 1)")
                    }
                    out.append(TextRecord(id: docno, text: collapse(stripTags(text.joined(separator: " ")))))
                    inDoc = false
                    line = line[r.upperBound...]
                    continue
                }
                if let r = line.range(of: "<DOCNO>", options: .caseInsensitive) {
                    guard let e = line.range(of: "</DOCNO>", options: .caseInsensitive, range: r.upperBound..<line.endIndex) else {
                        throw DataFormatError(file: path, line: i + 1, expected: "<DOCNO>id</DOCNO> on one line", found: String(line))
                    }
                    text.append(String(line[..<r.lowerBound]))
                    id = line[r.upperBound..<e.lowerBound].trimmingCharacters(in: .whitespaces)
                    line = line[e.upperBound...]
                    continue
                }
                text.append(String(line)); break
            }
        }
        if inDoc {
            throw DataFormatError(file: path, line: docStart, expected: "a </DOC> closing this <DOC>", found: "end of file")
        }
        return out
    }

    /// The topics of a TREC topic file as (number, title) records, in file order.
    public static func readTopics(_ path: String) throws -> [TextRecord] {
        let text = try LineReader.text(path)
        var out: [TextRecord] = []
        var rest = Substring(text)
        let lineOf = { (idx: Substring.Index) -> Int in text[..<idx].reduce(1) { $1 == "\n" ? $0 + 1 : $0 } }
        while let top = rest.range(of: "<top>", options: .caseInsensitive) {
            guard let close = rest.range(of: "</top>", options: .caseInsensitive, range: top.upperBound..<rest.endIndex) else {
                throw DataFormatError(file: path, line: lineOf(top.lowerBound), expected: "a </top> closing this <top>",
                                      found: "end of file")
            }
            let body = rest[top.upperBound..<close.lowerBound]
            guard let num = field(body, "num"), let title = field(body, "title") else {
                throw DataFormatError(file: path, line: lineOf(top.lowerBound),
                                      expected: "<num> and <title> inside <top>", found: String(body.prefix(80)))
            }
            var n = num
            if n.lowercased().hasPrefix("number:") { n = String(n.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            out.append(TextRecord(id: n, text: title))
            rest = rest[close.upperBound...]
        }
        return out
    }

    /// Text after `<tag>` up to the next tag, collapsed; nil when the tag is absent.
    static func field(_ body: Substring, _ tag: String) -> String? {
        guard let r = body.range(of: "<\(tag)>", options: .caseInsensitive) else { return nil }
        let after = body[r.upperBound...]
        let end = after.firstIndex(of: "<") ?? after.endIndex
        return collapse(String(after[..<end]))
    }

    static func stripTags(_ s: String) -> String {
        var out = "", inTag = false
        for c in s {
            if c == "<" { inTag = true; out.append(" ") } else if c == ">" && inTag { inTag = false } else if !inTag { out.append(c) }
        }
        return out
    }

    /// Runs of whitespace → one space; trimmed.
    public static func collapse(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
