// The datasets of the `default` scale by name, with their files relative to the data directory (see
// DataDirectory for where that is): `reproduce bm25 --dataset vaswani` needs no paths.
// Leaves out: MS MARCO dev-small (no passage text here) and the training sample (no collection).

public struct KnownDataset: Sendable, Equatable {
    public let name: String
    public let collection: String
    public let queries: String
    /// TREC, Cranfield or BEIR qrels (read with `TextFiles.readJudgements`).
    public let qrels: String

    public static let all: [KnownDataset] = [
        KnownDataset(name: "dl19", collection: "msmarco-passage-trec-dl/dl19/collection.tsv",
                     queries: "msmarco-passage-trec-dl/dl19/queries.tsv", qrels: "msmarco-passage-trec-dl/dl19/qrels.txt"),
        KnownDataset(name: "dl20", collection: "msmarco-passage-trec-dl/dl20/collection.tsv",
                     queries: "msmarco-passage-trec-dl/dl20/queries.tsv", qrels: "msmarco-passage-trec-dl/dl20/qrels.txt"),
        KnownDataset(name: "cranfield", collection: "cranfield/cran.all.1400", queries: "cranfield/cran.qry",
                     qrels: "cranfield/cranqrel"),
        KnownDataset(name: "vaswani", collection: "vaswani/doc-text.trec", queries: "vaswani/query-text.trec",
                     qrels: "vaswani/qrels"),
        KnownDataset(name: "scifact", collection: "scifact/corpus_train.csv", queries: "scifact/queries.test.tsv",
                     qrels: "scifact/qrels.test.txt"),
    ]

    public static func named(_ name: String) -> KnownDataset? { all.first { $0.name == name } }
}
