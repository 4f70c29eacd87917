// Paper A, Figure B: the average output score of positive and of negative passages during plain (no-KD, RankNet)
// training, one band per architecture. The paper's point: absolute score levels differ widely between architectures,
// while the margins between positive and negative are alike — which is why a margin is the right thing to distil.

import Foundation
import Report

extension Experiments {
    static let marginMSEFigureB = Experiment(
        name: "figure-b", paper: .marginMSE, kind: .figure, title: "Figure B — Output score ranges during training",
        budgetMinutes: 0
    ) { context in
        let p = PaperAPipeline.forContext(context)
        // One student per architecture (the paper shows ColBERT, BERT_DOT, BERT_CAT, TK).
        var seen = Set<String>(), series: [Series] = []
        var table = Table(title: "Figure B data — average scores over the last 10% of no-KD training",
                          columns: ["Architecture", "ours", "pos avg", "neg avg", "margin", "paper pos @500k",
                                    "paper neg @500k", "paper margin"])
        for (i, spec) in p.plan.students.enumerated() where seen.insert(spec.architecture).inserted {
            let rec = try p.studentRecord(spec, regime: .none)
            let smooth = { (xs: [Double]) -> [Double] in
                let w = max(1, xs.count / 20)
                return xs.indices.map { j in
                    let lo = max(0, j - w + 1)
                    return xs[lo...j].reduce(0, +) / Double(j - lo + 1)
                }
            }
            let pos = smooth(rec.posAvg), neg = smooth(rec.negAvg)
            let color = Color.palette(i)
            let name = spec.architectureName
            series.append(.band("\(spec.paperName) band", pos.indices.map { Point(Double($0 + 1), (pos[$0] + neg[$0]) / 2,
                                                                                 low: neg[$0], high: pos[$0]) }, color: color))
            series[series.count - 1].hideInLegend = true
            series.append(.curve("\(name) pos. avg", pos.indices.map { Point(Double($0 + 1), pos[$0]) }, color: color))
            series.append(.curve("\(name) neg. avg", neg.indices.map { Point(Double($0 + 1), neg[$0]) }, color: color,
                                 dashed: true))
            let (pa, na) = rec.tailAverages
            let paper = MarginMSEPaper.figureB.first { $0.model == name }   // the paper's figure has no PreTT
            table.rows.append(Row([.text(name), .text(spec.label), .number(pa, digits: 2),
                                   .number(na, digits: 2), .number(pa - na, digits: 2),
                                   paper.map { .paper($0.pos.last!, digits: 0) } ?? .unknown,
                                   paper.map { .paper($0.neg.last!, digits: 0) } ?? .unknown,
                                   paper.map { .paper($0.pos.last! - $0.neg.last!, digits: 0) } ?? .unknown]))
        }
        let figure = Figure(title: "Figure B — output score ranges during no-KD training",
                            subtitle: "average positive (solid) and negative (dashed) score; \(try p.studentData.triples.triples.count) training triples of \(try p.studentData.triples.trainingQueries.count) queries, RankNet; moving average over 5% of the steps",
                            x: Axis("Training step"), y: Axis("Output score"), series: series)
        table.notes = ["Paper values digitised from its figure at 500k batches; the paper's runs are 500k batches on MS MARCO, ours \(p.plan.studentLoop.totalSteps) steps."]
        return ExperimentOutput(tables: [table], figures: [("figure-b", try figure.svg())],
                                paperNumbers: nil, deviations: PaperA.deviations(context),
                                caption: "Architectures settle at different score levels; the positive–negative margin is what they share.")
    }
}
