// A table as a value: title, caption, column headers, rows of cells, footnotes. Rendered to Markdown
// (Table+Markdown.swift), CSV (Table+CSV.swift) and HTML (Table+HTML.swift); every rendering is deterministic.
// Paper tables put our numbers beside the paper's: a row or a cell says which it is.
// Leaves out: column spans (a group row spans the table instead) and cell colours.

import Foundation

/// Horizontal alignment of a column.
public enum Alignment: String, Sendable, Equatable {
    case left, right, center
}

public struct Column: Sendable, Equatable {
    public var header: String
    /// `nil`: right-aligned when most of the column's cells are numbers, else left-aligned.
    public var alignment: Alignment?
    public init(_ header: String, alignment: Alignment? = nil) {
        self.header = header; self.alignment = alignment
    }
}

extension Column: ExpressibleByStringLiteral {
    public init(stringLiteral s: String) { self.init(s) }
}

/// A row of cells, or a group heading that spans the table (e.g. "TREC DL 2019").
public struct Row: Sendable, Equatable {
    public var cells: [Cell]
    public var provenance: Provenance
    /// Non-nil for a group heading; its cells are empty.
    public var group: String?

    public init(_ cells: [Cell], provenance: Provenance = .ours) {
        self.cells = cells; self.provenance = provenance; self.group = nil
    }
    /// A heading row spanning the table.
    public static func group(_ title: String) -> Row {
        var r = Row([]); r.group = title; return r
    }
    /// A row of the paper's published numbers.
    public static func paper(_ cells: [Cell]) -> Row { Row(cells, provenance: .paper) }

    /// The provenance of cell `i`: its own, else the row's.
    public func provenance(of i: Int) -> Provenance {
        i < cells.count ? (cells[i].provenance ?? provenance) : provenance
    }
}

/// Errors of the Report module name what was wrong and where.
public enum ReportError: Error, CustomStringConvertible, Equatable {
    case rowWidth(table: String, row: Int, expected: Int, got: Int)
    case csv(line: Int, message: String)
    case write(path: String, message: String)
    case emptyFigure(title: String)

    public var description: String {
        switch self {
        case let .rowWidth(t, r, e, g): return "table \"\(t)\": row \(r) has \(g) cells, expected \(e) (one per column)"
        case let .csv(l, m): return "CSV line \(l): \(m)"
        case let .write(p, m): return "cannot write \(p): \(m)"
        case let .emptyFigure(t): return "figure \"\(t)\" has no finite data points"
        }
    }
}

public struct Table: Sendable, Equatable {
    public var title: String
    public var caption: String
    public var columns: [Column]
    public var rows: [Row]
    /// Footnotes printed under the table: marker meanings, deviations from the paper.
    public var notes: [String]

    public init(title: String, caption: String = "", columns: [Column], rows: [Row] = [], notes: [String] = []) {
        self.title = title; self.caption = caption; self.columns = columns; self.rows = rows; self.notes = notes
    }

    /// Appends a row of our numbers.
    public mutating func append(_ cells: [Cell], provenance: Provenance = .ours) {
        rows.append(Row(cells, provenance: provenance))
    }

    /// Checks that every non-group row has one cell per column.
    public func validate() throws {
        for (i, r) in rows.enumerated() where r.group == nil && r.cells.count != columns.count {
            throw ReportError.rowWidth(table: title, row: i, expected: columns.count, got: r.cells.count)
        }
    }

    /// The data rows padded (with empty cells) or cut to the column count, so renderers never index out of range.
    func normalisedCells(_ r: Row) -> [Cell] {
        if r.cells.count >= columns.count { return Array(r.cells.prefix(columns.count)) }
        return r.cells + Array(repeating: .empty, count: columns.count - r.cells.count)
    }

    /// The alignment of column `j`: explicit, else by majority of its non-empty cells.
    public func alignment(ofColumn j: Int) -> Alignment {
        if let a = columns[j].alignment { return a }
        var numeric = 0, other = 0
        for r in rows where r.group == nil && j < r.cells.count {
            if case .empty = r.cells[j].value { continue }
            if r.cells[j].isNumeric { numeric += 1 } else { other += 1 }
        }
        return numeric > other ? .right : .left
    }

    /// True when some cell is the paper's: renderers then say how paper cells are shown.
    public var hasPaperCells: Bool {
        rows.contains { r in r.group == nil && r.cells.indices.contains { r.provenance(of: $0) == .paper } }
    }

    /// Writes `<base>.md` and `<base>.csv` (and `<base>.html` if `html`) next to each other, atomically.
    public func write(base: URL, html: Bool = false) throws {
        try validate()
        try writeAtomically(markdown(), to: base.appendingPathExtension("md"))
        try writeAtomically(csv(), to: base.appendingPathExtension("csv"))
        if html { try writeAtomically(self.html(), to: base.appendingPathExtension("html")) }
    }
}
