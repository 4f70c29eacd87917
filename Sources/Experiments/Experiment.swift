// One paper artefact (a table or a figure) = one `Experiment`: an id, a title, and a function from the context to
// what it produced. Each lives in its own file named after the artefact (e.g. `MarginMSE_FigureA_Workflow.swift`)
// and is listed once in `Experiments.all`.

import Foundation
import Report

public enum Paper: String, Sendable, CaseIterable, Codable {
    case marginMSE = "paper-a"
    case compression = "paper-b"

    public var title: String {
        switch self {
        case .marginMSE: return "Paper A — Margin-MSE (Hofstätter et al. 2020)"
        case .compression: return "Paper B — Extreme compression (Chaulwar et al. 2022)"
        }
    }
}

public struct Experiment: Sendable {
    public enum Kind: String, Sendable { case table, figure }
    /// e.g. "table-a", "figure-1"
    public let name: String
    public let paper: Paper
    public let kind: Kind
    public let title: String
    /// What it costs at the default scale, for `reproduce list` and planning: minutes on 2 cores in a full run from
    /// an empty cache (the latest such run is a line of Docs/Log-Paper-*.md), where an artefact also trains what
    /// later ones reuse (Table A the teachers and the T2 students, Table 1 the grid's students).
    public let budgetMinutes: Double
    public let run: @Sendable (ExperimentContext) throws -> ExperimentOutput

    public init(name: String, paper: Paper, kind: Kind, title: String, budgetMinutes: Double,
                run: @escaping @Sendable (ExperimentContext) throws -> ExperimentOutput) {
        self.name = name; self.paper = paper; self.kind = kind; self.title = title
        self.budgetMinutes = budgetMinutes; self.run = run
    }

    /// "paper-a/table-a"
    public var id: String { "\(paper.rawValue)/\(name)" }

    /// "paper-a-table-a": the id of the artefact's `<article>` in index.html.
    var anchor: String { slug(id.replacingOccurrences(of: "/", with: "-")) }
}

/// What an experiment produced: its table(s) and figure(s), the paper's numbers beside them, the deviations that
/// affect them, and a few facts for the reproduction log.
public struct ExperimentOutput: Sendable {
    public var tables: [Table]
    public var figures: [(name: String, svg: String)]
    /// The paper's own numbers for this artefact (unknown cells shown as unknown).
    public var paperNumbers: Table?
    /// Every departure from the paper that affects this artefact, stated beside it.
    public var deviations: [String]
    public var caption: String

    public init(tables: [Table] = [], figures: [(name: String, svg: String)] = [], paperNumbers: Table? = nil,
                deviations: [String] = [], caption: String = "") {
        self.tables = tables; self.figures = figures; self.paperNumbers = paperNumbers
        self.deviations = deviations; self.caption = caption
    }
}
