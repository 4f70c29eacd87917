// What `--scale full` reads: the papers' own data, in the published formats, each file with the manifest in
// data-manifests/ that fetches it. `--scale full` checks these inputs before any work and, when one is missing, stops
// with what is missing and the command that fetches it. Nothing runs at a smaller scale in its place.

import Foundation

public enum FullScale {
    /// One input file, relative to the data directory.
    public struct Input: Sendable, Equatable {
        public let path: String
        /// The manifest (data-manifests/NAME.json) whose `fetch` provides it.
        public let manifest: String
        public let what: String
    }

    public static let inputs: [Input] = [
        Input(path: "msmarco-passage/collection.tsv", manifest: "msmarco-passage-full", what: "the 8.8M passages"),
        Input(path: "msmarco-passage/queries.train.tsv", manifest: "msmarco-passage-full",
              what: "the training queries (in the collection's archive)"),
        Input(path: "msmarco-passage/queries.dev.small.tsv", manifest: "msmarco-passage-full",
              what: "the 6,980 dev queries (in the collection's archive)"),
        Input(path: "msmarco-passage/qrels.dev.small.tsv", manifest: "msmarco-passage-full",
              what: "their judgements (in the collection's archive)"),
        Input(path: "msmarco-passage/qidpidtriples.train.full.2.tsv", manifest: "msmarco-passage-full",
              what: "the training triples by id"),
        Input(path: "msmarco-passage/top1000.dev", manifest: "msmarco-passage-full", what: "BM25's top 1000 of each dev query"),
        Input(path: "msmarco-passage/msmarco-passagetest2019-top1000.tsv", manifest: "msmarco-passage-full",
              what: "BM25's top 1000 of each TREC DL 2019 query"),
        Input(path: "msmarco-passage-trec-dl/dl19/queries.tsv", manifest: "trec-dl19-passage", what: "the DL19 queries"),
        Input(path: "msmarco-passage-trec-dl/dl19/qrels.txt", manifest: "trec-dl19-passage", what: "the DL19 judgements"),
        Input(path: "margin-mse/bertbase_cat_msmarcopassage_train_scores_ids.tsv", manifest: "margin-mse-teacher-scores",
              what: "the paper's T1 scores of every training triple"),
        Input(path: "margin-mse/bert_cat_ensemble_msmarcopassage_train_scores_ids.tsv", manifest: "margin-mse-teacher-scores",
              what: "the paper's T2 scores of every training triple"),
    ]

    /// The inputs not present under `dataDirectory` (all of them when there is none).
    public static func missing(in dataDirectory: String?) -> [Input] {
        guard let dataDirectory else { return inputs }
        return inputs.filter { !FileManager.default.fileExists(atPath: (dataDirectory as NSString).appendingPathComponent($0.path)) }
    }

    /// Why `--scale full` cannot run with `dataDirectory`: the missing files and how to fetch them.
    public static func refusal(dataDirectory: String?) -> String {
        let absent = missing(in: dataDirectory)
        let place = dataDirectory ?? "a data directory (--data DIR or $RANKER_DATA)"
        var lines = ["--scale full needs the papers' own data; \(absent.count) of \(inputs.count) inputs are missing from \(place):"]
        for i in absent { lines.append("  \(i.path)  (\(i.what); data-manifests/\(i.manifest).json)") }
        let manifests = absent.map(\.manifest).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        lines.append("Fetch them (several GB; checksums and sources are in the manifests) with:")
        for m in manifests { lines.append("  swift run -c release reproduce fetch \(m) --into \(dataDirectory ?? "DIR")") }
        return lines.joined(separator: "\n")
    }
}
