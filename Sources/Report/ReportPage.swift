// The one HTML page that shows every paper table and figure (`paper-figures/index.html`): a banner (e.g. "SMOKE
// DATA — not the paper's data"), a table of contents, then one section per artefact with its caption, our
// table or figure, the paper's own numbers beside it, notes on deviations, and links to the Markdown/CSV/SVG
// files. Self-contained: inline CSS, SVG embedded inline (or linked relatively), no scripts, no web fonts, so it
// works opened as a file. Also well-formed XML (void elements self-closed), so tests can parse it. Written atomically.

import Foundation

/// What an artefact shows.
public enum ArtefactContent: Sendable, Equatable {
    /// A table, rendered inline as HTML.
    case table(Table)
    /// An SVG document, embedded inline (its XML declaration dropped).
    case inlineSVG(String)
    /// A figure file linked relatively from the page (e.g. "figure-c.svg"), shown with `<img>`.
    case linkedImage(path: String, alt: String)
    /// Ready-made HTML (trusted: written by this package).
    case html(String)
}

/// One paper table or figure.
public struct Artefact: Sendable, Equatable {
    /// Anchor id, e.g. "table-c" (made safe with `slug`).
    public var id: String
    public var title: String
    public var caption: String
    public var content: ArtefactContent
    /// The paper's own numbers for comparison (shown beside ours), if any.
    public var paperNumbers: Table?
    /// Departures from the paper that affect this artefact.
    public var deviations: [String]
    /// Files of this artefact relative to the page, e.g. [("Markdown", "table-c.md"), ("CSV", "table-c.csv")].
    public var files: [(label: String, path: String)]
    /// The artefact's whole `<article>` as an earlier page rendered it, written verbatim instead of rendering the fields
    /// above (an index that keeps artefacts of earlier runs; see `ReportPage.articles(in:)`).
    public var prerenderedHTML: String?

    public init(id: String, title: String, caption: String = "", content: ArtefactContent,
                paperNumbers: Table? = nil, deviations: [String] = [], files: [(label: String, path: String)] = []) {
        self.id = slug(id); self.title = title; self.caption = caption; self.content = content
        self.paperNumbers = paperNumbers; self.deviations = deviations; self.files = files
    }

    public static func == (a: Artefact, b: Artefact) -> Bool {
        a.id == b.id && a.title == b.title && a.caption == b.caption && a.content == b.content
            && a.paperNumbers == b.paperNumbers && a.deviations == b.deviations
            && a.files.map(\.label) == b.files.map(\.label) && a.files.map(\.path) == b.files.map(\.path)
            && a.prerenderedHTML == b.prerenderedHTML
    }

    /// An artefact kept from an earlier page: its article as rendered there, with a line saying where it came from
    /// (replacing the line an earlier keep added).
    public static func kept(id: String, title: String, article: String, provenance: String) -> Artefact {
        var html = article
        if let start = html.range(of: "<p class=\"provenance\">"), let end = html.range(of: "</p>\n", range: start.upperBound..<html.endIndex) {
            html.removeSubrange(start.lowerBound..<end.upperBound)
        }
        if let h3 = html.range(of: "</h3>\n") {
            html.insert(contentsOf: "<p class=\"provenance\">\(htmlEscape(provenance))</p>\n", at: h3.upperBound)
        }
        var a = Artefact(id: id, title: title, content: .html(""))
        a.prerenderedHTML = html
        return a
    }
}

/// A group of artefacts under a heading (e.g. one paper).
public struct ReportSection: Sendable, Equatable {
    public var title: String
    public var intro: String
    public var artefacts: [Artefact]
    public init(title: String, intro: String = "", artefacts: [Artefact]) {
        self.title = title; self.intro = intro; self.artefacts = artefacts
    }
}

public struct ReportPage: Sendable, Equatable {
    public var title: String
    /// Shown in a red box at the top when non-empty, e.g. "SMOKE DATA — not the paper's data".
    public var banner: String
    /// Paragraphs under the title (plain text).
    public var intro: [String]
    public var sections: [ReportSection]
    /// A footer line, e.g. the command and commit that produced the page (no clock time: keeps output deterministic
    /// unless the caller adds one).
    public var footer: String
    /// Links to related pages, shown under the intro: (text, relative address).
    public var links: [(text: String, href: String)]

