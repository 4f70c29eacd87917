// `reproduce teacher-scores`: step 2 of the Margin-MSE workflow — a trained teacher scores ⟨q,p⁺⟩ and ⟨q,p⁻⟩ of
// every training triple into the published file format; or several such files are averaged into an ensemble (T2).

import Foundation
import Corpus
import Student
import MarginMSE
import Training
import Vocab

public struct TeacherScoresCommand: Command {
    public init() {}
    public let path = ["teacher-scores"]
    public let summary = "Score the training triples with a teacher, or average score files (T2)"
    public let usage = """
        Usage: reproduce teacher-scores --teacher DIR --out FILE [TRIPLE OPTIONS] [--standardise] [--scale X]
               reproduce teacher-scores --sentence-transformer DIR --out FILE [TRIPLE OPTIONS] [--standardise] [--scale X]
               reproduce teacher-scores --ensemble FILE --ensemble FILE [...] --out FILE
               reproduce teacher-scores (--teacher DIR | --sentence-transformer DIR) --shard I/N --out FILE [...]
               reproduce teacher-scores --merge FILE --merge FILE [...] --out FILE
               reproduce teacher-scores --teacher DIR --id-triples FILE --queries FILE --collection FILE --out FILE
                   [--shard I/N]

        With --teacher (a saved ranker folder, e.g. a BERT_CAT trained with 'reproduce train --arch bert-cat
        --loss ranknet'), builds the training triples exactly as 'reproduce train' does with the same triple
        options, scores both pairs of each, and writes pos_score<TAB>neg_score<TAB>qid<TAB>pos_pid<TAB>neg_pid
        (the published Margin-MSE format). With --sentence-transformer (e.g. ../shared/models/all-MiniLM-L6-v2),
        the teacher is that bi-encoder as sentence-transformers scores: mean pooling, cosine (query 30, passage
        200 word pieces). --standardise z-normalises the scores over the triples (mean 0, standard deviation 1),
        --scale multiplies them (after --standardise): Margin-MSE is invariant to a shift of the teacher's scores
        but not to their scale (Docs/Paper-MarginMSE.md). With --ensemble, writes the per-triple mean of the
        given files (they must list the same triples in the same order).

        On several machines: each runs the same command with --shard I/N (I = 0 … N-1) and its own --out; shard I
        scores a contiguous run of whole batches and writes FILE plus FILE.shard.json. --merge then checks that every
        shard of one run is there once and writes their rows in order: exactly the file one machine would have
        written. --standardise needs every triple: apply it in an unsharded run.

        At the paper's scale: --id-triples (qid<TAB>pos_pid<TAB>neg_pid, e.g. qidpidtriples.train.full.2.tsv) with
        --queries (queries.train.tsv) and --collection (collection.tsv), both read through memory maps, scores the
        triples as the file lists them, streamed a batch at a time, cut into word pieces with --model's vocab.txt;
        --shard and --merge work as above. A stopped run resumes: FILE grows as FILE.partial with a progress record
        (FILE.progress) every 30 s, and the same command started again goes on from the last record.

        The MiniLM teacher of 'reproduce paper-a --minilm-teacher', scaled by 4:
          reproduce teacher-scores --sentence-transformer ../shared/models/all-MiniLM-L6-v2 --standardise --scale 4 \\
              --negatives-per-positive 2 --out minilm-z-x4.tsv
        """
    public let options: [OptionSpec] = [
        .option("teacher", value: "DIR", help: "Saved teacher ranker folder"),
        .option("sentence-transformer", value: "DIR", help: "A sentence-transformers folder as the teacher (mean pooling, cosine)"),
        .flag("standardise", help: "z-normalise the scores over the triples (mean 0, standard deviation 1)"),
        .option("scale", value: "X", help: "Multiply every score by X (after --standardise)", rule: .number(atLeast: 0, exclusive: true)),
        .option("ensemble", value: "FILE", help: "A teacher score file to average (repeat)", repeats: true),
        .option("out", value: "FILE", help: "Output score file"),
        .option("batch-size", value: "N", help: "Triples per forward pass", default: "32", rule: .int(atLeast: 1)),
        .option("shard", value: "I/N", help: "Score only shard I of N (0 ≤ I < N), whole batches; writes FILE.shard.json beside FILE"),
        .option("merge", value: "FILE", help: "A shard file to merge (repeat; every shard of one run, any order)", repeats: true),
        .option("id-triples", value: "FILE", help: "Score these id triples (qid, pos_pid, neg_pid) instead of building triples"),
        .option("queries", value: "FILE", help: "With --id-triples: the qid<TAB>text queries"),
        .option("collection", value: "FILE", help: "With --id-triples: the pid<TAB>text passages"),
    ] + tripleOptions

