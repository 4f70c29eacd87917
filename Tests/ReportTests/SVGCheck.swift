// Test helper: parses SVG with Foundation's XMLParser and collects element counts, attributes and any number in
// a coordinate attribute that is not finite.

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

struct SVGDocument {
    var root = ""
    var count: [String: Int] = [:]
    var elements: [(name: String, attributes: [String: String])] = []
    var texts: [String] = []
    var nonFinite: [String] = []
}

final class SVGCollector: NSObject, XMLParserDelegate {
    var doc = SVGDocument()
    var inText = false
    var currentText = ""
    static let numeric: Set<String> = ["x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height",
                                       "points", "d", "font-size", "transform", "viewBox"]

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if doc.root.isEmpty { doc.root = name }
        doc.count[name, default: 0] += 1
        doc.elements.append((name, attributes))
        if name == "text" { inText = true; currentText = "" }
        for (k, v) in attributes where SVGCollector.numeric.contains(k) {
            let lower = v.lowercased()
            if lower.contains("nan") || lower.contains("inf") { doc.nonFinite.append("\(name).\(k)=\(v)") }
            // Every number in the attribute must parse as a finite Double.
            let tokens = v.split(whereSeparator: { " ,MLzZrotate()".contains($0) })
            for t in tokens where Double(t) == nil || !Double(t)!.isFinite { doc.nonFinite.append("\(name).\(k)=\(v)") }
        }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { currentText += string } }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { doc.texts.append(currentText); inText = false }
    }
}

struct SVGParseError: Error, CustomStringConvertible {
    var description: String
}

enum SVGCheck {
    static func parse(_ svg: String) throws -> SVGDocument {
        let parser = XMLParser(data: Data(svg.utf8))
        let c = SVGCollector()
        parser.delegate = c
        guard parser.parse() else {
            throw SVGParseError(description: "XML parse error at line \(parser.lineNumber): \(parser.parserError.map { "\($0)" } ?? "?")")
        }
        return c.doc
    }
}
