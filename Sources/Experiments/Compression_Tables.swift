// Paper B, Tables 1–3: for each ranker type, the teacher, the baseline student (layer reduction), + vocabulary V*,
// + PCA, + both — their shapes and sizes (Table 1), quality (Table 2) and cost (Table 3).

import Compression
import Report

extension Experiments {
    static let compressionTable1 = Experiment(
        name: "table-1", paper: .compression, kind: .table, title: "Table 1 — Models: shapes and sizes", budgetMinutes: 11.9
    ) { context in
        let p = PaperBPipeline.forContext(context)
        var table = Table(title: "Table 1 — teacher and students", columns: ["Ranker", "Model", "Layers", "Hidden", "Vocabulary",
            "Output dim", "Params (M)", "MB fp32", "MB int8", "× smaller (fp32)", "paper"])
        for type in RankerType.allCases {
            let (rows, _) = try p.tableRows(type)
            let teacherMB = rows[0].result.measurements?.sizeMBFP32 ?? .nan
            for (i, r) in rows.enumerated() {
                let m = r.result.measurements
                table.rows.append(Row([.text(i == 0 ? type.title : ""), .text(r.label), .number(Double(r.result.layers), format: .integer),
                                       .number(Double(r.result.hidden), format: .integer),
                                       .number(Double(r.result.vocabulary), format: .integer),
                                       .number(Double(r.result.hidden), format: .integer),
                                       .number(Double(m?.parameters ?? 0) / 1e6, format: .significant(3)),
                                       .number(m?.sizeMBFP32 ?? .nan, format: .significant(3)),
                                       r.config == nil ? .text("–") : .number(m?.sizeMBInt8 ?? .nan, format: .significant(3)),
                                       .number(teacherMB / (m?.sizeMBFP32 ?? .nan), digits: 1, marker: "×"), .unknown]))
            }
        }
        table.notes = ["MB int8: int8 weights of every Linear layer and the word embeddings (per-row symmetric scales, stored as fp32) plus the remaining parameters in fp32.",
                       "The paper's sizes are unknown here (the digest's formula gives, e.g., 4.12M parameters for V = 30,000, H = 128, L = 1)."]
        return ExperimentOutput(tables: [table], deviations: PaperB.deviations(context, plan: p.plan),
                                caption: "Vocabulary generation shrinks the embedding matrix; PCA before distillation shrinks every layer.")
    }

    static let compressionTable2 = Experiment(
        name: "table-2", paper: .compression, kind: .table, title: "Table 2 — Quality", budgetMinutes: 0
    ) { context in
        let p = PaperBPipeline.forContext(context)
        var table = Table(title: "Table 2 — quality of the teacher and the students",
                          columns: ["Ranker", "Model", "DL19 nDCG@10", "DL19 MRR@10", "SciFact nDCG@10", "agreement ρ",
                                    "top-10 overlap", "MSE×100", "DL19 nDCG@10 int8", "paper"])
        for type in RankerType.allCases {
            let (rows, v) = try p.tableRows(type)
            for (i, r) in rows.enumerated() {
                let q = r.result.quality, a = q.agreement
                func num(_ x: Double?) -> Cell { x.map { .number($0) } ?? .empty }
                table.rows.append(Row([.text(i == 0 ? type.title : ""), .text(r.label), num(q.dl19NDCG10), num(q.dl19MRR10),
                                       num(q.scifactNDCG10), num(a?.spearmanPairwiseCosine), num(a?.topTenOverlap),
                                       num(a?.mseTimes100), num(r.result.qualityInt8?.dl19NDCG10), .unknown]))
            }
            table.notes.append("\(type.title): V* = \(v.map(String.init) ?? "none within tolerance (largest trained size used)") by the rule: going down from the largest trained vocabulary, the smallest whose student (hidden \(p.plan.sweepHidden), \(p.plan.layers) layer) — and every larger one's — is within \(p.plan.vStarTolerance) of the teacher-vocabulary student on \(type == .questionAnswer ? "DL19 nDCG@10" : "agreement ρ").")
        }
        table.notes += [(context.usesSyntheticData ? "At the smoke scale \"DL19\" and \"SciFact\" are the synthetic test fold and collection. " : "")
                        + "DL19: re-ranking the BM25 top-100 of the 43 judged queries by cosine; MRR@10 at relevance ≥ 2. SciFact: dense retrieval, 300 test queries. Agreement: Spearman of pairwise cosines and top-10 neighbour overlap with the teacher on a sample of DL19 passages; MSE×100 to the (PCA-projected) teacher targets.",
                        "int8: the same student with int8 weights, run dequantised in fp32 (weight rounding only)."]
        return ExperimentOutput(tables: [table], deviations: PaperB.deviations(context, plan: p.plan),
                                caption: "How much of the teacher each compression step keeps.")
    }

    static let compressionTable3 = Experiment(
        name: "table-3", paper: .compression, kind: .table, title: "Table 3 — Efficiency", budgetMinutes: 0
    ) { context in
        let p = PaperBPipeline.forContext(context)
        var table = Table(title: "Table 3 — cost per text (\(context.threads) thread(s))",
                          columns: ["Ranker", "Model", "latency @52 (ms)", "latency @90 (ms)", "throughput (texts/s)",
                                    "CPU-s / 1000 texts", "J / 1000 texts", "peak memory (MB)", "storage fp32 (MB)", "paper"])
        for type in RankerType.allCases {
            let (rows, _) = try p.tableRows(type)
            for (i, r) in rows.enumerated() {
                let m = r.result.measurements
                func num(_ x: Double?, _ f: NumberFormat = .significant(3)) -> Cell { x.map { .number($0, format: f) } ?? .text("–") }
                table.rows.append(Row([.text(i == 0 ? type.title : ""), .text(r.label), num(m?.latency52.map { $0 * 1000 }),
                                       num(m?.latency90.map { $0 * 1000 }), num(m?.throughput), num(m?.cpuSecondsPer1000),
                                       num(m?.joulesPer1000), num(m?.peakResidentMB), num(m?.sizeMBFP32), .unknown]))
            }
        }
        table.notes = ["Latency: batch 1, input padded to exactly 52 / 90 tokens; the median of each row's per-round medians over \(p.latencyRounds) rounds. Throughput and CPU-seconds: \(p.plan.measureTexts) texts at the ranker's token size, batch 32, the median of \(p.throughputRounds) rounds. All rows of a ranker type are timed in turn, round by round. Energy: RAPL joules where /sys/class/powercap is readable (– otherwise); CPU-seconds is the proxy.",
                       "Peak memory: the model's fp32 weights plus the most memory its work holds at once while it runs the two latency inputs and encodes the \(p.plan.measureTexts) texts at batch 32 — activations, packed weight copies, GEMM scratch, counted as they are taken and given back (Tensors' WorkingMemory), not the process's resident set, which holds what other models and the buffer pools left."]
        return ExperimentOutput(tables: [table], deviations: PaperB.deviations(context, plan: p.plan),
                                caption: "Faster inference, less energy, less storage: measured on CPU, not on a phone.")
    }
}
