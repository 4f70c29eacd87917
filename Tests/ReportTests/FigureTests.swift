// Figures: a tiny figure's structure (golden-ish: element counts, legend texts, tick labels, clip path), random
// figures with hostile inputs stay well-formed with finite coordinates, the Figure A diagram's texts fit their
// boxes, and the HTML page parses as XML with its anchors, banner and inline SVGs.

import Foundation
import Testing
import PropertyTesting
@testable import Report

@Suite struct FigureTests {
    @Test func tinyFigureStructure() throws {
        let fig = Figure(title: "Tiny", x: Axis("x"), y: Axis("y"),
                         series: [.line("model A", [Point(0, 0, label: "none"), Point(1, 1, label: "T1"), Point(2, 1.5, label: "T2")]),
                                  .scatter("model B", [Point(0.5, 0.2), Point(1.5, 0.4)])],
                         annotations: [.highlight(x: 1, y: 1, label: "chosen")])
        let doc = try SVGCheck.parse(try fig.svg())
        #expect(doc.root == "svg")
        #expect(doc.count["clipPath"] == 1)
        #expect(doc.count["polyline"] == 1)  // model A's line
        // Markers: 3 circles for A (+1 legend sample, +1 highlight ring), 2 squares for B (+1 legend sample).
        #expect(doc.count["circle"] == 5)
        #expect(doc.count["rect", default: 0] == 1 + 1 + 2 + 1)  // background, clip rect, B markers, B legend sample
        #expect(doc.texts.contains("Tiny") && doc.texts.contains("model A") && doc.texts.contains("model B"))
        #expect(doc.texts.contains("chosen") && doc.texts.contains("T2"))
        #expect(doc.texts.contains("0.0") && doc.texts.contains("1.5") && doc.texts.contains("2.0"))
        #expect(doc.nonFinite.isEmpty)
        // The clip path id is the figure id, so figures can share one page.
        #expect(doc.elements.contains { $0.name == "clipPath" && $0.attributes["id"] == "tiny-plot" })
    }

