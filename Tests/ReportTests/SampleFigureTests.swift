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
         ("figure-a-workflow", Diagram.marginMSEWorkflow().svg())]
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

    @Test func samplesAreDeterministic() throws {
        let a = try Self.samples().map(\.1), b = try Self.samples().map(\.1)
        #expect(a == b)
    }
}
