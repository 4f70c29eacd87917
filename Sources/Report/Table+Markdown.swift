// Markdown rendering of a `Table`: GitHub pipe table with columns padded to equal width, so the raw text is
// readable too. Paper cells are italic, markers are `<sup>` superscripts, unknown paper values are "?".
//
//   **Table B — teachers.** Effectiveness on TREC DL 2019.
//
//   | Teacher   | nDCG@10 |
//   |:----------|--------:|
//   | T1        |   0.701 |
//   | *paper*   | *0.???* |

import Foundation

extension Table {
    /// The table as Markdown: a bold title line with the caption, the pipe table, then a legend line for paper
    /// cells (if any) and the notes as a list. Ends with a newline.
    public func markdown(includeTitle: Bool = true) -> String {
        var out = ""
        if includeTitle {
            out += "**\(markdownEscape(title)).**"
            if !caption.isEmpty { out += " " + markdownEscape(caption) }
            out += "\n\n"
        }
        let header = columns.map { markdownEscape($0.header) }
        var body: [[String]] = []
        for r in rows {
            if let g = r.group {
                body.append(["**\(markdownEscape(g))**"] + Array(repeating: "", count: max(0, columns.count - 1)))
                continue
            }
            body.append(normalisedCells(r).enumerated().map { j, c in markdownCell(c, paper: r.provenance(of: j) == .paper) })
        }
        let n = columns.count
        var widths = header.map { max(3, $0.count) }
        let aligns = (0..<n).map { alignment(ofColumn: $0) }
        // In right-aligned columns, pad cells without a marker on the right so the digits line up in raw text.
        for j in 0..<n where aligns[j] == .right {
            let suffix = body.map { markerSuffixLength($0[j]) }
            let longest = suffix.max() ?? 0
            guard longest > 0 else { continue }
            for i in body.indices where !body[i][j].isEmpty {
                body[i][j] += String(repeating: " ", count: longest - suffix[i])
            }
        }
        for line in body { for j in 0..<n { widths[j] = max(widths[j], line[j].count) } }

        func pad(_ s: String, _ w: Int, _ a: Alignment) -> String {
            let gap = w - s.count
            switch a {
            case .left: return s + String(repeating: " ", count: gap)
            case .right: return String(repeating: " ", count: gap) + s
            case .center:
                return String(repeating: " ", count: gap / 2) + s + String(repeating: " ", count: gap - gap / 2)
            }
        }
        func line(_ cells: [String]) -> String {
            "| " + (0..<n).map { pad(cells[$0], widths[$0], aligns[$0]) }.joined(separator: " | ") + " |\n"
        }
        out += line(header)
        out += "|" + (0..<n).map { j -> String in
            let dashes = String(repeating: "-", count: widths[j])
            switch aligns[j] {
            case .left: return ":" + dashes + "-"
            case .right: return "-" + dashes + ":"
            case .center: return ":" + String(repeating: "-", count: widths[j]) + ":"
            }
        }.joined(separator: "|") + "|\n"
        for b in body { out += line(b) }
        var legend: [String] = []
        if hasPaperCells { legend.append("*Italic*: the paper's published numbers; ? = not known from the paper.") }
        if !legend.isEmpty || !notes.isEmpty { out += "\n" }
        for l in legend { out += l + "\n" }
        for note in notes { out += "- " + markdownEscape(note) + "\n" }
        return out
    }

    func markdownCell(_ c: Cell, paper: Bool) -> String {
        var s = markdownEscape(c.valueText)
        if paper && !s.isEmpty { s = "*" + s + "*" }
        if !c.marker.isEmpty { s += "<sup>" + markdownEscape(c.marker) + "</sup>" }
        return s
    }
}

/// Escapes what would break a pipe table or start emphasis: `\`, `|`, `*`, a `<` that could open a tag, and line
/// breaks (→ `<br>`).
func markdownEscape(_ s: String) -> String {
    var out = ""
    let chars = Array(s)
    for (i, ch) in chars.enumerated() {
        switch ch {
        // "<" opens an HTML tag only before a letter, "/", "!" or "?": escape just those ("p < 0.05" stays).
        case "<" where i + 1 < chars.count && (chars[i + 1].isLetter || "/!?".contains(chars[i + 1])): out += "&lt;"
        case "\\": out += "\\\\"
        case "|": out += "\\|"
        case "*": out += "\\*"
        case "\r\n", "\n", "\r": out += "<br>"
        default: out.append(ch)
        }
    }
    return out
}

/// The length of what follows a cell's value in rendered Markdown: a trailing "<sup>…</sup>" marker and the
/// closing "*" of an italic paper value. Cells are padded by the difference so values line up in raw text.
func markerSuffixLength(_ cell: String) -> Int {
    var n = 0
    var rest = Substring(cell)
    if cell.hasSuffix("</sup>"), let r = cell.range(of: "<sup>", options: .backwards) {
        n = cell.distance(from: r.lowerBound, to: cell.endIndex)
        rest = cell[..<r.lowerBound]
    }
    if rest.count >= 2, rest.hasPrefix("*"), rest.hasSuffix("*") { n += 1 }
    return n
}
