// Saving, loading and building rankers by architecture name. A saved ranker is a folder:
//   ranker.json            {"architecture": "colbert", "limits": …, "specials": …, "options": {…}}
//   encoder/               the BERT encoder in Hugging Face layout (config.json + model.safetensors;
//                          `transformers.BertModel.from_pretrained("…/encoder")` loads it, reduced shape included)
//   heads.safetensors      the architecture's own layers (scoring head, ColBERT compressor)
// TK has no BERT encoder and saves everything in `tk.safetensors`.
// The registry is the one place an architecture is listed; the experiment grid iterates over it.

import Foundation
import Tensors

/// What `ranker.json` holds.
public struct RankerManifest: Codable, Sendable, Equatable {
    public var architecture: String
    public var limits: InputLimits
    public var specials: SpecialTokens
    public var options: [String: String]
}

func writeRankerManifest(architecture: String, limits: InputLimits, specials: SpecialTokens,
                         options: [String: String], to folder: URL) throws {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys]
    let m = RankerManifest(architecture: architecture, limits: limits, specials: specials, options: options)
    try enc.encode(m).write(to: folder.appendingPathComponent("ranker.json"), options: .atomic)
}

/// Saves `r` in the registry's folder layout: each of `encoders` as a Hugging Face folder under its name, the `heads`
/// (named linear layers) in `heads.safetensors` as `NAME.weight` / `NAME.bias`, and `ranker.json` with the
/// architecture, limits, special tokens and `options` (which the architecture's `load` reads back).
public func saveRanker<R: Ranker>(_ r: R, encoders: [String: TransformerEncoder], heads: [String: Linear],
                                  options: [String: String], to folder: URL) throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, e) in encoders { try e.save(to: folder.appendingPathComponent(name)) }
    var tensors: [String: Tensor] = [:]
    for (name, h) in heads { for p in h.parameters { tensors["\(name).\(p.name)"] = p.tensor } }
    if !tensors.isEmpty {
        try SafeTensors.write(tensors, metadata: ["format": "pt"], to: folder.appendingPathComponent("heads.safetensors"))
    }
    try writeRankerManifest(architecture: R.architecture, limits: r.limits, specials: r.specials, options: options,
                            to: folder)
}

/// How to build a fresh student of an architecture from a teacher encoder.
public struct StudentRecipe: Sendable {
    /// Teacher layers to keep (layer reduction), e.g. [0, 3] for a 2-layer student.
    public var keepLayers: [Int]
    public var limits: InputLimits
    public var seed: UInt64
    public var options: [String: String]
    public init(keepLayers: [Int], limits: InputLimits = .init(), seed: UInt64 = 1, options: [String: String] = [:]) {
        self.keepLayers = keepLayers; self.limits = limits; self.seed = seed; self.options = options
    }
}

public struct RankerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}

public enum RankerRegistry {
    public struct Entry: Sendable {
        public let architecture: String
        /// The paper's name for it (Table A rows).
        public let paperName: String
        public let make: @Sendable (_ teacher: TransformerEncoder, _ recipe: StudentRecipe) throws -> any Ranker
        public let load: @Sendable (_ folder: URL, _ manifest: RankerManifest) throws -> any Ranker

        /// An architecture: its `architecture` name (what `ranker.json` and `--arch` say), the name tables show, how
        /// to cut a fresh one from a teacher encoder, and how to load a folder its `save(to:)` wrote.
        public init(architecture: String, paperName: String,
                    make: @escaping @Sendable (_ teacher: TransformerEncoder, _ recipe: StudentRecipe) throws -> any Ranker,
                    load: @escaping @Sendable (_ folder: URL, _ manifest: RankerManifest) throws -> any Ranker) {
            self.architecture = architecture; self.paperName = paperName; self.make = make; self.load = load
        }
    }

    /// Every architecture: the built-in ones, then those registered at start-up, in the order they were registered.
    public static var entries: [Entry] { builtIn + registered.entries }