    public func run(_ args: ParsedArguments, console: Console) throws {
        let name = "reproduce teacher-scores"
        let out = URL(fileURLWithPath: try checkedOutput(try args.required("out", command: name), option: "out", command: name))
        let ensemble = args.strings("ensemble")
        let merging = args.strings("merge")
        if !merging.isEmpty {
            guard ensemble.isEmpty, args.string("teacher") == nil, args.string("sentence-transformer") == nil,
                  args.string("shard") == nil else {
                throw CLIError("\(name): --merge takes only the shard files and --out")
            }
            let rows: Int
            do { rows = try TeacherScoreShards.merge(merging.map { URL(fileURLWithPath: $0) }, to: out) } catch {
                throw CLIError("\(name): \(error)", kind: .failure)
            }
            console.out("merged \(merging.count) shards, \(rows) triples, into \(out.path)\n")
            return
        }
        var shard: Shard? = nil
        if let text = args.string("shard") {
            guard let s = Shard(parsing: text) else {
                throw CLIError("\(name): --shard takes I/N with 0 ≤ I < N (e.g. 0/4 … 3/4), not '\(text)'")
            }
            guard !args.flag("standardise") else {
                throw CLIError("\(name): --standardise needs every triple; run it unsharded, or merge the shards first")
            }
            guard ensemble.isEmpty else { throw CLIError("\(name): --shard applies when scoring with a teacher, not to --ensemble") }
            shard = s
        }
        if !ensemble.isEmpty {
            guard args.string("teacher") == nil, args.string("sentence-transformer") == nil else {
                throw CLIError("\(name): give --teacher, --sentence-transformer or --ensemble, not two of them")
            }
            // The ensemble averages the files as they are; scaling belongs to the run that wrote each file.
            for option in ["scale", "standardise"] where args.string(option) != nil || args.flag(option) {
                throw CLIError("\(name): --\(option) applies when scoring with a teacher, not to --ensemble (score each file with it instead)")
            }
            guard ensemble.count >= 2 else { throw CLIError("\(name): --ensemble needs at least two files") }
            let rows: Int
            do { rows = try TeacherEnsemble.mean(ensemble.map { URL(fileURLWithPath: $0) }, to: out) } catch {
                throw CLIError("\(name): \(error)", kind: .failure)
            }
            console.out("wrote the mean of \(ensemble.count) teachers, \(rows) triples, to \(out.path)\n")
            return
        }
        let scale = try args.double("scale").map(Float.init)   // finite and > 0: the option's rule
        let teacher: any Ranker
        switch (args.string("teacher"), args.string("sentence-transformer")) {
        case (let dir?, nil):
            do { teacher = try RankerRegistry.load(URL(fileURLWithPath: dir)) } catch {
                throw CLIError("\(name): cannot load a ranker from \(dir): \(error)", kind: .failure)
            }
        case (nil, let dir?):
            do {
                let encoder = try TransformerEncoder.load(URL(fileURLWithPath: dir))
                teacher = BertDot(encoder: encoder, pooling: .mean, cosine: true)
            } catch {
                throw CLIError("\(name): cannot load a sentence-transformers model from \(dir): \(error)", kind: .failure)
            }
        case (.some, .some): throw CLIError("\(name): give --teacher or --sentence-transformer, not both")
        case (nil, nil): throw CLIError("\(name): give --teacher DIR, --sentence-transformer DIR or --ensemble FILE ...")
        }
        if let idTriples = args.string("id-triples") {
            guard let teacherDir = args.string("teacher") else { throw CLIError("\(name): --id-triples needs --teacher DIR") }
            for option in ["scale", "standardise"] where args.string(option) != nil || args.flag(option) {
                throw CLIError("\(name): --\(option) does not apply to --id-triples (the published scores are raw too)")
            }
            let queriesPath = try args.required("queries", command: name), collectionPath = try args.required("collection", command: name)
            do {
                let vocab = URL(fileURLWithPath: try args.string(defaulted: "model")).appendingPathComponent("vocab.txt")
                let tokenizer = try BertTokenizer(vocabFile: vocab.path)
                // The rate counts this session's triples only (a resumed shard reports the earlier ones as done).
                var started = Date(), base: Int?
                let rows = try IDTripleScoring.score(
                    file: idTriples, queries: try MappedCollection(path: queriesPath), passages: try MappedCollection(path: collectionPath),
                    teacher: teacher, teacherIdentity: teacherIdentity(teacherDir), tokenize: { tokenizer.tokenize($0).map(Int.init) },
                    batchSize: try args.int(defaulted: "batch-size"), shard: shard ?? Shard(index: 0, count: 1)!, to: out,
                    progress: { done, total in
                        if base == nil { base = done; started = Date() }
                        guard done == total || done % (100 * max(1, (try? args.int(defaulted: "batch-size")) ?? 1)) == 0 else { return }
                        let rate = Double(done - base!) / max(1e-9, Date().timeIntervalSince(started))
                        console.err(String(format: "teacher-scores: %d/%d triples, %.0f/s, about %.0f min left\n", done, total, rate,
                                           Double(total - done) / max(rate, 1e-9) / 60))
                    })
                console.out("wrote \(rows) teacher scores to \(out.path)\n")
            } catch { throw CLIError("\(name): \(error)", kind: .failure) }
            return
        }
        let ctx: TripleContext
        do { ctx = try loadTripleContext(args, command: name) } catch let e as CLIError { throw e } catch {
            throw CLIError("\(name): \(error)", kind: .failure)
        }
        let batchSize = try args.int(defaulted: "batch-size")
        let all = ctx.data.triples.triples
        if let shard {
            let rows = shard.range(items: all.count, batchSize: batchSize)
            var scores = try scoreTriples(teacher, triples: Array(all[rows]), texts: ctx.data.texts, batchSize: batchSize)
            if let k = scale { scores = scores.map { $0.scaled(by: k) } }
            let teacherID = teacherIdentity(args.string("teacher") ?? args.string("sentence-transformer")!)
            let record = ShardRecord(shard: shard.index, of: shard.count, first: rows.lowerBound, rows: rows.count,
                                     total: all.count,
                                     fingerprint: TeacherScoreShards.fingerprint(triples: all, teacher: teacherID, batchSize: batchSize,
                                                                                 transform: scale.map { "scale \($0)" } ?? ""))
            try TeacherScoreShards.write(scores, record: record, to: out)
            console.out("wrote shard \(shard.index)/\(shard.count): rows \(rows.lowerBound)..<\(rows.upperBound) of \(all.count) to \(out.path)\n")
            return
        }
        var scores = try scoreTriples(teacher, triples: all, texts: ctx.data.texts, batchSize: batchSize)
        if args.flag("standardise") { scores = TeacherScore.standardised(scores) }
        if let k = scale { scores = scores.map { $0.scaled(by: k) } }
        try TeacherScoreFile.write(scores, to: out)
        let correct = scores.filter { $0.margin > 0 }.count
        console.out("wrote \(scores.count) teacher scores to \(out.path); p+ above p- in \(correct) (\(String(format: "%.1f", 100 * Double(correct) / Double(max(1, scores.count))))%)\n")
    }
}

/// A teacher folder's identity for shard fingerprints, the same on every machine wherever the folder lies: its
/// `ranker.json` or `config.json` and the name and size of each file in it.
func teacherIdentity(_ folder: String) -> String {
    let fm = FileManager.default
    var parts: [String] = []
    for name in ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).sorted() {
        let path = (folder as NSString).appendingPathComponent(name)
        let size = (try? fm.attributesOfItem(atPath: path)[.size] as? Int) ?? -1
        parts.append("\(name):\(size)")
        if name == "ranker.json" || name == "config.json", let text = try? String(contentsOfFile: path, encoding: .utf8) {
            parts.append(text)
        }
    }
    return stableHash(Array(parts.joined(separator: "\n").utf8))
}