    @Test func pointLabelsDoNotOverlapEachOtherWhenThereIsRoom() throws {
        let pts = (0..<6).map { Point(Double($0), Double($0 % 2), label: "label \($0)") }
        let svg = try Figure(title: "Labels", x: Axis("x"), y: Axis("y"), series: [.scatter("s", pts)]).svg()
        let doc = try SVGCheck.parse(svg)
        let labels = doc.elements.filter { $0.name == "text" }.enumerated().compactMap { i, e -> Box? in
            guard doc.texts[i].hasPrefix("label ") else { return nil }
            return textBox(doc.texts[i], x: Double(e.attributes["x"]!)!, y: Double(e.attributes["y"]!)!,
                           size: Double(e.attributes["font-size"]!)!, anchor: e.attributes["text-anchor"] ?? "start")
        }
        #expect(labels.count == 6)
        for i in labels.indices { for j in labels.indices where i < j { #expect(!labels[i].intersects(labels[j])) } }
    }

    /// The font size of `text` in a one-point figure of `width` with that title and subtitle, and where the text ends
    /// by the width estimate times `factor`.
    static func placed(_ text: String, title: String, subtitle: String = "", width: Double = 720,
                       factor: Double) throws -> (size: Double, right: Double) {
        let svg = try Figure(title: title, subtitle: subtitle, x: Axis("x"), y: Axis("y"),
                             series: [.scatter("s", [Point(1, 1)])], width: width).svg()
        let doc = try SVGCheck.parse(svg)
        let i = try #require(doc.texts.firstIndex(of: text))
        let e = doc.elements.filter { $0.name == "text" }[i]
        let size = Double(e.attributes["font-size"]!)!
        return (size, Double(e.attributes["x"]!)! + textWidth(text, size: size) * factor)
    }

    @Test func longTitlesShrinkToFitTheFigure() throws {
        // The title of paper-b/figure-3 ran off the right edge at 720 px (committed run of 2026-12-03).
        let title = "Figure 3 — student size against DL19 nDCG@10 (question–answer ranker)"
        for width in [360.0, 540.0, 720.0, 1200.0] {
            let (size, right) = try Self.placed(title, title: title, width: width, factor: Style.boldWidthFactor)
            #expect(right <= width - 16 + 1e-9 || size == 11, "title ends at \(right) of \(width) px (size \(size))")
            #expect(size <= 17 && size >= 11)
        }
        // A short title keeps the standard size.
        #expect(try Self.placed("Tiny", title: "Tiny", factor: Style.boldWidthFactor).size == 17)
    }

    @Test func longSubtitlesShrinkToFitTheFigure() throws {
        // The subtitle of paper-a/figure-b ran off the right edge at 720 px (run of 2026-12-03 20:56).
        let subtitle = "average positive (solid) and negative (dashed) score; dl19 triples, RankNet; moving average over 5% of the steps"
        for width in [360.0, 540.0, 720.0, 1200.0] {
            let (size, right) = try Self.placed(subtitle, title: "T", subtitle: subtitle, width: width,
                                                factor: Style.regularWidthFactor)
            #expect(right <= width - 16 + 1e-9 || size == 9, "subtitle ends at \(right) of \(width) px (size \(size))")
            #expect(size <= 12.5 && size >= 9)
            #expect(width < 720 || size > 11, "at 720 px and more it shrinks a little, not to the floor")
        }
        // A short subtitle keeps the standard size.
        #expect(try Self.placed("short", title: "T", subtitle: "short", factor: Style.regularWidthFactor).size == 12.5)
    }

    @Test func randomFiguresAreWellFormedWithFiniteCoordinates() {
        let value = Gen.zip(Gen.int(in: 0...9), Gen<Float>.gaussian(scale: 100), Gen.int(in: -3...3)).map { kind, x, e -> Double in
            switch kind {
            case 0: return .nan
            case 1: return .infinity
            case 2: return 0
            case 3: return -abs(Double(x))
            default: return Double(x) * pow(10, Double(e))
            }
        }
        let series = Gen.zip(Gen.int(in: 0...4), Gen<[Double]>.array(of: value, count: 0...12), Gen<[Double]>.array(of: value, count: 0...12))
            .map { kind, xs, ys -> Series in
                let pts = zip(xs, ys).map { Point($0, $1, low: $1 - 1, high: $1 + 1, label: "<&\"p\">") }
                return Series("s <\(kind)>", pts, kind: [.scatter, .line, .curve, .band, .paretoFront][kind])
            }
        let gen = Gen.zip(Gen<[Series]>.array(of: series, count: 1...4), Gen.bool, Gen.bool)
        propertyCheck(gen, cases: 120) { ss, logX, logY in
            let fig = Figure(title: "Random & <odd>", x: Axis("x", scale: logX ? .log10 : .linear),
                             y: Axis("y", scale: logY ? .log10 : .linear), series: ss,
                             annotations: [.verticalLine(x: 1, label: "v"), .horizontalLine(y: 2, label: "h")],
                             legend: ss.count % 2 == 0 ? .inside : .right)
            let svg: String
            do { svg = try fig.svg() } catch ReportError.emptyFigure { return }
            let doc = try SVGCheck.parse(svg)
            try require(doc.nonFinite.isEmpty, "non-finite: \(doc.nonFinite.prefix(3))")
        }
    }

    @Test func gridNestsPanelsWithUniqueIDs() throws {
        let grid = ReportSamples.grid()
        let doc = try SVGCheck.parse(try grid.svg())
        #expect(doc.count["svg"] == 3)  // the grid and its two panels
        let nested = doc.elements.filter { $0.name == "svg" }.dropFirst()
        #expect(nested.map { $0.attributes["x"] } == ["0", "520"])
        let ids = doc.elements.compactMap { $0.attributes["id"] }
        #expect(Set(ids).count == ids.count && ids.count == 2)
        #expect(doc.nonFinite.isEmpty)
        #expect(doc.elements.first?.attributes["width"] == "1040")
    }

    @Test func emptyFigureIsATypedError() {
        let fig = Figure(title: "Empty", x: Axis("x"), y: Axis("y"), series: [.scatter("s", [Point(.nan, 1)])])
        #expect(throws: ReportError.emptyFigure(title: "Empty")) { try fig.svg() }
    }

    @Test func barChartStructure() throws {
        let chart = BarChart(title: "Bars", categories: ["a", "b", "c"],
                             series: [BarSeries("pos", values: [1, 2, nil]), BarSeries("neg", values: [-1, 0.5, 3], errors: [0.2, nil, 0.1])],
                             y: Axis("score"))
        let doc = try SVGCheck.parse(try chart.svg())
        #expect(doc.count["rect"] == 1 + 5 + 2)  // background, 5 bars, 2 legend swatches
        #expect(doc.count["path"] == 2)  // two error whiskers
        #expect(["a", "b", "c", "pos", "neg", "-1.00", "3.00"].allSatisfy(doc.texts.contains))
    }

    @Test func workflowDiagramTextsFitTheirBoxes() throws {
        let d = Diagram.marginMSEWorkflow()
        let doc = try SVGCheck.parse(d.svg())
        #expect(doc.count["path"] == d.arrows.count + 1)  // arrows + the arrowhead marker shape
        for b in d.boxes where b.style != .panel {
            #expect(textWidth(b.title, size: 14) <= b.width - 12, "\(b.title) too wide")
            for l in b.lines { #expect(textWidth(l, size: 12) <= b.width - 12, "\(l) too wide") }
            #expect(17 + 16 * Double(b.lines.count) <= b.height - 8, "\(b.title) too tall")
        }
        for step in ["① Teacher training", "② Teacher inference", "③ Student training"] { #expect(doc.texts.contains(step)) }
    }

    @Test func reportPageIsWellFormedWithTOCAndBanner() throws {
        let page = try ReportSamples.page()
        let html = page.html()
        let doc = try SVGCheck.parse(html)  // the page is well-formed XML too
        #expect(doc.root == "html")
        #expect(doc.count["svg"] == 3)
        #expect(doc.count["article"] == 4)
        let ids = Set(doc.elements.compactMap { $0.attributes["id"] })
        let links = doc.elements.filter { $0.name == "a" }.compactMap { $0.attributes["href"] }.filter { $0.hasPrefix("#") }
        for l in links { #expect(ids.contains(String(l.dropFirst())), "dangling anchor \(l)") }
        #expect(html.contains("SAMPLE DATA — not the paper&#39;s data"))
        #expect(!html.contains("<?xml"))
        #expect(!html.contains("<script"))
        // Clip-path ids are unique across the page.
        let clipIDs = doc.elements.filter { $0.name == "clipPath" || $0.name == "marker" }.compactMap { $0.attributes["id"] }
        #expect(Set(clipIDs).count == clipIDs.count)
    }
}
