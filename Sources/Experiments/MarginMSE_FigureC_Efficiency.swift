// Paper A, Figure C: efficiency vs effectiveness — query latency (log scale) against nDCG@10 on TREC DL 2019 (the
// paper's TREC-19 panel) and against MRR@10 on TREC DL 2020 (standing in for its DEV panel), one marker per student,
// its no-KD, T1 and T2 versions (and MiniLM ones with --minilm-teacher) joined by a line at the same latency.

import Report
import Student

extension Experiments {
    static let marginMSEFigureC = Experiment(
        name: "figure-c", paper: .marginMSE, kind: .figure, title: "Figure C — Efficiency vs effectiveness", budgetMinutes: 0
    ) { context in
        let p = PaperAPipeline.forContext(context)
        var ndcgSeries: [Series] = [], mrrSeries: [Series] = []
        let (left, right) = (try p.testSets[0], try p.testSets[try p.testSets.count - 1])
        let (l, r) = (PaperA.label(left), PaperA.label(right))
        let headers = ["Student", "ours", "latency (ms)", "Teacher", "\(l) nDCG@10", "\(l) MRR@10", "\(r) nDCG@10",
                       "\(r) MRR@10", "paper latency (ms)", "paper TREC-19 nDCG@10", "paper DEV MRR@10"]
        var table = Table(title: "Figure C data", columns: headers.map { Column($0) })
        for (i, spec) in p.plan.students.enumerated() {
            var nd: [Point] = [], mr: [Point] = []
            let paper = MarginMSEPaper.tableC.first { $0.student == spec.paperName }
            for (k, regime) in p.regimes.enumerated() {
                let (model, _) = try p.student(spec, regime: regime)
                let a = try p.evaluate(spec, regime: regime, on: left), b = try p.evaluate(spec, regime: regime, on: right)
                let lat = try p.latency(model, id: "\(spec.paperName)-\(spec.label)")
                let label = regime == .none ? nil : regime.rawValue
                nd.append(Point(lat.medianMs, a.scores.ndcg10, label: label))
                mr.append(Point(lat.medianMs, b.scores.mrr10, label: label))
                table.rows.append(Row([.text(k == 0 ? spec.paperName : ""), .text(k == 0 ? spec.label : ""),
                                       .number(lat.medianMs, format: .significant(3)), .text(regime.rawValue),
                                       .number(a.scores.ndcg10), .number(a.scores.mrr10), .number(b.scores.ndcg10),
                                       .number(b.scores.mrr10), k == 0 ? (paper?.latencyMs.cell(digits: 0) ?? .unknown) : .empty,
                                       paper.map { MarginMSEPaper.cell($0.trecNDCG10, regime) } ?? .unknown,
                                       paper.map { MarginMSEPaper.cell($0.devMRR10, regime) } ?? .unknown]))
            }
            let color = Color.palette(i), marker = MarkerShape.cycle(i)
            ndcgSeries.append(.line(spec.paperName, nd, marker: marker, color: color))
            mrrSeries.append(.line(spec.paperName, mr, marker: marker, color: color))
        }
        let regimeNames = p.regimes.map { $0 == .none ? "no KD" : $0.rawValue }.joined(separator: ", ")
        let svg = try PaperA.efficiencyGrid(title: "Figure C — efficiency vs effectiveness (\(regimeNames) per student)",
                                            left: "nDCG@10 on \(l)", leftAxis: "nDCG@10", leftSeries: ndcgSeries,
                                            right: "MRR@10 on \(r)", rightAxis: "MRR@10 (rel ≥ 2)", rightSeries: mrrSeries)
        table.notes = ["Latency as in Table A. The paper's right panel is MRR@10 on MS MARCO DEV (no candidates to re-rank here); ours is MRR@10 on \(r), standing in for it."]
        return ExperimentOutput(tables: [table], figures: [("figure-c", svg)], deviations: PaperA.deviations(context),
                                caption: "Each student's \(["three", "four", "five"][min(max(p.regimes.count, 3), 5) - 3]) training regimes share one latency; distillation moves them up, not right.")
    }
}

extension PaperA {
    /// Figure C's two panels side by side: query latency (log scale) against a measure of effectiveness, one line
    /// per student through its training regimes.
    static func efficiencyGrid(title: String, left: String, leftAxis: String, leftSeries: [Series],
                               right: String, rightAxis: String, rightSeries: [Series]) throws -> String {
        let x = Axis("Query latency (ms, log scale)", scale: .log10)
        let leftPanel = Figure(title: "Query latency vs \(left)", x: x, y: Axis(leftAxis), series: leftSeries,
                               legend: .none, width: 560, height: 420)
        let rightPanel = Figure(title: "Query latency vs \(right)", x: x, y: Axis(rightAxis), series: rightSeries,
                                legend: .right, width: 700, height: 420)
        return try FigureGrid(title: title, panels: [.figure(leftPanel), .figure(rightPanel)], columns: 2).svg()
    }
}
