// Paper A, Figure A: the three-step workflow of cross-architecture knowledge distillation with Margin-MSE
// (teacher training with RankNet → teacher inference into a result store → student training with Margin-MSE).
// Drawn by Report's Diagram; nothing is measured. The paper's figure is `neural-ranking-kd/figures/workflow.png`.

import Report

extension Experiments {
    static let marginMSEFigureA = Experiment(
        name: "figure-a", paper: .marginMSE, kind: .figure, title: "Figure A — Margin-MSE workflow", budgetMinutes: 0
    ) { _ in
        let svg = Diagram.marginMSEWorkflow().svg()
        return ExperimentOutput(
            figures: [("figure-a", svg)],
            deviations: ["Redrawn in-house from the paper's description; the package's own teachers are BERT_CAT on all-MiniLM-L6-v2 (T1) and a mean ensemble of three (T2), not BERT-Base/Large/ALBERT."],
            caption: "Step 1 trains BERT_CAT teachers with RankNet on ⟨q, p⁺, p⁻⟩ triples; step 2 scores every training pair once and stores the scores; step 3 trains any student architecture to match the teacher's margin s(q,p⁺) − s(q,p⁻) with Margin-MSE.")
    }
}
