// `reproduce paper-a --scale full` end to end on the miniature fixtures (Tests/Fixtures/FullScale: the published
// formats, a few hundred lines; make_fixtures.py) with a tiny random BERT: it trains all six students under the three
// regimes from the score files, re-ranks both top-1000 files and writes Table C; the same work split into
// --train-only, two --shard runs and a merging run gives the same runs byte for byte and the same table.
import Foundation
import Testing
@testable import CLI
import Experiments
import Student
import Tensors
import Report
import PropertyTesting

@Suite(.serialized) struct FullScaleCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/FullScale")

    /// A tiny random BERT on the fixtures' vocabulary (BERT's special ids), as a Hugging Face folder.
    static func tinyModel(in dir: URL) throws -> URL {
        let model = dir.appendingPathComponent("tiny-bert")
        let vocab = try String(contentsOf: fixtures.appendingPathComponent("model/vocab.txt"), encoding: .utf8)
        let c = BertConfig(vocabSize: vocab.split(separator: "\n").count, hiddenSize: 16, numHiddenLayers: 4,
                           numAttentionHeads: 2, intermediateSize: 32, maxPositionEmbeddings: 512)
        try TransformerEncoder(config: c, pooler: false, seed: 11).save(to: model)
        try vocab.write(to: model.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        return model
    }

    /// A tiny random DistilBERT folder: a BERT's tensors renamed as DistilBERT's (Hub form, `distilbert.` prefix),
    /// without token-type embeddings or pooler, and a DistilBERT config.json.
    static func tinyDistilBERT(in dir: URL) throws -> URL {
        let bert = dir.appendingPathComponent("tiny-bert-for-distil")
        let vocab = try String(contentsOf: fixtures.appendingPathComponent("model/vocab.txt"), encoding: .utf8)
        let n = vocab.split(separator: "\n").count
        let c = BertConfig(vocabSize: n, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 2, intermediateSize: 32,
                           maxPositionEmbeddings: 512)
        let encoder = TransformerEncoder(config: c, pooler: false, seed: 23)
        let names = [("attention.self.query", "attention.q_lin"), ("attention.self.key", "attention.k_lin"),
                     ("attention.self.value", "attention.v_lin"), ("attention.output.dense", "attention.out_lin"),
                     ("attention.output.LayerNorm", "sa_layer_norm"), ("intermediate.dense", "ffn.lin1"),
                     ("output.dense", "ffn.lin2"), ("output.LayerNorm", "output_layer_norm")]
        var tensors: [String: Tensor] = [:]
        for p in encoder.parameters where !p.name.hasPrefix("embeddings.token_type") {
            var name = p.name.replacingOccurrences(of: "encoder.layer.", with: "transformer.layer.")
            for (from, to) in names where name.contains(".\(from).") { name = name.replacingOccurrences(of: ".\(from).", with: ".\(to).") }
            tensors["distilbert." + name] = p.tensor
        }
        let model = dir.appendingPathComponent("tiny-distilbert")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        try SafeTensors.write(tensors, to: model.appendingPathComponent("model.safetensors"))
        try Data(#"{"model_type": "distilbert", "vocab_size": \#(n), "dim": 16, "n_layers": 2, "n_heads": 2, "hidden_dim": 32, "max_position_embeddings": 512, "activation": "gelu", "sinusoidal_pos_embds": false}"#.utf8)
            .write(to: model.appendingPathComponent("config.json"))
        try vocab.write(to: model.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        return model
    }

    func run(_ args: [String]) -> (code: Int32, err: String) {
        let (console, _, err) = Console.capturing()
        let code = Commands.main(["paper-a", "--scale", "full"] + args, console: console)
        return (code, err())
    }

    /// The merged runs in a cache, by student folder and test set.
    func runs(_ cache: URL) throws -> [String: Data] {
        let students = cache.appendingPathComponent("paper-a-full/students")
        var out: [String: Data] = [:]
        for s in try FileManager.default.contentsOfDirectory(atPath: students.path) {
            for t in ["dl19", "dev"] {
                let f = students.appendingPathComponent("\(s)/runs/\(t).trec")
                out["\(s)/\(t)"] = try Data(contentsOf: f)
            }
            // A BERT_DOT student's dense-retrieval run over the whole collection (Table E).
            let dense = students.appendingPathComponent("\(s)/dense/run.trec")
            if FileManager.default.fileExists(atPath: dense.path) { out["\(s)/dense"] = try Data(contentsOf: dense) }
        }
        return out
    }

    func tableRows(_ out: URL, _ table: String = "table-c") throws -> [[String]] {
        try parseCSV(String(contentsOf: out.appendingPathComponent("\(table).csv"), encoding: .utf8))
    }

    @Test func runsEndToEndOnTheMiniatureAndShardsMergeToTheSameResult() throws {
        let dir = try scratchFolder("full-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try Self.tinyModel(in: dir)
        let data = Self.fixtures.appendingPathComponent("data").path
        let common = ["--data", data, "--model", model.path, "--steps", "4", "--batch-size", "4", "--checkpoint-every", "2",
                      "--threads", "1"]

        // One machine, one command.
        let (a, outA) = (dir.appendingPathComponent("cache-a"), dir.appendingPathComponent("out-a"))
        let r = run(common + ["--cache", a.path, "--out", outA.path])
        #expect(r.code == 0, "\(r.err)")
        let rows = try tableRows(outA)
        let students = ["DistilBERT_CAT", "PreTT", "ColBERT", "BERT-Base_DOT", "DistilBERT_DOT", "TK"]
        #expect(rows.map(\.[0]).filter { !$0.isEmpty }.dropFirst() == ArraySlice(students), "\(rows)")
        // Every student under each regime: a row each, three metric cells in [0, 1].
        let body = rows.dropFirst()
        #expect(body.map(\.[2]) == Array(repeating: ["–", "T1", "T2"], count: 6).flatMap { $0 })
        for cells in body {
            for c in cells[3...5] { #expect(Double(c).map { (0...1).contains($0) } ?? false, "cell '\(c)' in \(cells)") }
        }
        #expect(r.err.contains("training TK"), "progress names what it trains")
        // Table E: the two BERT_DOT students under each regime retrieve from the whole collection; six cells each.
        let dense = try tableRows(outA, "table-e")
        #expect(dense.dropFirst().map(\.[0]).filter { !$0.isEmpty } == ["BERT-Base_DOT", "DistilBERT_DOT"], "\(dense)")
        #expect(dense.count == 7)
        for cells in dense.dropFirst() {
            for c in cells[3...8] { #expect(Double(c).map { (0...1).contains($0) } ?? false, "cell '\(c)' in \(cells)") }
        }
        // Table D: DistilBERT_CAT and DistilBERT_DOT under RankNet (no KD) and the four distillation losses from T2.
        let losses = try tableRows(outA, "table-d")
        #expect(losses.count == 11 && losses.dropFirst().map(\.[1]) == Array(repeating: ["RankNet (no KD)", "margin-mse",
                "pointwise-mse", "weighted-ranknet", "mse-ranknet"], count: 2).flatMap { $0 }, "\(losses)")
        for cells in losses.dropFirst() {
            for c in cells[2...4] { #expect(Double(c).map { (0...1).contains($0) } ?? false, "cell '\(c)' in \(cells)") }
        }
        // Its RankNet and Margin-MSE rows are Table C's runs.
        #expect(losses[1][2...4] == rows[1][3...5] && losses[2][2...4] == rows[3][3...5], "\(losses[1...2]) vs \(rows[1...3])")
        // Table B: each published score file read through, its statistics as computed here from its rows.
        let teachers = try tableRows(outA, "table-b")
        #expect(teachers.dropFirst().map(\.[0]) == ["BERT-Base_CAT (T1)", "T2 mean ensemble"], "\(teachers)")
        for (row, file) in zip(teachers.dropFirst(), ["bertbase_cat_msmarcopassage_train_scores_ids.tsv",
                                                      "bert_cat_ensemble_msmarcopassage_train_scores_ids.tsv"]) {
            let lines = try String(contentsOf: Self.fixtures.appendingPathComponent("data/margin-mse/\(file)"), encoding: .utf8)
                .split(separator: "\n").map { $0.split(separator: "\t").prefix(2).map { Double($0)! } }
            let margins = lines.map { $0[0] - $0[1] }
            let mean = margins.reduce(0, +) / Double(margins.count)
            let sd = (margins.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(margins.count)).squareRoot()
            #expect(row[2] == "\(lines.count)" && row[1] == file)
            #expect(abs(Double(row[5])! - mean) <= 0.005 && abs(Double(row[6])! - sd) <= 0.005, "\(row) vs \(mean), \(sd)")
            #expect(abs(Double(row[7])! - Double(margins.filter { $0 > 0 }.count) / Double(margins.count)) <= 0.00005, "\(row)")
        }
        // Figure B: one row per architecture (BERT_DOT once), finite averages from the no-KD runs' logs.
        let ranges = try tableRows(outA, "figure-b")
        #expect(ranges.dropFirst().map(\.[0]) == ["BERT_CAT", "PreTT", "ColBERT", "BERT_DOT", "TK"], "\(ranges)")
        for cells in ranges.dropFirst() { for c in cells[2...4] { #expect(Double(c)?.isFinite ?? false, "\(cells)") } }
        // Figure C: every student under every regime at one positive latency, with Table C's effectiveness.
        let efficiency = try tableRows(outA, "figure-c")
        #expect(efficiency.count == 19)
        for (e, c) in zip(efficiency.dropFirst(), rows.dropFirst()) {
            #expect(e[3] == c[2] && e[4] == c[3] && e[5] == c[5], "\(e) vs \(c)")
        }
        for student in stride(from: 1, to: 19, by: 3) {
            #expect((Double(efficiency[student][2]) ?? 0) > 0 && efficiency[student + 1][2] == efficiency[student][2], "\(efficiency)")
        }
        for figure in ["figure-b.svg", "figure-c.svg"] {
            #expect(try String(contentsOf: outA.appendingPathComponent(figure), encoding: .utf8).contains("</svg>"), "\(figure)")
        }
        let whole = try runs(a)
        #expect(whole.count == 54)
        // A dense run ranks every passage (240 < 1000) for every query of both test sets (10 dev, 8 DL19).
        let denseRun = whole.first { $0.key.hasSuffix("/dense") }!.value
        #expect(String(decoding: denseRun, as: UTF8.self).split(separator: "\n").count == 18 * 240)
        // The dev run ranks every candidate of every dev query (10 queries × 20).
        #expect(whole.values.allSatisfy { !$0.isEmpty })

        // Split: train only, two shards (any order), then a run that merges.
        let (b, outB) = (dir.appendingPathComponent("cache-b"), dir.appendingPathComponent("out-b"))
        #expect(run(common + ["--cache", b.path, "--out", outB.path, "--train-only"]).code == 0)
        #expect(!FileManager.default.fileExists(atPath: outB.path), "--train-only writes no table")
        for i in [1, 0] {
            let s = run(common + ["--cache", b.path, "--out", outB.path, "--shard", "\(i)/2"])
            #expect(s.code == 0, "\(s.err)")
        }
        let m = run(common + ["--cache", b.path, "--out", outB.path])
        #expect(m.code == 0, "\(m.err)")
        #expect(!m.err.contains("re-ranking"), "the merging run re-ranks nothing: \(m.err)")
        #expect(try runs(b) == whole)
        #expect(try tableRows(outB) == rows)
        #expect(try tableRows(outB, "table-e") == dense)
        #expect(try tableRows(outB, "table-d") == losses)
        #expect(try tableRows(outB, "table-b") == teachers)
        #expect(try tableRows(outB, "figure-b") == ranges)
        // Latency is timed again in the other cache; everything else is the same.
        #expect(try tableRows(outB, "figure-c").map { $0.enumerated().filter { $0.offset != 2 }.map(\.element) }
                == efficiency.map { $0.enumerated().filter { $0.offset != 2 }.map(\.element) })
        // The shards did split the collection: each encoded part of it.
        let denseFolders = try FileManager.default.contentsOfDirectory(atPath: b.appendingPathComponent("paper-a-full/students").path)
            .map { b.appendingPathComponent("paper-a-full/students/\($0)/dense") }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        #expect(denseFolders.count == 6)   // Table C's BERT_DOT students only, not Table D's
        for f in denseFolders {
            let parts = try (0..<2).map { i in
                try FileManager.default.attributesOfItem(atPath: f.appendingPathComponent("collection.shard-\(i)-of-2.f32").path)[.size] as! Int
            }
            #expect(parts.allSatisfy { $0 > 0 }, "shard sizes \(parts) in \(f.path)")
        }
    }

    @Test func theDistilBERTStudentsStartFromADistilBERTCheckpoint() throws {
        let dir = try scratchFolder("full-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (model, distil) = (try Self.tinyModel(in: dir), try Self.tinyDistilBERT(in: dir))
        let out = dir.appendingPathComponent("out")
        let r = run(["--data", Self.fixtures.appendingPathComponent("data").path, "--model", model.path,
                     "--distilbert", distil.path, "--steps", "2", "--batch-size", "4", "--threads", "1",
                     "--students", "DistilBERT_DOT,BERT-Base_DOT", "--cache", dir.appendingPathComponent("cache").path,
                     "--out", out.path])
        #expect(r.code == 0, "\(r.err)")
        let rows = try tableRows(out)
        #expect(rows.map(\.[1]).filter { !$0.isEmpty }.dropFirst() == ["BERT_DOT, 4 layers", "BERT_DOT on DistilBERT"], "\(rows)")
        let md = try String(contentsOf: out.appendingPathComponent("table-c.md"), encoding: .utf8)
        #expect(md.contains("the other students from tiny-distilbert"))
        // A DistilBERT folder without weights is named before any work.
        try FileManager.default.removeItem(at: distil.appendingPathComponent("model.safetensors"))
        let bad = run(["--data", Self.fixtures.appendingPathComponent("data").path, "--model", model.path, "--distilbert", distil.path])
        #expect(bad.code == 1 && bad.err.contains("--distilbert \(distil.path): no model.safetensors"), "\(bad.err)")
    }

    /// Hostile inputs on the full-scale path: the score file, a top-1000 file and the collection mutated at random
    /// (`HostileFileTests.mutate`): exit 0 or 1 with the file named, never a crash, the data left as it was.
    @Test func mutatedInputsGiveAClearErrorOrARun() throws {
        let dir = try scratchFolder("full-hostile")
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try Self.tinyModel(in: dir)
        let data = dir.appendingPathComponent("data")
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("data"), to: data)
        var k = 0   // each run its own cache, so that every run reads the inputs
        for name in ["margin-mse/bertbase_cat_msmarcopassage_train_scores_ids.tsv", "msmarco-passage/top1000.dev",
                     "msmarco-passage/collection.tsv"] {
            let file = data.appendingPathComponent(name)
            // The score file cut to the 8 rows that 2 steps of 4 read, so that every mutation lands where it is read.
            let whole = try Data(contentsOf: file)
            let valid = name.hasPrefix("margin-mse")
                ? Data(String(decoding: whole, as: UTF8.self).split(separator: "\n").prefix(8).joined(separator: "\n").utf8 + [0x0A])
                : whole
            try valid.write(to: file)
            try propertyCheck(HostileFileTests.mutation, cases: 8) { m in
                k += 1
                let bytes = HostileFileTests.mutate(Array(valid), m)
                try Data(bytes).write(to: file)
                let r = run(["--data", data.path, "--model", model.path, "--steps", "2", "--batch-size", "4", "--threads", "1",
                             "--students", "TK", "--cache", dir.appendingPathComponent("cache-\(k)").path,
                             "--out", dir.appendingPathComponent("out-\(k)").path])
                try require(r.code == 0 || r.code == 1, "\(name): exit \(r.code): \(r.err)")
                if r.code == 1 { try require(r.err.contains(file.path), "\(name): the error does not name the file: \(r.err)") }
                try require(Array(try Data(contentsOf: file)) == bytes, "\(name) was changed")
            }
            try whole.write(to: file)
        }
    }

    /// A teacher of one's own scores the fixtures' id triples (qidpidtriples) from the command line, in two shards that
    /// merge to the unsharded file.
    @Test func teacherScoresTheIDTriplesInShards() throws {
        let dir = try scratchFolder("full-idt")
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try Self.tinyModel(in: dir)
        let teacher = dir.appendingPathComponent("teacher")
        try RankerRegistry.make("bert-cat", teacher: try TransformerEncoder.load(model),
                                recipe: StudentRecipe(keepLayers: [0, 1])).save(to: teacher)
        let data = Self.fixtures.appendingPathComponent("data/msmarco-passage")
        func run(_ extra: [String]) -> (code: Int32, out: String, err: String) {
            let (console, out, err) = Console.capturing()
            let code = Commands.main(["teacher-scores", "--teacher", teacher.path, "--model", model.path, "--batch-size", "16",
                                      "--id-triples", data.appendingPathComponent("qidpidtriples.train.full.2.tsv").path,
                                      "--queries", data.appendingPathComponent("queries.train.tsv").path,
                                      "--collection", data.appendingPathComponent("collection.tsv").path] + extra, console: console)
            return (code, out(), err())
        }
        let whole = dir.appendingPathComponent("all.tsv")
        let r = run(["--out", whole.path])
        #expect(r.code == 0 && r.out.contains("wrote 240 teacher scores"), "\(r.err)")
        for i in 0..<2 { #expect(run(["--shard", "\(i)/2", "--out", dir.appendingPathComponent("p\(i).tsv").path]).code == 0) }
        let (console, _, err) = Console.capturing()
        #expect(Commands.main(["teacher-scores", "--merge", dir.appendingPathComponent("p1.tsv").path,
                               "--merge", dir.appendingPathComponent("p0.tsv").path,
                               "--out", dir.appendingPathComponent("m.tsv").path], console: console) == 0, "\(err())")
        #expect(try Data(contentsOf: dir.appendingPathComponent("m.tsv")) == Data(contentsOf: whole))
        let bad = run(["--standardise", "--out", dir.appendingPathComponent("x.tsv").path])
        #expect(bad.code == 2 && bad.err.contains("--standardise does not apply to --id-triples"), "\(bad.err)")
    }

    @Test func aShardBeforeTrainingAndABadShardAreClearErrors() throws {
        let dir = try scratchFolder("full-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try Self.tinyModel(in: dir)
        let common = ["--data", Self.fixtures.appendingPathComponent("data").path, "--model", model.path,
                      "--cache", dir.appendingPathComponent("cache").path, "--out", dir.appendingPathComponent("out").path]
        let early = run(common + ["--shard", "0/2", "--students", "TK"])
        #expect(early.code == 1 && early.err.contains("TK (–) is not trained yet: run without --shard first"), "\(early.err)")
        let bad = run(common + ["--shard", "2/2"])
        #expect(bad.code == 2 && bad.err.contains("--shard expects I/N with 0 ≤ I < N"), "\(bad.err)")
        let name = run(common + ["--students", "BERT_CAT"])
        #expect(name.code == 1 && name.err.contains("'BERT_CAT' is not one of the paper's students"), "\(name.err)")
        let (console, _, err) = Console.capturing()
        #expect(Commands.main(["paper-a", "--scale", "smoke", "--shard", "0/2"], console: console) == 2)
        #expect(err().contains("--shard applies to --scale full only"))
    }
}
