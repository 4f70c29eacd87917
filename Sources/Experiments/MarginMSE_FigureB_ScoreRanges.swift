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
                          columns: PaperA.scoreRangeColumns)
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
            series += PaperA.scoreRangeSeries(spec.architectureName, x: pos.indices.map { Double($0 + 1) }, positive: pos,
                                              negative: neg, color: Color.palette(i))
            let (pa, na) = rec.tailAverages
            table.rows.append(PaperA.scoreRangeRow(spec.architectureName, label: spec.label, positive: pa, negative: na))
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

extension PaperA {
    /// Figure B's drawing of one architecture: the band between its average positive and negative scores, the
    /// positive curve solid and the negative dashed, in one colour.
    static func scoreRangeSeries(_ name: String, x: [Double], positive pos: [Double], negative neg: [Double],
                                 color: Color) -> [Series] {
        var band = Series.band("\(name) band", x.indices.map { Point(x[$0], (pos[$0] + neg[$0]) / 2, low: neg[$0], high: pos[$0]) },
                               color: color)
        band.hideInLegend = true
        return [band,
                .curve("\(name) pos. avg", x.indices.map { Point(x[$0], pos[$0]) }, color: color),
                .curve("\(name) neg. avg", x.indices.map { Point(x[$0], neg[$0]) }, color: color, dashed: true)]
    }

    static let scoreRangeColumns: [Column] = ["Architecture", "ours", "pos avg", "neg avg", "margin", "paper pos @500k",
                                              "paper neg @500k", "paper margin"]

    /// Figure B's data row of one architecture: our tail averages beside the paper's values at 500k batches (its
    /// figure has no PreTT).
    static func scoreRangeRow(_ architecture: String, label: String, positive: Double, negative: Double) -> Row {
        let paper = MarginMSEPaper.figureB.first { $0.model == architecture }
        return Row([.text(architecture), .text(label), .number(positive, digits: 2), .number(negative, digits: 2),
                    .number(positive - negative, digits: 2),
                    paper.map { .paper($0.pos.last!, digits: 0) } ?? .unknown,
                    paper.map { .paper($0.neg.last!, digits: 0) } ?? .unknown,
                    paper.map { .paper($0.pos.last! - $0.neg.last!, digits: 0) } ?? .unknown])
    }
}
