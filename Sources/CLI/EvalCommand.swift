// `reproduce eval`: trec_eval's command line and output for the measures in Eval (same names, same meanings, same
// printed layout `measure<TAB>all<TAB>value`), e.g. `reproduce eval --qrels q.txt --run r.trec -l 2 -M 10 -m recip_rank`.

import Eval
import Foundation

public struct EvalCommand: Command {
    public init() {}
    public let path = ["eval"]
    public let summary = "Evaluate a TREC run against qrels, exactly as trec_eval 9.0.4"
    public let usage = """
        Usage: reproduce eval --qrels FILE --run FILE [-l LEVEL] [-M DEPTH] [-m MEASURE]... [-q]
               reproduce eval QRELS RUN [options]

        Evaluates a TREC run (qid Q0 docno rank score tag) against TREC qrels (qid iter docno rel) with trec_eval's
        semantics: documents ordered by score descending, ties by docno descending; only queries in both files count.
        Measures (trec_eval names; `.k,k2` sets cutoffs, none gives trec_eval's defaults):
          num_q num_ret num_rel num_rel_ret map Rprec recip_rank P.k recall.k ndcg ndcg_cut.k map_cut.k success.k
        MRR@10 is `-M 10 -m recip_rank`; nDCG@10 is `-m ndcg_cut.10` (graded, linear gain; -l does not apply).
        Without -m: num_q num_ret num_rel num_rel_ret map Rprec recip_rank P recall ndcg ndcg_cut.

        With --compare RUN2: instead of trec_eval's layout, one line per measure (counts skipped) comparing the two runs
        on the queries both evaluate: means, paired two-sided t-test p, its Bonferroni correction over the measures
        compared, and a seeded Fisher randomisation test p (--trials, --seed).
        """
    public let options: [OptionSpec] = [
        .option("qrels", value: "FILE", help: "TREC qrels file"),
        .option("run", value: "FILE", help: "TREC run file"),
        .option("rel", short: "l", value: "LEVEL", help: "lowest grade counted relevant by binary measures", default: "1", rule: .int(atLeast: 1)),
        .option("depth", short: "M", value: "N", help: "keep the top N documents per query (trec_eval -M)", rule: .int(atLeast: 1)),
        .option("measure", short: "m", value: "NAME", help: "measure to print (trec_eval name)", repeats: true),
        .flag("per-query", short: "q", help: "print per-query values before the 'all' lines"),
        .option("compare", value: "FILE", help: "a second run: print significance tests instead"),
        .option("trials", value: "N", help: "randomisation test trials (with --compare)", default: "10000", rule: .int(atLeast: 1)),
        .option("seed", value: "N", help: "randomisation test seed (with --compare)", default: "42", rule: .int(atLeast: 0)),
    ]

    public func run(_ args: ParsedArguments, console: Console) throws {
        let name = "reproduce eval"
        var pos = args.positionals
        let qrelsPath = try args.string("qrels") ?? (pos.isEmpty ? args.required("qrels", command: name) : pos.removeFirst())
        let runPath = try args.string("run") ?? (pos.isEmpty ? args.required("run", command: name) : pos.removeFirst())
        guard pos.isEmpty else { throw CLIError("\(name): unexpected argument '\(pos[0])'") }
        let level = try args.int(defaulted: "rel")
        let depth = try args.int("depth") ?? .max
        let specs = args.strings("measure").isEmpty
            ? ["num_q", "num_ret", "num_rel", "num_rel_ret", "map", "Rprec", "recip_rank", "P", "recall", "ndcg", "ndcg_cut"]
            : args.strings("measure")
        var measures: [Measure] = []
        for s in specs {
            do { measures += try Measure.parse(s) } catch let e as MeasureError { throw CLIError("\(name): \(e)") }
        }
        let qrels: Qrels, run: Run
        do { qrels = try Qrels.read(qrelsPath); run = try Run.read(runPath) }
        catch { throw CLIError("\(name): \(error)", kind: .failure) }
        // Empty inputs or inputs about different topics would print zeros that look like a result.
        guard !qrels.judgements.isEmpty else {
            throw CLIError("\(name): \(qrelsPath) holds no judgements (expected lines 'qid 0 docno grade')", kind: .failure)
        }
        guard !run.results.isEmpty else {
            throw CLIError("\(name): \(runPath) holds no results (expected lines 'qid Q0 docno rank score tag')", kind: .failure)
        }
        guard run.results.keys.contains(where: { qrels.judgements[$0] != nil }) else {
            throw CLIError("\(name): no query of \(runPath) is judged in \(qrelsPath): are they for the same topics?", kind: .failure)
        }
        let options = EvalOptions(relevanceLevel: level, maxDocuments: depth)
        let e = TrecEval.evaluate(qrels: qrels, run: run, measures: measures, options: options)
        guard let comparePath = args.string("compare") else {
            console.out(TrecEval.format(e, perQuery: args.flag("per-query")))
            return
        }
        let other: Run
        do { other = try Run.read(comparePath) } catch { throw CLIError("\(name): \(error)", kind: .failure) }
        let trials = try args.int(defaulted: "trials")
        let seed = try args.int(defaulted: "seed")
        let f = TrecEval.evaluate(qrels: qrels, run: other, measures: measures, options: options)
        let common = e.queries.filter { f.perQuery[$0] != nil }
        guard common.count >= 2 else { throw CLIError("\(name): fewer than 2 queries evaluated in both runs", kind: .failure) }
        let compared = e.measures.enumerated().filter { !$0.element.kind.isCount }
        var rows: [(String, Double, Double, Double, Double, Double)] = []
        for (i, m) in compared {
            let a = common.map { e.perQuery[$0]![i] }, b = common.map { f.perQuery[$0]![i] }
            let t = Significance.pairedTTest(a, b)
            let r = Significance.randomisationTest(a, b, trials: trials, seed: UInt64(seed))
            rows.append((m.description, a.reduce(0, +) / Double(a.count), b.reduce(0, +) / Double(b.count), t.statistic, t.pValue, r.pValue))
        }
        let bonf = Significance.bonferroni(rows.map(\.4))
        console.out("# \(common.count) queries in both runs; paired two-sided t-test, Bonferroni over \(rows.count) measures; "
                    + "randomisation: \(trials) trials, seed \(seed)\n")
        console.out("measure\trun\tcompare\tt\tp\tp_bonferroni\tp_randomisation\n")
        for (k, r) in rows.enumerated() {
            console.out("\(r.0)\t" + [r.1, r.2].map { String(format: "%.4f", $0) }.joined(separator: "\t")
                        + "\t" + String(format: "%.3f", r.3) + "\t" + [r.4, bonf[k], r.5].map { String(format: "%.4g", $0) }.joined(separator: "\t") + "\n")
        }
    }
}
