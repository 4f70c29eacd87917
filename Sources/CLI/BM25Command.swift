// `reproduce bm25`: BM25 retrieval (Eval.BM25Index, k1 0.9, b 0.4) over any supported collection, writing a TREC run.

import Corpus
import Eval
import Foundation

public struct BM25Command: Command {
    public init() {}
    public let path = ["bm25"]
    public let summary = "BM25 top-k retrieval over a collection, written as a TREC run"
    public let usage = """
        Usage: reproduce bm25 --collection FILE --queries FILE [--k 100] [--k1 0.9] [--b 0.4] [--output FILE]
               reproduce bm25 --dataset NAME [--data DIR] [options]     (NAME: dl19 dl20 cranfield vaswani scifact)

        Indexes the collection (MS MARCO TSV, TREC SGML, Cranfield SMART, SciFact CSV or BEIR JSONL; detected from
        the file) and retrieves the top k documents per query with BM25 (Lucene's formula, Anserini's defaults).
        Analyser: lowercase, word-character runs of length ≥ 2, Lucene's English stop words, no stemming
        (--analyzer porter adds the Porter stemmer, as Anserini's default analyser does).
        Writes the run (qid Q0 docno rank score bm25) to standard output, or atomically to --output.
        With --dataset, files come from the data directory: --data DIR, $RANKER_DATA, ../shared/data, the cache.
        """
    public let options: [OptionSpec] = [
        .option("collection", value: "FILE", help: "documents"),
        .option("dataset", value: "NAME", help: "a known dataset instead of --collection/--queries"),
        .option("data", value: "DIR", help: "data directory for --dataset"),
        .option("queries", value: "FILE", help: "queries (id, text)"),
        .option("k", value: "N", help: "documents per query", default: "100", rule: .int(atLeast: 1)),
        .option("analyzer", value: "NAME", help: "plain (no stemming) or porter (Porter stemming, as Anserini)", default: "plain"),
        .option("k1", value: "X", help: "BM25 k1", default: "0.9", rule: .number(atLeast: 0)),
        .option("b", value: "X", help: "BM25 b", default: "0.4", rule: .number(atLeast: 0, atMost: 1)),
        .option("output", short: "o", value: "FILE", help: "write the run here instead of standard output"),
    ]

    public func run(_ args: ParsedArguments, console: Console) throws {
        let name = "reproduce bm25"
        if let out = args.string("output") { _ = try checkedOutput(out, option: "output", command: name) }
        let cPath: String, qPath: String
        if let ds = args.string("dataset") {
            guard let known = KnownDataset.named(ds) else {
                throw CLIError("\(name): unknown dataset '\(ds)'; known: " + KnownDataset.all.map(\.name).joined(separator: ", "))
            }
            let dir: String?
            do { dir = try DataDirectory.resolve(explicit: args.string("data")) } catch { throw CLIError("\(name): \(error)") }
            guard let root = dir else { throw CLIError("\(name): no data directory found (--data, RANKER_DATA, ../shared/data, cache)", kind: .failure) }
            cPath = root + "/" + known.collection; qPath = root + "/" + known.queries
        } else {
            cPath = try args.required("collection", command: name); qPath = try args.required("queries", command: name)
        }
        let k = try args.int(defaulted: "k")
        let k1 = try args.double(defaulted: "k1"), b = try args.double(defaulted: "b")
        let docs: [TextRecord], queries: [TextRecord]
        do {
            docs = try TextFiles.read(cPath, queries: false)
            queries = try TextFiles.read(qPath, queries: true)
        } catch { throw CLIError("\(name): \(error)", kind: .failure) }
        let analyzer: Analyzer
        switch try args.string(defaulted: "analyzer") {
        case "plain": analyzer = Analyzer()
        case "porter": analyzer = .anserini
        case let other: throw CLIError("\(name): --analyzer expects plain or porter, got '\(other)'")
        }
        let index = BM25Index(documents: docs.map { ($0.id, $0.text) }, k1: Float(k1), b: Float(b), analyzer: analyzer)
        let run = index.run(queries: queries.map { ($0.id, $0.text) }, k: k)
        if let out = args.string("output") {
            do { try run.write(to: out) } catch { throw CLIError("\(name): cannot write \(out): \(error)", kind: .failure) }
        } else {
            console.out(run.trecText())
        }
    }
}