    public init(title: String, banner: String = "", intro: [String] = [], sections: [ReportSection],
                footer: String = "", links: [(text: String, href: String)] = []) {
        self.title = title; self.banner = banner; self.intro = intro; self.sections = sections; self.footer = footer
        self.links = links
    }

    public static func == (l: ReportPage, r: ReportPage) -> Bool {
        l.title == r.title && l.banner == r.banner && l.intro == r.intro && l.sections == r.sections
            && l.footer == r.footer && l.links.map(\.text) == r.links.map(\.text) && l.links.map(\.href) == r.links.map(\.href)
    }

    /// Writes the page to `url` atomically.
    public func write(to url: URL) throws { try writeAtomically(html(), to: url) }

    public func html() -> String {
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(htmlEscape(title))</title>
        <style>
        \(ReportPage.css)
        </style>
        </head>
        <body>
        <main>
        <h1>\(htmlEscape(title))</h1>

        """
        if !banner.isEmpty { out += "<div class=\"banner\" role=\"alert\">\(htmlEscape(banner))</div>\n" }
        for p in intro { out += "<p>\(htmlEscape(p))</p>\n" }
        for l in links { out += "<p><a href=\"\(htmlEscape(l.href))\">\(htmlEscape(l.text))</a></p>\n" }
        out += "<nav class=\"toc\"><h2>Contents</h2>\n<ol>\n"
        for s in sections {
            out += "<li><a href=\"#\(slug(s.title))\">\(htmlEscape(s.title))</a>\n<ol>\n"
            for a in s.artefacts { out += "<li><a href=\"#\(a.id)\">\(htmlEscape(a.title))</a></li>\n" }
            out += "</ol></li>\n"
        }
        out += "</ol>\n</nav>\n"
        for s in sections {
            out += "<section id=\"\(slug(s.title))\">\n<h2>\(htmlEscape(s.title))</h2>\n"
            if !s.intro.isEmpty { out += "<p>\(htmlEscape(s.intro))</p>\n" }
            for a in s.artefacts { out += artefactHTML(a) }
            out += "</section>\n"
        }
        if !footer.isEmpty { out += "<footer>\(htmlEscape(footer))</footer>\n" }
        return out + "</main>\n</body>\n</html>\n"
    }

    /// The `<article>` of every artefact in a page this type rendered, by artefact id.
    public static func articles(in html: String) -> [String: String] {
        var out: [String: String] = [:]
        var rest = html[...]
        let open = "<article class=\"artefact\" id=\"", close = "</article>\n"
        while let start = rest.range(of: open), let end = rest.range(of: close, range: start.upperBound..<rest.endIndex) {
            let idEnd = rest[start.upperBound...].firstIndex(of: "\"") ?? start.upperBound
            out[String(rest[start.upperBound..<idEnd])] = String(rest[start.lowerBound..<end.upperBound])
            rest = rest[end.upperBound...]
        }
        return out
    }

    func artefactHTML(_ a: Artefact) -> String {
        if let h = a.prerenderedHTML { return h }
        var out = "<article class=\"artefact\" id=\"\(a.id)\">\n<h3>\(htmlEscape(a.title)) <a class=\"anchor\" href=\"#\(a.id)\">#</a></h3>\n"
        if !a.caption.isEmpty { out += "<p class=\"caption\">\(htmlEscape(a.caption))</p>\n" }
        out += "<div class=\"pair\">\n<div class=\"ours\">\n<div class=\"label\">This reproduction</div>\n"
        switch a.content {
        case .table(let t): out += t.html()
        case .inlineSVG(let svg): out += "<div class=\"figure\">\(stripXMLDeclaration(svg))</div>\n"
        case .linkedImage(let path, let alt):
            out += "<div class=\"figure\"><img src=\"\(htmlEscape(path))\" alt=\"\(htmlEscape(alt))\"/></div>\n"
        case .html(let h): out += h + "\n"
        }
        out += "</div>\n"
        if let p = a.paperNumbers {
            out += "<div class=\"theirs\">\n<div class=\"label\">The paper</div>\n" + p.html() + "</div>\n"
        }
        out += "</div>\n"
        if !a.deviations.isEmpty {
            out += "<div class=\"deviations\"><strong>Departures from the paper</strong>\n<ul>\n"
            for d in a.deviations { out += "<li>\(htmlEscape(d))</li>\n" }
            out += "</ul></div>\n"
        }
        if !a.files.isEmpty {
            out += "<p class=\"files\">Files: " + a.files.map {
                "<a href=\"\(htmlEscape($0.path))\">\(htmlEscape($0.label))</a>"
            }.joined(separator: " · ") + "</p>\n"
        }
        return out + "</article>\n"
    }

    static let css = """
    body { margin: 0; background: #f6f6f4; color: #222; font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
    main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 60px; }
    h1 { font-size: 28px; margin: 8px 0 12px; }
    h2 { font-size: 22px; margin: 36px 0 8px; border-bottom: 2px solid #ddd; padding-bottom: 4px; }
    h3 { font-size: 18px; margin: 0 0 6px; }
    a { color: #0067a3; }
    a.anchor { color: #aaa; text-decoration: none; font-weight: normal; }
    .banner { background: #fde8e4; border: 2px solid #D55E00; color: #7a2a00; font-weight: bold; padding: 10px 14px; border-radius: 6px; margin: 10px 0 18px; font-size: 17px; }
    .toc { background: #fff; border: 1px solid #e0e0e0; border-radius: 6px; padding: 6px 18px 10px; }
    .toc h2 { font-size: 16px; border: none; margin: 6px 0; }
    .toc ol { margin: 0; padding-left: 22px; }
    .artefact { background: #fff; border: 1px solid #e0e0e0; border-radius: 8px; padding: 16px 18px; margin: 18px 0; }
    .caption { color: #444; margin: 0 0 10px; }
    .provenance { color: #8a5a00; font-size: 13px; margin: 0 0 8px; }
    .pair { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
    .ours { flex: 3 1 560px; min-width: 0; overflow-x: auto; }
    .theirs { flex: 2 1 320px; min-width: 0; overflow-x: auto; background: #fbf7ee; border-radius: 6px; padding: 6px 10px; }
    .label { font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; color: #777; margin-bottom: 4px; }
    .figure svg, .figure img { max-width: 100%; height: auto; }
    table.report-table { border-collapse: collapse; font-size: 14px; font-variant-numeric: tabular-nums; margin: 4px 0; }
    .table-title { margin: 0 0 6px; color: #333; font-size: 14px; }
    table.report-table th, table.report-table td { padding: 4px 10px; border-bottom: 1px solid #e6e6e6; white-space: nowrap; }
    table.report-table thead th { border-bottom: 2px solid #999; background: #fafafa; }
    table.report-table tr.group th { background: #eef3f7; font-weight: bold; }
    table.report-table td.paper, span.paper { font-style: italic; background: #fbf3dc; }
    table.report-table sup { color: #D55E00; font-weight: bold; }
    .unknown { color: #999; }
    .table-notes { font-size: 13px; color: #555; margin: 6px 0 0; padding-left: 18px; }
    .deviations { background: #f3f7fb; border-left: 4px solid #0072B2; padding: 8px 12px; margin-top: 12px; font-size: 14px; }
    .deviations ul { margin: 4px 0 0; padding-left: 18px; }
    .files { font-size: 13px; color: #666; margin: 10px 0 0; }
    footer { color: #777; font-size: 13px; margin-top: 30px; }
    """
}

/// Drops a leading `<?xml …?>` declaration so an SVG document can be embedded in HTML.
func stripXMLDeclaration(_ svg: String) -> String {
    guard svg.hasPrefix("<?xml"), let end = svg.range(of: "?>") else { return svg }
    return String(svg[end.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
}
