// Paper B, Figures 1–3 (reconstructed; the paper's figures are unknown here):
//   1  vocabulary: quality and size against V with V* marked; fertility (word pieces per word) and [UNK] rate
//   2  PCA: explained variance against k; quality against k for the teacher with a PCA head alone and for the
//      distilled student of hidden k (question–answer ranker)
//   3  size against quality for every student of the grid, with the Pareto front

import Foundation
import Compression
import Report
import Vocab

extension Experiments {
    static let compressionFigure1 = Experiment(
        name: "figure-1", paper: .compression, kind: .figure, title: "Figure 1 — Vocabulary size", budgetMinutes: 0
    ) { context in
        let p = PaperBPipeline.forContext(context)
        var quality: [Series] = [], annotations: [Annotation] = []
        var sizes: [Point] = [], fertility: [Point] = [], unk: [Point] = []
        var table = Table(title: "Figure 1 data — vocabulary sweep (hidden \(p.plan.sweepHidden), \(p.plan.layers) layer)",
                          columns: ["Ranker", "V", "quality", "MB fp32", "fertility", "[UNK] rate", "coverage"])
        for (ti, type) in RankerType.allCases.enumerated() {
            var pts: [Point] = []
            let choices: [VocabularyChoice] = [.teacher] + p.plan.vocabSizes.map { .trained(size: $0) }
            for choice in choices {
                let c = p.config(vocabulary: choice, hidden: p.plan.sweepHidden, type: type)
                let r = try p.result(c, name: "V=\(choice)")
                let (s, _) = try p.student(c)
                let q = PaperBPipeline.mainMeasure(r.quality, type)
                let v = Double(s.tokenizer.vocabulary.count)
                pts.append(Point(v, q))
                let mb = modelSize(s.model).fp32MB
                let sweep = try VocabSweep.measure(s.tokenizer.vocabulary, on: p.data.agreementTexts, hidden: p.plan.sweepHidden)
                if ti == 0 {
                    sizes.append(Point(v, mb)); fertility.append(Point(v, sweep.fertility)); unk.append(Point(v, sweep.unkRate * 100))
                }
                table.rows.append(Row([.text(type.rawValue), .number(v, format: .integer), .number(q), .number(mb, format: .significant(3)),
                                       .number(sweep.fertility), .number(sweep.unkRate, format: .percent(2)),
                                       .number(sweep.coverage, format: .percent(1))]))
            }
            quality.append(.line(type == .questionAnswer ? "QA: DL19 nDCG@10" : "SS: agreement ρ", pts.sorted { $0.x < $1.x },
                                 marker: MarkerShape.cycle(ti), color: Color.palette(ti)))
            if let v = try p.vStar(type: type), let pt = pts.first(where: { Int($0.x) <= v && Int($0.x) >= v - 200 }) ?? pts.first(where: { Int($0.x) == v }) {
                annotations.append(.highlight(x: pt.x, y: pt.y, label: "V* = \(v)"))
            }
        }
        let xq = Axis("Vocabulary size V (log scale)", scale: .log10)
        let grid = FigureGrid(title: "Figure 1 — vocabulary size: quality, size, fertility", panels: [
            .figure(Figure(title: "Quality against V", x: xq, y: Axis("quality"), series: quality, annotations: annotations,
                           legend: .inside, width: 520, height: 380)),
            .figure(Figure(title: "Student size against V", x: xq, y: Axis("MB (fp32)"),
                           series: [.line("size", sizes.sorted { $0.x < $1.x }, marker: .circle)], legend: .none, width: 520, height: 380)),
            .figure(Figure(title: "Fertility and [UNK] rate against V", x: xq, y: Axis("word pieces per word / [UNK] %"),
                           series: [.line("fertility", fertility.sorted { $0.x < $1.x }, marker: .square),
                                    .line("[UNK] %", unk.sorted { $0.x < $1.x }, marker: .triangle, dashed: true)],
                           legend: .inside, width: 520, height: 380)),
        ], columns: 3)
        table.notes = ["Quality: DL19 nDCG@10 for the question–answer ranker (QA), Spearman agreement with the teacher for the semantic-similarity ranker (SS). Fertility, [UNK] rate and coverage on the agreement sample (DL19 passages)."]
        return ExperimentOutput(tables: [table], figures: [("figure-1", try grid.svg())],
                                deviations: PaperB.deviations(context, plan: p.plan),
                                caption: "Smaller vocabularies cut the embedding matrix, which dominates a small student; V* is where quality starts to drop.")
    }