    /// Adds an architecture defined outside the package, before the first command runs: `train --arch`, `score`,
    /// `teacher-scores` and `reproduce paper-a --student` then take it by name, and saved folders of it load.
    /// Registering a name that is already taken is an error (a built-in cannot be replaced).
    public static func register(_ entry: Entry) throws {
        try registered.add(entry, taken: builtIn.map(\.architecture))
    }

    private static let registered = Registered()

    /// The registered entries, behind a lock (registration may happen on any thread).
    private final class Registered: @unchecked Sendable {
        private var items: [Entry] = []
        private let lock = NSLock()
        var entries: [Entry] { lock.lock(); defer { lock.unlock() }; return items }
        func add(_ e: Entry, taken: [String]) throws {
            lock.lock(); defer { lock.unlock() }
            guard !e.architecture.isEmpty else { throw RankerError("an architecture needs a name") }
            guard !(taken + items.map(\.architecture)).contains(e.architecture) else {
                throw RankerError("architecture '\(e.architecture)' is already registered")
            }
            items.append(e)
        }
    }

    /// The architectures of the package (a new one from outside the package goes through `register`).
    public static let builtIn: [Entry] = [
        Entry(architecture: BertCat.architecture, paperName: "BERT_CAT",
              make: { t, r in BertCat(encoder: t.reduced(keepingLayers: r.keepLayers),
                                      usePooler: r.options["usePooler"] == "true", limits: r.limits, seed: r.seed) },
              load: { f, m in
                  let heads = try SafeTensorsFile(contentsOf: f.appendingPathComponent("heads.safetensors"))
                  let enc = try TransformerEncoder.load(f.appendingPathComponent("encoder"))
                  return BertCat(encoder: enc, head: Linear(weight: try heads.tensor("head.weight"),
                                                            bias: try heads.tensor("head.bias")),
                                 usePooler: m.options["usePooler"] == "true", limits: m.limits, specials: m.specials)
              }),
        Entry(architecture: BertDot.architecture, paperName: "BERT_DOT",
              make: { t, r in
                  let (pooling, cosine) = try BertDot.configuration(r.options)
                  return BertDot(encoder: t.reduced(keepingLayers: r.keepLayers), limits: r.limits, pooling: pooling, cosine: cosine)
              },
              load: { f, m in
                  let (pooling, cosine): (SentenceEncoder.Pooling, Bool)
                  do { (pooling, cosine) = try BertDot.configuration(m.options) } catch let e as RankerError {
                      throw RankerError("\(f.path)/ranker.json: \(e.description)")
                  }
                  return BertDot(encoder: try TransformerEncoder.load(f.appendingPathComponent("encoder")), limits: m.limits,
                                 specials: m.specials, pooling: pooling, cosine: cosine)
              }),
        Entry(architecture: ColBERT.architecture, paperName: "ColBERT",
              make: { t, r in ColBERT(encoder: t.reduced(keepingLayers: r.keepLayers),
                                      queryMaskTokens: Int(r.options["queryMaskTokens"] ?? "8") ?? 8,
                                      limits: r.limits, seed: r.seed) },
              load: { f, m in
                  let heads = try SafeTensorsFile(contentsOf: f.appendingPathComponent("heads.safetensors"))
                  return ColBERT(encoder: try TransformerEncoder.load(f.appendingPathComponent("encoder")),
                                 compressor: Linear(weight: try heads.tensor("compressor.weight"),
                                                    bias: try heads.tensor("compressor.bias")),
                                 queryMaskTokens: Int(m.options["queryMaskTokens"] ?? "8") ?? 8,
                                 limits: m.limits, specials: m.specials)
              }),
        Entry(architecture: PreTT.architecture, paperName: "PreTT",
              make: { t, r in
                  let e = t.reduced(keepingLayers: r.keepLayers)
                  let split = Int(r.options["splitLayer"] ?? "") ?? max(1, e.layers.count / 2)
                  return PreTT(encoder: e, splitLayer: split, limits: r.limits, seed: r.seed)
              },
              load: { f, m in
                  let heads = try SafeTensorsFile(contentsOf: f.appendingPathComponent("heads.safetensors"))
                  guard let split = Int(m.options["splitLayer"] ?? "") else {
                      throw RankerError("\(f.path)/ranker.json: PreTT needs options.splitLayer")
                  }
                  return PreTT(encoder: try TransformerEncoder.load(f.appendingPathComponent("encoder")),
                               splitLayer: split, head: Linear(weight: try heads.tensor("head.weight"), bias: nil),
                               limits: m.limits, specials: m.specials)
              }),
        Entry(architecture: TK.architecture, paperName: "TK",
              make: { t, r in TK(embeddingsFrom: t, layerCount: Int(r.options["layers"] ?? "2") ?? 2,
                                 limits: r.limits, seed: r.seed) },
              load: { f, m in
                  let st = try SafeTensorsFile(contentsOf: f.appendingPathComponent("tk.safetensors"))
                  guard let heads = Int(m.options["heads"] ?? ""), let n = Int(m.options["layers"] ?? "") else {
                      throw RankerError("\(f.path)/ranker.json: TK needs options.heads and options.layers")
                  }
                  func lin(_ p: String, bias: Bool = true) throws -> Linear {
                      Linear(weight: try st.tensor("\(p).weight"), bias: bias ? try st.tensor("\(p).bias") : nil)
                  }
                  func norm(_ p: String) throws -> LayerNorm {
                      LayerNorm(gamma: try st.tensor("\(p).weight"), beta: try st.tensor("\(p).bias"))
                  }
                  let layers = try (0..<n).map { i -> BertLayer in
                      let p = "contextualizer.layer.\(i)"
                      return BertLayer(query: try lin("\(p).attention.self.query"), key: try lin("\(p).attention.self.key"),
                                       value: try lin("\(p).attention.self.value"),
                                       attentionOutput: try lin("\(p).attention.output.dense"),
                                       attentionNorm: try norm("\(p).attention.output.LayerNorm"),
                                       intermediate: try lin("\(p).intermediate.dense"), output: try lin("\(p).output.dense"),
                                       outputNorm: try norm("\(p).output.LayerNorm"), activation: .relu)
                  }
                  return TK(wordEmbeddings: try st.tensor("word_embeddings.weight"), layers: layers, heads: heads,
                            mixer: try st.tensor("mixer"), kernelScaler: try st.tensor("kernel_alpha_scaler"),
                            dense: try lin("dense", bias: false), limits: m.limits, specials: m.specials)
              }),
    ]

