// Figure A of the Margin-MSE reproduction: the paper's three-step workflow (Hofstätter et al. 2020, Figure 1 and
// Section 3): (1) train the teacher(s) on training triples, (2) score every triple with the teacher(s) and keep the
// margins, (3) train each efficient student with Margin-MSE on those margins. The texts name what this package
// uses at the `default` scale (Docs/Paper-MarginMSE.md); the paper's own choices are in its Figure 1.

import Foundation

extension Diagram {
    /// The Margin-MSE workflow diagram (Figure A).
    public static func marginMSEWorkflow(title: String = "Figure A — Cross-architecture knowledge distillation with Margin-MSE",
                                         subtitle: String = "Teacher scores are computed once and reused by every student") -> Diagram {
        let W = 980.0, panelW = 300.0, gap = 20.0, x0 = 20.0, py = 150.0, ph = 290.0
        func px(_ i: Int) -> Double { x0 + Double(i) * (panelW + gap) }
        let bw = panelW - 40
        let boxes: [DiagramBox] = [
            DiagramBox("triples", title: "Training triples ⟨q, p⁺, p⁻⟩",
                       lines: ["p⁺ judged ≥ 2;  p⁻ a BM25 candidate judged 0 or unjudged"],
                       x: W / 2 - 230, y: 72, width: 460, height: 52, style: .data),
            DiagramBox("p1", title: "① Teacher training", lines: ["once"], x: px(0), y: py, width: panelW, height: ph,
                       style: .panel, color: .blue),
            DiagramBox("p2", title: "② Teacher inference", lines: ["once per teacher"], x: px(1), y: py, width: panelW,
                       height: ph, style: .panel, color: .vermillion),
            DiagramBox("p3", title: "③ Student training", lines: ["per student architecture"], x: px(2), y: py,
                       width: panelW, height: ph, style: .panel, color: .green),
            DiagramBox("teacher", title: "BERT_CAT teacher(s)",
                       lines: ["MiniLM encoder + linear head", "RankNet on s(q,p⁺) − s(q,p⁻)", "T2: 3 teachers, mean"],
                       x: px(0) + 20, y: py + 80, width: bw, height: 96, color: .blue),
            DiagramBox("score", title: "Score every triple",
                       lines: ["teacher margin", "Mₜ = sₜ(q,p⁺) − sₜ(q,p⁻)"],
                       x: px(1) + 20, y: py + 80, width: bw, height: 96, color: .vermillion),
            DiagramBox("file", title: "Teacher-score file",
                       lines: ["pos  neg  qid  pid⁺  pid⁻"],
                       x: px(1) + 20, y: py + 200, width: bw, height: 56, style: .data),
            DiagramBox("student", title: "Efficient student",
                       lines: ["BERT_DOT · ColBERT · PreTT · TK", "loss: Margin-MSE (Mₛ − Mₜ)²", "Mₛ = sₛ(q,p⁺) − sₛ(q,p⁻)"],
                       x: px(2) + 20, y: py + 80, width: bw, height: 112, color: .green),
        ]
        let arrows = [
            DiagramArrow(from: "triples", to: "p1"),
            DiagramArrow(from: "triples", to: "p2"),
            DiagramArrow(from: "triples", to: "p3"),
            DiagramArrow(from: "teacher", to: "score", label: "weights"),
            DiagramArrow(from: "score", to: "file"),
            DiagramArrow(from: "file", to: "student", label: "Mₜ"),
        ]
        return Diagram(title: title, subtitle: subtitle, width: W, height: py + ph + 20, boxes: boxes, arrows: arrows,
                       id: "figure-a")
    }
}
