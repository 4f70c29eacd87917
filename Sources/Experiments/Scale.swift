// The three scales of a reproduction:
//   smoke    synthetic collection, tiny models, < 2 minutes for everything: tests and CI
//   default  the real data on these machines (MS MARCO dev-small, TREC DL 2019/2020, Cranfield, Vaswani, SciFact) and
//            all-MiniLM-L6-v2, students cut from it: under an hour on 2 AVX-512 cores (55 min on Zen 5, the target ≤ 60),
//            3–4 hours on 2 AVX2 cores; what the committed paper-figures/ come from
//   full     the papers' own data and sizes, via the manifests: days, any machine. Paper A's Table C only
//            (`reproduce paper-a --scale full`, PaperAFullScale.swift); its inputs are checked first (FullScale.swift).
// When `default` cannot find the real data it says so and runs `smoke` data with a banner on every output.

public enum Scale: String, CaseIterable, Codable, Sendable {
    case smoke
    case `default`
    case full

    public var summary: String {
        switch self {
        case .smoke: return "synthetic collection, tiny models (< 2 minutes)"
        case .default: return "MS MARCO dev-small, TREC DL 2019/2020, Cranfield, Vaswani, SciFact with all-MiniLM-L6-v2 (under an hour on 2 AVX-512 cores, 3–4 hours on 2 AVX2 cores)"
        case .full: return "the papers' own data (data-manifests/), Paper A's Table C: 'reproduce paper-a --scale full' (days)"
        }
    }
}
