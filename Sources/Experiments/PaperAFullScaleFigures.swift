// Paper A at full scale, the artefacts beside its tables of students: Table B (the teachers), Figure B (output score
// ranges during no-KD training) and Figure C (efficiency vs effectiveness), written with Tables C–E.
//
// Table B: the paper's teacher checkpoints were never released (neural-ranking-kd#4), so their effectiveness cannot
// be measured; what can be is what the published score files say of them, streamed once (and cached): rows, the
// average positive and negative score, the margin's mean and spread, and how often a teacher ranks the labelled
// positive first. The paper's effectiveness numbers stand beside them.
// Figure B: each architecture's no-KD run, its average positive and negative score per step read back from the
// training logs in the run's last checkpoint, averaged over bins of the steps.
// Figure C: each student's query latency — re-ranking one DL19 query's whole top 1000, passage representations cached
// beforehand where the architecture can (as Table A) — against its DL19 nDCG@10 and dev-small MRR@10 under each
// regime; timed on the T2 version (latency does not depend on the teacher), the first query a warm-up.

import Foundation
import Corpus
import Eval
import MarginMSE
import Report
import Student
import Tensors
import Training

extension PaperAFullScale {
    /// What one published teacher-score file says about its teacher.
    struct ScoreFileStatistics: Codable, Equatable {
        var rows = 0
        var meanPositive = 0.0, meanNegative = 0.0
        var meanMargin = 0.0
        /// Σ (margin − mean)², Welford's running form; the spread is its root mean.
        var marginSquares = 0.0
        /// Rows whose positive scores above the negative: the teacher agrees with the label.
        var agreeing = 0

        mutating func add(_ r: TeacherScoreRow) {
            rows += 1
            let n = Double(rows), p = Double(r.posScore), q = Double(r.negScore), m = p - q
            meanPositive += (p - meanPositive) / n
            meanNegative += (q - meanNegative) / n
            let delta = m - meanMargin
            meanMargin += delta / n
            marginSquares += delta * (m - meanMargin)
            if r.posScore > r.negScore { agreeing += 1 }
        }

        var marginSD: Double { rows > 0 ? (marginSquares / Double(rows)).squareRoot() : 0 }
        var agreement: Double { rows > 0 ? Double(agreeing) / Double(rows) : 0 }

        /// The statistics of `path`, streamed, cached under `cache` by the file's path, size and modification time.
        static func of(_ path: String, cache: URL, log: (String) -> Void) throws -> ScoreFileStatistics {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            let file = cache.appendingPathComponent("teacher-statistics/\(stableHash(Array("\(path)|\(size)|\(modified)".utf8))).json")
            if let data = FileManager.default.contents(atPath: file.path),
               let known = try? JSONDecoder().decode(ScoreFileStatistics.self, from: data) { return known }
            log("reading \((path as NSString).lastPathComponent) for Table B (\(size / 1_048_576) MiB)")
            var s = ScoreFileStatistics()
            try TeacherScores.forEachRow(path) { s.add($0) }
            try writeAtomically(try JSONEncoder().encode(s), to: file)
            return s
        }
    }

    /// Table B at full scale: the two published teachers, measured through their score files.
    static func teacherTable(data: URL, cache: URL, command: String, log: (String) -> Void) throws -> Table {
        var table = Table(title: "Table B (full scale) — the teachers, through their published training scores",
                          caption: "T1 and T2 as the student sees them: one score per training pair in the files published with the paper.",
                          columns: ["Teacher", "score file", "rows", "avg t⁺", "avg t⁻", "avg margin", "margin SD",
                                    "t⁺ > t⁻", "paper TREC-19 nDCG@10", "paper DEV MRR@10"])
        for (regime, paperName) in [(Regime.t1, "BERT-Base_CAT (T1)"), (.t2, "T2 mean ensemble")] {
            let file = scoreFiles[regime]!
            let s = try ScoreFileStatistics.of(data.appendingPathComponent(file).path, cache: cache, log: log)
            let paper = MarginMSEPaper.tableB.first { $0.teacher == paperName }?.cells
            table.rows.append(Row([.text(paperName), .text((file as NSString).lastPathComponent), .text("\(s.rows)"),
                                   .number(s.meanPositive, digits: 2), .number(s.meanNegative, digits: 2),
                                   .number(s.meanMargin, digits: 2), .number(s.marginSD, digits: 2),
                                   .number(s.agreement, digits: 4), paper?[0].cell ?? .unknown, paper?[3].cell ?? .unknown]))
        }
        table.notes = [
            "The paper's teacher checkpoints were never released (neural-ranking-kd#4): their effectiveness cannot be measured here, only their scores. t⁺ > t⁻ is the share of training pairs a teacher ranks as labelled.",
            "T2 is the mean of BERT-Base_CAT, BERT-Large_CAT and ALBERT-Large_CAT per pair (the paper's ensemble).",
            "Command: \(command)",
        ]
        return table
    }

