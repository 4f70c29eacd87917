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
        for line in body { for j in 0..<n { widths[j] = max(widths[j], line[j].count) } }
        let aligns = (0..<n).map { alignment(ofColumn: $0) }

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

/// Escapes what would break a pipe table or start emphasis: `\`, `|`, `*`, `<`, and line breaks (→ `<br>`).
func markdownEscape(_ s: String) -> String {
    var out = ""
    for ch in s {
        switch ch {
        case "\\": out += "\\\\"
        case "|": out += "\\|"
        case "*": out += "\\*"
        case "<": out += "&lt;"
        case "\r\n", "\n", "\r": out += "<br>"
        default: out.append(ch)
        }
    }
    return out
}
