// Renders every sample figure, checks it is well-formed XML with finite coordinates, and (with
// REPORT_SAMPLES_DIR=<dir>) writes them there, e.g. to refresh Docs/images/ or to look at them as PNG.

import Foundation
import Testing
@testable import Report

@Suite struct SampleFigureTests {
    static func samples() throws -> [(String, String)] {
        [("sample-efficiency", try ReportSamples.efficiencyScatter().svg()),
         ("sample-explained-variance", try ReportSamples.explainedVariance().svg()),
         ("sample-vocabulary", try ReportSamples.vocabularyCurve().svg()),
         ("sample-pareto", try ReportSamples.paretoScatter().svg()),
         ("sample-score-bands", try ReportSamples.scoreBands().svg()),
         ("sample-score-bars", try ReportSamples.scoreBars().svg()),
         ("figure-a-workflow", Diagram.marginMSEWorkflow().svg()),
         ("sample-grid", try ReportSamples.grid().svg())]
    }

    @Test func everySampleIsWellFormedWithFiniteCoordinates() throws {
        for (name, svg) in try Self.samples() {
            let doc = try SVGCheck.parse(svg)
            #expect(doc.root == "svg", "\(name): root element")
            #expect(doc.nonFinite.isEmpty, "\(name): non-finite numbers \(doc.nonFinite)")
            #expect(doc.count["text", default: 0] > 3, "\(name): has text")
        }
        if let dir = ProcessInfo.processInfo.environment["REPORT_SAMPLES_DIR"] {
            for (name, svg) in try Self.samples() {
                try writeAtomically(svg, to: URL(fileURLWithPath: dir).appendingPathComponent(name + ".svg"))
            }
            try writeAtomically(ReportSamples.table().markdown(), to: URL(fileURLWithPath: dir).appendingPathComponent("sample-table.md"))
            try ReportSamples.page().write(to: URL(fileURLWithPath: dir).appendingPathComponent("index.html"))
        }
    }

    /// The pictures in Docs/Report.md are exactly what the renderer draws now (a golden check). After a deliberate
    /// change of style, refresh them: `REPORT_SAMPLES_DIR=Docs/images swift test --filter SampleFigureTests`
    /// (then delete the extra files that command writes and that Docs/images does not keep).
    @Test func docsImagesAreCurrent() throws {
        let images = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Docs/images")
        var compared = 0
        for (name, svg) in try Self.samples() {
            let url = images.appendingPathComponent(name + ".svg")
            guard let committed = try? String(contentsOf: url, encoding: .utf8) else { continue }
            #expect(committed == svg, "Docs/images/\(name).svg differs from the renderer's output")
            compared += 1
        }
        #expect(compared >= 4, "expected the sample SVGs in Docs/images")
    }

    @Test func samplesAreDeterministic() throws {
        let a = try Self.samples().map(\.1), b = try Self.samples().map(\.1)
        #expect(a == b)
    }
}