    static let compressionFigure2 = Experiment(
        name: "figure-2", paper: .compression, kind: .figure, title: "Figure 2 — PCA dimension", budgetMinutes: 0.9
    ) { context in
        let p = PaperBPipeline.forContext(context)
        var variance: [Point] = [], student: [Point] = [], head: [Point] = []
        var table = Table(title: "Figure 2 data — PCA sweep (question–answer ranker, teacher vocabulary, \(p.plan.layers) layer)",
                          columns: ["k", "explained variance", "teacher + PCA head nDCG@10", "student nDCG@10", "student MB"])
        let teacherQ = try p.teacherResult(type: .questionAnswer).quality.dl19NDCG10 ?? .nan
        for k in p.plan.pcaDims.sorted() {
            let c = p.config(vocabulary: .teacher, hidden: k, type: .questionAnswer)
            let r = try p.result(c, name: "k=\(k)")
            let (s, ev) = try p.student(c)
            var headQ = teacherQ
            if let pca = s.pca {
                headQ = try p.cache.value(kind: "pca-head", config: ["k": "\(k)", "data": p.dataIdentity, "teacher": p.teacher.identity]) {
                    try QualityEvaluation.rerankDL19(p.evaluationTeacher(pca: pca, k: k), task: p.data.dl19).ndcg10
                }
            }
            variance.append(Point(Double(k), ev))
            student.append(Point(Double(k), r.quality.dl19NDCG10 ?? .nan))
            head.append(Point(Double(k), headQ))
            table.rows.append(Row([.number(Double(k), format: .integer), .number(ev), .number(headQ),
                                   .number(r.quality.dl19NDCG10 ?? .nan), .number(modelSize(s.model).fp32MB, format: .significant(3))]))
        }
        let x = Axis("k (PCA dimension = student hidden size)", scale: .log10)
        let grid = FigureGrid(title: "Figure 2 — PCA before distillation", panels: [
            .figure(Figure(title: "Explained variance of the teacher's embeddings", x: x, y: Axis("share of variance"),
                           series: [.line("explained variance", variance, marker: .circle)], legend: .none, width: 560, height: 400)),
            .figure(Figure(title: "DL19 nDCG@10 against k", x: x, y: Axis("nDCG@10"),
                           series: [.line("teacher + PCA head", head, marker: .square),
                                    .line("distilled student (hidden k)", student, marker: .triangle)],
                           annotations: [.horizontalLine(y: teacherQ, label: "teacher")], legend: .inside, width: 560, height: 400)),
        ], columns: 2)
        table.notes = ["The PCA head is sentence-transformers' bias-free Dense layer y = W·x (uncentred); cosine scoring. At k = the teacher's width the student has no PCA head."]
        return ExperimentOutput(tables: [table], figures: [("figure-2", try grid.svg())],
                                deviations: PaperB.deviations(context, plan: p.plan),
                                caption: "The teacher loses little from a PCA head; a student of hidden k pays for its narrowness in distillation.")
    }

    static let compressionFigure3 = Experiment(
        name: "figure-3", paper: .compression, kind: .figure, title: "Figure 3 — Size vs quality", budgetMinutes: 0
    ) { context in
        let p = PaperBPipeline.forContext(context)
        var points: [Point] = []
        var table = Table(title: "Figure 3 data — every question–answer student of the grid", columns: ["student", "MB fp32", "DL19 nDCG@10"])
        var configs: [(String, DistillConfig)] = []
        for v in [VocabularyChoice.teacher] + p.plan.vocabSizes.map({ .trained(size: $0) }) {
            configs.append(("V=\(v), k=\(p.plan.sweepHidden)", p.config(vocabulary: v, hidden: p.plan.sweepHidden, type: .questionAnswer)))
        }
        for k in p.plan.pcaDims where k != p.plan.sweepHidden {
            configs.append(("V=teacher, k=\(k)", p.config(vocabulary: .teacher, hidden: k, type: .questionAnswer)))
        }
        for (label, c) in configs {
            let r = try p.result(c, name: label)
            let (s, _) = try p.student(c)
            let mb = modelSize(s.model).fp32MB, q = r.quality.dl19NDCG10 ?? .nan
            points.append(Point(mb, q, label: label))
            table.rows.append(Row([.text(label), .number(mb, format: .significant(3)), .number(q)]))
        }
        let t = try p.teacherResult(type: .questionAnswer)
        let teacherPoint = Point(t.measurements?.sizeMBFP32 ?? .nan, t.quality.dl19NDCG10 ?? .nan, label: "teacher")
        table.rows.append(Row([.text("teacher"), .number(teacherPoint.x, format: .significant(3)), .number(teacherPoint.y)]))
        let figure = Figure(title: "Figure 3 — student size against DL19 nDCG@10 (question–answer ranker)",
                            x: Axis("size (MB, fp32, log scale)", scale: .log10), y: Axis("DL19 nDCG@10"),
                            series: [.scatter("students", points), .scatter("teacher", [teacherPoint], marker: .square),
                                     .paretoFront(of: points + [teacherPoint])], legend: .inside)
        return ExperimentOutput(tables: [table], figures: [("figure-3", try figure.svg())],
                                deviations: PaperB.deviations(context, plan: p.plan),
                                caption: "The Pareto front: no student left of it is both smaller and better.")
    }
}
