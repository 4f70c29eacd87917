// Sample figures with MADE-UP, illustrative data (every title says so): one of each kind the paper artefacts use.
// They are the pictures in Docs/Report.md (written by ReportTests when REPORT_SAMPLES_DIR is set) and the inputs
// of the structure tests. None of these numbers is a result.

import Foundation

public enum ReportSamples {
    static let note = "Sample with made-up illustrative data — not a result"

    /// Latency (log x) vs quality, one marker per student, none → T1 → T2 joined (the shape of Figure C).
    public static func efficiencyScatter() -> Figure {
        let models: [(String, Double, [Double])] = [
            ("BERT_CAT (2 layers)", 95, [0.58, 0.62, 0.64]), ("BERT_DOT (2 layers)", 4.1, [0.50, 0.55, 0.57]),
            ("BERT_DOT (6 layers)", 9.5, [0.55, 0.59, 0.60]), ("ColBERT", 14, [0.57, 0.61, 0.625]),
            ("PreTT", 48, [0.56, 0.595, 0.61]), ("TK", 2.2, [0.52, 0.545, 0.56]),
        ]
        let series = models.enumerated().map { i, m in
            Series.line(m.0, zip(["none", "T1", "T2"], m.2).enumerated().map { k, p in
                Point(m.1 * (1 + 0.04 * Double(k)), p.1, label: k == 2 ? p.0 : nil)
            })
        }
        return Figure(title: "Sample: efficiency vs effectiveness (Figure C shape)", subtitle: note,
                      x: Axis("Query latency, re-rank 100 passages (ms, log scale)", scale: .log10),
                      y: Axis("nDCG@10"), series: series, legend: .right, width: 820, height: 470)
    }

    /// Explained variance vs k with the chosen k marked (the shape of Figure 2, left).
    public static func explainedVariance() -> Figure {
        let ks = [8.0, 16, 32, 48, 64, 96, 128, 192, 256, 320, 384]
        let curve = ks.map { k in Point(k, 1 - exp(-k / 70) * 0.97 - 0.03 * (1 - k / 384)) }
        return Figure(title: "Sample: explained variance vs PCA dimensions (Figure 2 shape)", subtitle: note,
                      x: Axis("Components k"), y: Axis("Cumulative explained variance", domain: 0...1),
                      series: [.curve("explained variance", curve)],
                      annotations: [.horizontalLine(y: 0.9, label: "90% of variance"),
                                    .highlight(x: 192, y: curve[7].y, label: "k = 192")],
                      legend: .none, width: 640, height: 400)
    }

    /// Quality and fertility vs vocabulary size (log x), V* marked (the shape of Figure 1).
    public static func vocabularyCurve() -> Figure {
        let vs = [1000.0, 2000, 4000, 8000, 16000, 30522]
        let q = vs.map { v in 0.62 - 0.09 * exp(-(v - 1000) / 3500) }
        return Figure(title: "Sample: quality vs vocabulary size (Figure 1 shape)", subtitle: note,
                      x: Axis("Vocabulary size V (log scale)", scale: .log10), y: Axis("Spearman ρ vs teacher"),
                      series: [.line("student with vocabulary V", zip(vs, q).map { Point($0, $1) }, marker: .circle)],
                      annotations: [.horizontalLine(y: q.last! - 0.01, label: "teacher vocabulary − 1 point"),
                                    .highlight(x: 8000, y: q[3], label: "V* = 8,000")],
                      legend: .inside, width: 640, height: 400)
    }

    /// Size (log x) vs quality for a grid of students with the Pareto front (the shape of Figure 3).
    public static func paretoScatter() -> Figure {
        var pts: [Point] = []
        let names = ["teacher", "baseline", "+vocab", "+PCA", "+both", "+both int8"]
        for (i, n) in names.enumerated() {
            let size = 90.0 / pow(2.1, Double(i)) * (1 + 0.13 * sin(Double(i * 7)))
            let quality = 0.66 - 0.012 * Double(i) * Double(i) + 0.01 * cos(Double(i * 5))
            pts.append(Point(size, quality, label: n))
        }
        for j in 0..<8 {
            pts.append(Point(3 + Double(j) * 9.5, 0.48 + 0.02 * sin(Double(j) * 2.3) + 0.004 * Double(j)))
        }
        return Figure(title: "Sample: model size vs quality with Pareto front (Figure 3 shape)", subtitle: note,
                      x: Axis("Model size (MB, log scale)", scale: .log10), y: Axis("nDCG@10"),
                      series: [.scatter("named students", Array(pts.prefix(6)), marker: .diamond),
                               .scatter("other grid points", Array(pts.dropFirst(6)), marker: .circle, color: .grey),
                               .paretoFront(of: pts)],
                      legend: .inside, width: 720, height: 440)
    }