    public static func entry(_ architecture: String) throws -> Entry {
        guard let e = entries.first(where: { $0.architecture == architecture }) else {
            throw RankerError("unknown architecture '\(architecture)'; known: \(entries.map(\.architecture).joined(separator: ", "))")
        }
        return e
    }

    /// A fresh student of `architecture` cut from `teacher`.
    public static func make(_ architecture: String, teacher: TransformerEncoder, recipe: StudentRecipe) throws -> any Ranker {
        try entry(architecture).make(teacher, recipe)
    }

    /// Loads a ranker saved with `save(to:)`.
    public static func load(_ folder: URL) throws -> any Ranker {
        let url = folder.appendingPathComponent("ranker.json")
        guard let data = try? Data(contentsOf: url) else { throw RankerError("\(url.path): missing (not a saved ranker folder)") }
        let manifest: RankerManifest
        do { manifest = try JSONDecoder().decode(RankerManifest.self, from: data) } catch {
            throw RankerError("\(url.path): not a valid ranker manifest: \(error)")
        }
        let ranker = try entry(manifest.architecture).load(folder, manifest)
        // Weights the architecture has no place for mean that ranker.json names the wrong architecture (a BERT_CAT
        // folder relabelled bert-dot would otherwise load without its head and score something else).
        let heads = folder.appendingPathComponent("heads.safetensors")
        if FileManager.default.fileExists(atPath: heads.path) {
            let known = Set(ranker.parameters.map(\.name))
            if let stray = try SafeTensorsFile(contentsOf: heads).names.first(where: { !known.contains($0) }) {
                throw RankerError("\(heads.path) holds '\(stray)', which a \(manifest.architecture) ranker does not have: "
                                  + "\(url.path) names another architecture than the one saved")
            }
        }
        return ranker
    }
}
