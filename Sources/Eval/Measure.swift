// The measures, named and parameterised as trec_eval 9.0.4 names them (`-m ndcg_cut.10,20`, printed `ndcg_cut_10`),
// in trec_eval's own output order. Definitions (rel ≥ ℓ is "relevant", ℓ = `-l`, default 1; ranks 1-based, after
// sorting by score descending then docno descending and keeping the first M = `-M` documents):
//   num_q        number of evaluated queries (in both run and qrels)          [summed over queries]
//   num_ret      documents retrieved                                         [summed]
//   num_rel      judged documents with rel ≥ ℓ (R)                           [summed]
//   num_rel_ret  relevant documents retrieved                                [summed]
//   map          Σ_{relevant retrieved d} P@rank(d) / R                      (0 when R = 0)
//   Rprec        relevant in the top R / R
//   recip_rank   1 / rank of the first relevant document (0 if none)
//   P_k          relevant in the top k / k      (k counts even when fewer were retrieved)
//   recall_k     relevant in the top k / R
//   ndcg         Σ_i g_i / log2(i+1) over all retrieved, over the same for the ideal ordering of all judged
//                gains; gain g = rel (linear), only rel > 0 counts, ℓ is NOT applied (trec_eval does not)
//   ndcg_cut_k   the same with both sums cut at rank k
//   map_cut_k    Σ_{relevant d, rank ≤ k} P@rank(d) / R
//   success_k    1 if a relevant document is in the top k, else 0
// Leaves out: the other trec_eval measures (bpref, infAP, gm_map, iprec_at_recall, set_*, utility, …).

/// A trec_eval measure with its cutoff (for the cutoff families).
public struct Measure: Hashable, Comparable, Sendable, CustomStringConvertible {
    public enum Kind: Int, Sendable, CaseIterable {
        case numQ, numRet, numRel, numRelRet, map, rprec, recipRank, precision, recall, ndcg, ndcgCut, mapCut, success

        /// The name trec_eval uses with `-m` and prints (without the cutoff).
        public var trecName: String {
            switch self {
            case .numQ: "num_q"; case .numRet: "num_ret"; case .numRel: "num_rel"; case .numRelRet: "num_rel_ret"
            case .map: "map"; case .rprec: "Rprec"; case .recipRank: "recip_rank"; case .precision: "P"
            case .recall: "recall"; case .ndcg: "ndcg"; case .ndcgCut: "ndcg_cut"; case .mapCut: "map_cut"
            case .success: "success"
            }
        }
        public var hasCutoff: Bool { [.precision, .recall, .ndcgCut, .mapCut, .success].contains(self) }
        /// Counts are summed over queries (and printed as integers); everything else is averaged.
        public var isCount: Bool { [.numQ, .numRet, .numRel, .numRelRet].contains(self) }
        /// trec_eval's cutoffs when `-m NAME` has none.
        public var defaultCutoffs: [Int] {
            self == .success ? [1, 5, 10] : [5, 10, 15, 20, 30, 100, 200, 500, 1000]
        }
    }

    public let kind: Kind
    public let cutoff: Int?

    public init(_ kind: Kind, _ cutoff: Int? = nil) { self.kind = kind; self.cutoff = cutoff }

    public static let map = Measure(.map), recipRank = Measure(.recipRank), ndcg = Measure(.ndcg)
    public static let rprec = Measure(.rprec), numQ = Measure(.numQ), numRet = Measure(.numRet)
    public static let numRel = Measure(.numRel), numRelRet = Measure(.numRelRet)
    public static func ndcgCut(_ k: Int) -> Measure { Measure(.ndcgCut, k) }
    public static func precision(_ k: Int) -> Measure { Measure(.precision, k) }
    public static func recall(_ k: Int) -> Measure { Measure(.recall, k) }
    public static func mapCut(_ k: Int) -> Measure { Measure(.mapCut, k) }
    public static func success(_ k: Int) -> Measure { Measure(.success, k) }

    /// The printed name: `ndcg_cut_10`, `P_5`, `map`.
    public var description: String { cutoff.map { "\(kind.trecName)_\($0)" } ?? kind.trecName }

    public static func < (a: Measure, b: Measure) -> Bool {
        a.kind.rawValue != b.kind.rawValue ? a.kind.rawValue < b.kind.rawValue : (a.cutoff ?? 0) < (b.cutoff ?? 0)
    }

    /// Parses a trec_eval `-m` argument: `map`, `P.5`, `ndcg_cut.10,20`, `recall` (default cutoffs). Also accepts the
    /// printed form `ndcg_cut_10`. Throws a message listing the known names.
    public static func parse(_ spec: String) throws -> [Measure] {
        var name = spec, params: String? = nil
        if let dot = spec.firstIndex(of: ".") { name = String(spec[..<dot]); params = String(spec[spec.index(after: dot)...]) }
        if params == nil, let kind = Kind.allCases.first(where: { $0.hasCutoff && spec.hasPrefix($0.trecName + "_") }),
           let k = Int(spec.dropFirst(kind.trecName.count + 1)) {
            return [Measure(kind, k)]
        }
        guard let kind = Kind.allCases.first(where: { $0.trecName == name }) else {
            throw MeasureError("unknown measure '\(spec)'; known: " + Kind.allCases.map(\.trecName).joined(separator: ", "))
        }
        guard kind.hasCutoff else {
            if params != nil { throw MeasureError("measure '\(name)' takes no cutoff (got '\(spec)')") }
            return [Measure(kind)]
        }
        guard let p = params else { return kind.defaultCutoffs.map { Measure(kind, $0) } }
        return try p.split(separator: ",").map { s in
            guard let k = Int(s), k > 0 else { throw MeasureError("cutoff '\(s)' in '\(spec)' is not a positive integer") }
            return Measure(kind, k)
        }
    }
}

public struct MeasureError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ d: String) { description = d }
}