    /// Mean ± sd of positive and negative scores over training (the shape of Figure B as curves).
    public static func scoreBands() -> Figure {
        let steps = stride(from: 0.0, through: 4000, by: 250).map { $0 }
        let pos = steps.map { s in Point(s, 2 + 6 * (1 - exp(-s / 900)), low: 2 + 6 * (1 - exp(-s / 900)) - 1.2 - s / 4000,
                                         high: 2 + 6 * (1 - exp(-s / 900)) + 1.2 + s / 4000) }
        let neg = steps.map { s in Point(s, 1 - 3 * (1 - exp(-s / 900)), low: 1 - 3 * (1 - exp(-s / 900)) - 1.5,
                                         high: 1 - 3 * (1 - exp(-s / 900)) + 1.5) }
        return Figure(title: "Sample: score ranges during training (Figure B shape)", subtitle: note,
                      x: Axis("Training step"), y: Axis("Output score (mean ± sd)"),
                      series: [.band("positive passages", pos), .band("negative passages", neg)],
                      legend: .right, width: 720, height: 420)
    }

    /// Average positive and negative scores per architecture (the shape of Figure B as bars).
    public static func scoreBars() -> BarChart {
        BarChart(title: "Sample: average output scores per architecture (Figure B shape)", subtitle: note,
                 categories: ["BERT_CAT", "BERT_DOT", "ColBERT", "PreTT", "TK"],
                 series: [BarSeries("positive", values: [6.2, 98.1, 24.3, 5.1, 11.8], errors: [1.1, 9.0, 3.2, 0.8, 2.0]),
                          BarSeries("negative", values: [-3.9, 87.0, 15.2, -4.4, 3.1], errors: [1.5, 8.1, 3.9, 1.2, 2.4])],
                 y: Axis("Average score"), xTitle: "Student architecture", valueFormat: .fixed(1))
    }

    /// A small table with our numbers, the paper's and an unknown paper cell.
    public static func table() -> Table {
        Table(title: "Sample table — made-up illustrative numbers",
              caption: "Students re-ranking BM25 top-100 on TREC DL 2019; † = p < 0.05 vs no KD (paired t-test, Bonferroni).",
              columns: ["Student", "Teacher", "nDCG@10", "MRR@10", "R@100"],
              rows: [.group("Ours"),
                     Row(["BERT_DOT", "none", .number(0.512), .number(0.801), .number(0.702)]),
                     Row(["BERT_DOT", "T2", .number(0.574, marker: "†"), .number(0.853), .number(0.702)]),
                     .group("Paper"),
                     .paper(["BERT_DOT", "T2", .paper(0.697), .unknown, .unknown])],
              notes: ["Paper: BERT-Base_DOT re-ranks BM25 top-1000 (we re-rank top-100)."])
    }
}

extension ReportSamples {
    /// A page with one sample of each artefact kind.
    public static func page() throws -> ReportPage {
        let t = table()
        var paper = Table(title: "Paper numbers", columns: ["Student", "nDCG@10"])
        paper.rows = [.paper(["BERT_DOT", .paper(0.697)]), .paper(["TK", .unknown])]
        return ReportPage(
            title: "Sample report — made-up illustrative data",
            banner: "SAMPLE DATA — not the paper's data",
            intro: ["Every number on this page is made up to show the layout."],
            sections: [
                ReportSection(title: "Paper A — Margin-MSE", artefacts: [
                    Artefact(id: "figure-a", title: "Figure A — workflow", content: .inlineSVG(Diagram.marginMSEWorkflow().svg())),
                    Artefact(id: "table-c", title: "Table C — students", caption: t.caption, content: .table(t),
                             paperNumbers: paper, deviations: ["Re-ranks BM25 top-100, not top-1000."],
                             files: [("Markdown", "table-c.md"), ("CSV", "table-c.csv")]),
                    Artefact(id: "figure-c", title: "Figure C — efficiency vs effectiveness",
                             content: .inlineSVG(try efficiencyScatter().svg()), files: [("SVG", "figure-c.svg")]),
                ]),
                ReportSection(title: "Paper B — Extreme compression", artefacts: [
                    Artefact(id: "figure-3", title: "Figure 3 — size vs quality", content: .inlineSVG(try paretoScatter().svg())),
                ]),
            ],
            footer: "Made by ReportSamples.page()")
    }
}

extension ReportSamples {
    /// Two panels side by side (the shape of Figure 2: explained variance, and quality vs k).
    public static func grid() -> FigureGrid {
        let ks = [32.0, 64, 128, 256, 384]
        let quality = Figure(title: "Quality vs k", subtitle: note, x: Axis("Hidden size / PCA dimensions k"),
                             y: Axis("Spearman ρ vs teacher"),
                             series: [.line("teacher + PCA head", ks.map { Point($0, 0.99 - 6 / $0) }),
                                      .line("distilled student", ks.map { Point($0, 0.93 - 9 / $0) })],
                             legend: .inside, width: 520, height: 380, id: "sample-grid-quality")
        var variance = explainedVariance()
        variance.title = "Explained variance vs k"; variance.width = 520; variance.height = 380
        variance.id = "sample-grid-variance"
        return FigureGrid(title: "Sample: two panels (Figure 2 shape)", subtitle: note,
                          panels: [.figure(variance), .figure(quality)])
    }
}