    /// Figure B at full scale from the no-KD run of each architecture among `specs` (`trained[id]` is a run's model
    /// folder, its checkpoints beside it). Returns the figure's SVG and its data table.
    static func scoreRangeFigure(_ specs: [StudentSpec], trained: [String: URL], steps: Int, command: String) throws
        -> (svg: String, table: Table) {
        var seen = Set<String>(), series: [Series] = []
        var table = Table(title: "Figure B data (full scale) — average scores over the last 10% of no-KD training",
                          columns: PaperA.scoreRangeColumns)
        for (i, spec) in specs.enumerated() where seen.insert(spec.architecture).inserted {
            let folder = trained["\(spec.paperName)|\(Regime.none.rawValue)"]!.deletingLastPathComponent()
            guard let state = try TrainingState.read(checkpointDirectory: folder.appendingPathComponent("checkpoint")) else {
                throw ExperimentError("\(folder.path): no training checkpoint to read the score logs from")
            }
            let pos = state.steps.map { $0.metrics["pos_avg"] ?? .nan }, neg = state.steps.map { $0.metrics["neg_avg"] ?? .nan }
            let bins = binnedMeans(pos, bins: 200), negBins = binnedMeans(neg, bins: 200)
            series += PaperA.scoreRangeSeries(spec.architectureName, x: bins.map(\.step), positive: bins.map(\.mean),
                                              negative: negBins.map(\.mean), color: Color.palette(i))
            let tail = max(1, pos.count / 10)
            table.rows.append(PaperA.scoreRangeRow(spec.architectureName, label: spec.label,
                                                   positive: finiteMean(pos.suffix(tail)), negative: finiteMean(neg.suffix(tail))))
        }
        let figure = Figure(title: "Figure B (full scale) — output score ranges during no-KD training",
                            subtitle: "average positive (solid) and negative (dashed) score per step, RankNet on the rows of T1's score file; means over \(max(1, steps / 200)) steps",
                            x: Axis("Training step"), y: Axis("Output score"), series: series)
        table.notes = ["Paper values digitised from its figure at 500k batches; ours after \(steps) steps of the same rows.",
                       "Command: \(command)"]
        return (try figure.svg(), table)
    }

    /// The mean of the finite values of `xs` over `bins` consecutive slices, each at its last step (1-based).
    static func binnedMeans(_ xs: [Double], bins: Int) -> [(step: Double, mean: Double)] {
        let width = max(1, (xs.count + bins - 1) / bins)
        return stride(from: 0, to: xs.count, by: width).map { lo in
            let hi = min(xs.count, lo + width)
            return (Double(hi), finiteMean(xs[lo..<hi]))
        }
    }

    static func finiteMean(_ xs: some Collection<Double>) -> Double {
        let finite = xs.filter(\.isFinite)
        return finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
    }

