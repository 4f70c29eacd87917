// The list of every artefact `reproduce` regenerates, paper by paper, in the order of the papers' tables and figures.

public enum Experiments {
    public static let all: [Experiment] = [
        marginMSEFigureA,
        marginMSETableA,
        marginMSETableB,
        marginMSETableC,
        marginMSETableD,
        marginMSETableE,
        marginMSEFigureB,
        marginMSEFigureC,
        compressionTable1,
        compressionTable2,
        compressionTable3,
        compressionFigure1,
        compressionFigure2,
        compressionFigure3,
    ]

    /// Experiments matching a selector: "all", "paper-a", "paper-b", an id ("paper-a/table-c"), or a name ("table-c",
    /// "figure-1"; names are unique within a paper, so a bare name may match one per paper).
    public static func select(_ selector: String) -> [Experiment] {
        switch selector {
        case "all": return all
        case "paper-a", "paper-b": return all.filter { $0.paper.rawValue == selector }
        default: return all.filter { $0.id == selector || $0.name == selector }
        }
    }
}
