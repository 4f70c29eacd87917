// HTML rendering of a `Table`: a title paragraph, a `<table class="report-table">` (head, body), then its notes.
// Paper cells carry class "paper" (the page's CSS draws them italic on a tinted background), unknown values are
// "?" with a tooltip, markers are `<sup>`. Alignment is inline so the fragment reads well without the page's CSS.

import Foundation

extension Table {
    /// The table as an HTML fragment.
    public func html() -> String {
        // Title and caption go in a paragraph above the table: a <caption> is only as wide as the table.
        var out = "<p class=\"table-title\"><strong>\(htmlEscape(title)).</strong>"
        if !caption.isEmpty { out += " " + htmlEscape(caption) }
        out += "</p>\n<table class=\"report-table\">\n<thead><tr>"
        let aligns = columns.indices.map { alignment(ofColumn: $0) }
        for (j, c) in columns.enumerated() {
            out += "<th style=\"text-align:\(aligns[j].rawValue)\">\(htmlEscape(c.header))</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for r in rows {
            if let g = r.group {
                out += "<tr class=\"group\"><th colspan=\"\(columns.count)\" style=\"text-align:left\">\(htmlEscape(g))</th></tr>\n"
                continue
            }
            out += r.provenance == .paper ? "<tr class=\"paper-row\">" : "<tr>"
            for (j, c) in normalisedCells(r).enumerated() {
                let paper = r.provenance(of: j) == .paper
                var attrs = " style=\"text-align:\(aligns[j].rawValue)\""
                if paper { attrs += " class=\"paper\"" }
                var body = htmlEscape(c.valueText)
                if case .unknown = c.value {
                    attrs += " title=\"not known from the paper\""
                    body = "<span class=\"unknown\">?</span>"
                }
                if !c.marker.isEmpty { body += "<sup>\(htmlEscape(c.marker))</sup>" }
                out += "<td\(attrs)>\(body)</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        var legend: [String] = []
        if hasPaperCells {
            legend.append("<span class=\"paper\">Shaded italic</span>: the paper's published numbers; ? = not known from the paper.")
        }
        if !legend.isEmpty || !notes.isEmpty {
            out += "<ul class=\"table-notes\">\n"
            for l in legend { out += "<li>\(l)</li>\n" }
            for n in notes { out += "<li>\(htmlEscape(n))</li>\n" }
            out += "</ul>\n"
        }
        return out
    }
}

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML/XML text and attribute values, and drops control characters that
/// XML 1.0 forbids (all below U+0020 except tab, LF, CR).
public func htmlEscape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for u in s.unicodeScalars {
        switch u {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        case "\t", "\n", "\r": out.unicodeScalars.append(u)
        default:
            if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF { continue }
            out.unicodeScalars.append(u)
        }
    }
    return out
}