    /// Query latency of each of `specs` (its T2 run): re-ranking the whole candidate list of DL19's first `queries`
    /// queries after one warm-up query, cached under the run's folder by the thread count and query count.
    static func latencies(_ specs: [StudentSpec], trained: [String: URL], file: CandidateFile, queries: Int,
                          tokenize: (StudentSpec) -> (String) -> [Int], log: (String) -> Void) throws -> [String: LatencyRecord] {
        var out: [String: LatencyRecord] = [:]
        for spec in specs {
            let model = trained["\(spec.paperName)|\(Regime.t2.rawValue)"]!
            let record = model.deletingLastPathComponent()
                .appendingPathComponent("latency-\(queries)-queries-\(Kernels.threadCount)-threads.json")
            if let data = FileManager.default.contents(atPath: record.path),
               let known = try? JSONDecoder().decode(LatencyRecord.self, from: data) {
                out[spec.paperName] = known; continue
            }
            log("timing \(spec.paperName) on \(queries) DL19 queries' top \(file.count / max(1, file.queryIDs.count)) (after a warm-up query)")
            let ranker = try RankerRegistry.load(model)
            ranker.training = false
            let tok = tokenize(spec)
            var samples: [Double] = [], floats = 0.0, depth = 0
            for i in 0..<min(file.queryIDs.count, queries + 1) {
                let (_, text, candidates) = file.query(at: i)
                let (seconds, f) = LatencyRecord.time(ranker, query: tok(text), passages: candidates.map { tok($0.text) })
                floats = f; depth = max(depth, candidates.count)
                if i > 0 { samples.append(seconds) }
            }
            let latency = LatencyRecord(samples: samples.isEmpty ? [0] : samples, ranker: ranker, floats: floats, candidates: depth)
            try writeAtomically(try JSONEncoder().encode(latency), to: record)
            out[spec.paperName] = latency
        }
        return out
    }

    /// Figure C at full scale: each student's latency against its DL19 nDCG@10 and dev-small MRR@10 under each regime
    /// (`results[job id][test]`). Returns the figure's SVG and its data table.
    static func efficiencyFigure(_ specs: [StudentSpec], latency: [String: LatencyRecord],
                                 results: [String: [String: (ndcg10: Double, mrr10: Double)]], command: String) throws
        -> (svg: String, table: Table) {
        var ndcgSeries: [Series] = [], mrrSeries: [Series] = []
        var table = Table(title: "Figure C data (full scale)",
                          columns: ["Student", "ours", "latency (ms)", "Teacher", "DL19 nDCG@10", "DEV MRR@10",
                                    "paper latency (ms)", "paper TREC-19 nDCG@10", "paper DEV MRR@10"])
        for (i, spec) in specs.enumerated() {
            let ms = latency[spec.paperName]!.medianMs
            let paper = MarginMSEPaper.tableC.first { $0.student == spec.paperName }
            var nd: [Point] = [], mr: [Point] = []
            for (k, regime) in regimes.enumerated() {
                let r = results["\(spec.paperName)|\(regime.rawValue)"]!
                let label = regime == .none ? nil : regime.rawValue
                nd.append(Point(ms, r["dl19"]!.ndcg10, label: label))
                mr.append(Point(ms, r["dev"]!.mrr10, label: label))
                table.rows.append(Row([.text(k == 0 ? spec.paperName : ""), .text(k == 0 ? spec.label : ""),
                                       .number(ms, format: .significant(3)), .text(regime.rawValue),
                                       .number(r["dl19"]!.ndcg10), .number(r["dev"]!.mrr10),
                                       k == 0 ? (paper?.latencyMs.cell(digits: 0) ?? .unknown) : .empty,
                                       paper.map { MarginMSEPaper.cell($0.trecNDCG10, regime) } ?? .unknown,
                                       paper.map { MarginMSEPaper.cell($0.devMRR10, regime) } ?? .unknown]))
            }
            let color = Color.palette(i), marker = MarkerShape.cycle(i)
            ndcgSeries.append(.line(spec.paperName, nd, marker: marker, color: color))
            mrrSeries.append(.line(spec.paperName, mr, marker: marker, color: color))
        }
        let svg = try PaperA.efficiencyGrid(title: "Figure C (full scale) — efficiency vs effectiveness (no KD, T1, T2 per student)",
                                            left: "nDCG@10 on DL19", leftAxis: "nDCG@10", leftSeries: ndcgSeries,
                                            right: "MRR@10 on MS MARCO dev-small", rightAxis: "MRR@10", rightSeries: mrrSeries)
        let timed = latency.values.first
        table.notes = [
            "Latency: median over \(timed?.queries ?? 0) DL19 queries of re-ranking the query's whole top \(timed?.candidates ?? 0) on \(Kernels.threadCount) CPU thread(s), passage representations cached beforehand where the architecture can (the paper: a GPU).",
            "Command: \(command)",
        ]
        return (svg, table)
    }
}
