// Size and speed of a model (Docs/Paper-ExtremeCompression.md, Tables 1 and 3): parameters, fp32 size, int8 size (per-row
// scales, Int8Quantization), latency per text at batch 1 and a fixed token size (52 and 90: the text is padded to
// exactly that many positions, as Xayn's runtime pads), throughput at batch 32, peak memory and the energy proxy
// (CPU-seconds per 1,000 texts; RAPL joules where readable). Timing, memory and energy come from Eval.Measurement.
// Peak memory is per model, in a process that runs several: the weights (fp32) plus the most memory the model's work
// holds at once while it encodes at batch 32 (`peakMemoryMB`, counted by `WorkingMemory`). Leaves out: on-device
// (phone) measurements.

import Foundation
import Tensors
import Student
import Eval
import Vocab

public struct Measurements: Codable, Sendable, Equatable {
    public var parameters: Int
    public var sizeMBFP32: Double
    public var sizeMBInt8: Double
    /// Median seconds per text at batch 1, padded to 52 and to 90 positions (nil when the model has fewer positions).
    public var latency52: Double?
    public var latency90: Double?
    /// Texts per second at batch 32 and the model's own token size.
    public var throughput: Double
    /// Peak memory to run the model (MB): its fp32 weights plus the working memory of encoding at batch 32
    /// (`peakMemoryMB`); nil where it was not measured. The name predates the measure, which was the whole process's
    /// high-water mark; cached results keep the key.
    public var peakResidentMB: Double?
    /// CPU-seconds per 1,000 texts (batch 32, own token size).
    public var cpuSecondsPer1000: Double
    public var joulesPer1000: Double?
}

/// Counting without running anything: parameters (all, the encoder has no pooler in a student), sizes.
public func modelSize(_ model: SentenceEncoder) -> (parameters: Int, fp32MB: Double, int8MB: Double) {
    let params = model.parameters
    let n = params.reduce(0) { $0 + $1.tensor.count }
    return (n, Double(4 * n) / 1e6, Int8Quantization.summary(params).megabytes)
}

/// How a table row's costs are measured; part of the cache keys of measured results, so that a change re-measures
/// them. 1: 20 passes per token size. 2: at least 20 passes and `latencySeconds` of them (20 passes of a 0.2 ms
/// student span 4 ms). Even so two students of one shape timed minutes apart can disagree by half on a shared host;
/// timing them in turn (`interleavedCosts`, which Paper B's tables use) makes them agree. 3: a row is not timed
/// alone at all (`untimedMeasurements`) — its timings are the interleaved panel's, which replaced them anyway.
public let measurementProtocol = 3
/// The least time spent on timed passes per latency (protocol 2).
public let latencySeconds = 0.5

/// Measures `model` with `tokenizer` on `texts` (used for throughput and energy; the latency input is the first
/// text). `tokenSize` is the model's own input length. Each latency is the median of at least `repeats` passes and
/// of as many as fit in `minSeconds`.
public func measure(_ model: SentenceEncoder, tokenizer: BertTokenizer, tokenSize: Int, texts: [String],
                    repeats: Int = 20, minSeconds: Double = latencySeconds) -> Measurements {
    precondition(!texts.isEmpty, "measure needs at least one text")
    let size = modelSize(model)
    func latency(_ t: Int) -> Double? {
        guard let input = latencyInput(model, tokenizer: tokenizer, text: texts[0], tokens: t) else { return nil }
        return withNoGrad {
            Measurement.latency(warmup: 2, repeats: repeats, minSeconds: minSeconds) { _ = model(input) }.median
        }
    }
    let l52 = latency(52), l90 = latency(90)
    let ids = texts.map { tokenizer.encode($0, maxLength: tokenSize).ids.map(Int.init) }
    var wall = 0.0
    let energy = Measurement.energy { wall = withNoGrad { Measurement.latency(warmup: 0, repeats: 1) {
        _ = model.embed(ids: ids, batchSize: 32) }.median } }
    let per1000 = 1000 / Double(texts.count)
    let memory = peakMemoryMB(model, ids: ids, inputs: [latencyInput(model, tokenizer: tokenizer, text: texts[0], tokens: 52),
                                                         latencyInput(model, tokenizer: tokenizer, text: texts[0], tokens: 90)])
    return Measurements(parameters: size.parameters, sizeMBFP32: size.fp32MB, sizeMBInt8: size.int8MB,
                        latency52: l52, latency90: l90, throughput: Double(texts.count) / max(wall, 1e-9),
                        peakResidentMB: memory,
                        cpuSecondsPer1000: energy.cpuSeconds * per1000, joulesPer1000: energy.joules.map { $0 * per1000 })
}

/// Sizes, without running the model: the row of a table whose costs come from `interleavedCosts`
/// (`withTimings(of:)` fills latency, throughput, CPU-seconds, joules and peak memory; until then they are nil or 0).
public func untimedMeasurements(_ model: SentenceEncoder) -> Measurements {
    let size = modelSize(model)
    return Measurements(parameters: size.parameters, sizeMBFP32: size.fp32MB, sizeMBInt8: size.int8MB,
                        latency52: nil, latency90: nil, throughput: 0, peakResidentMB: nil,
                        cpuSecondsPer1000: 0, joulesPer1000: nil)
}

/// Peak memory to run `model` (MB): its weights (4 bytes a parameter) plus the most memory its work holds at once
/// while it runs each of `inputs` (batch-1 latency inputs) and encodes `ids` at batch 32 — activations, packed weight
/// copies, GEMM scratch, as `WorkingMemory` counts them: what the model needs, the same on every run, whatever the
/// process ran before and whatever its pools keep idle.
public func peakMemoryMB(_ model: SentenceEncoder, ids: [[Int]], inputs: [EncoderInput?]) -> Double {
    let working = withNoGrad {
        WorkingMemory.peakGrowth {
            for input in inputs { if let input { _ = model(input) } }
            _ = model.embed(ids: ids, batchSize: 32)
        }
    }
    return Double(4 * modelSize(model).parameters + working) / 1e6
}

/// The batch-1 latency input: `text` encoded and padded to exactly `tokens` positions ([1, tokens]); nil when the
/// model has fewer positions.
public func latencyInput(_ model: SentenceEncoder, tokenizer: BertTokenizer, text: String, tokens: Int) -> EncoderInput? {
    guard tokens <= model.encoder.config.maxPositionEmbeddings else { return nil }
    let ids = tokenizer.encode(text, maxLength: tokens).ids.map(Int.init)
    return EncoderInput(sequences: [ids], padId: Int(tokenizer.padID), minLength: tokens)
}

/// Costs of several models measured **interleaved** (`interleavedCosts`): per model, batch-1 latency at each token
/// size, and throughput / CPU-seconds / joules for `texts` at batch 32 and the models' common token size.
public struct InterleavedCosts: Codable, Sendable, Equatable {
    public var latencies: [Double?]          // seconds, per token size (nil where the model is too short)
    public var throughput: Double            // texts per second
    public var cpuSecondsPer1000: Double
    public var joulesPer1000: Double?
    /// `peakMemoryMB` at the panel's token size (nil where not measured).
    public var peakMemoryMB: Double?
}

extension Measurements {
    /// These measurements with their costs (latency at 52 and 90 tokens, throughput, CPU-seconds, joules, peak
    /// memory) replaced by `costs`, measured in turn with `latencyTokenSizes: [52, 90]` as `measure` times them.
    public func withTimings(of costs: InterleavedCosts) -> Measurements {
        var m = self
        m.latency52 = costs.latencies[0]; m.latency90 = costs.latencies[1]; m.throughput = costs.throughput
        m.cpuSecondsPer1000 = costs.cpuSecondsPer1000; m.joulesPer1000 = costs.joulesPer1000
        m.peakResidentMB = costs.peakMemoryMB
        return m
    }
}

/// Times several models **in turn**: `rounds` rounds, each running every model (in alternating order) — at every
/// latency token size for at least `secondsPerTurn` of batch-1 passes, and (in the first `throughputRounds` rounds)
/// once over `texts` at batch 32 and `tokenSize` — and reports per model the median over rounds. Models measured one
/// after another, minutes apart, each meet a different state of a shared host (two students of one shape measured
/// 0.20 and 0.32 ms, 8,756 and 12,071 texts/s that way); in rounds they meet the same states, so the ratios between
/// them — "× faster" — hold. Before the rounds, each model's peak memory (`peakMemoryMB`).
public func interleavedCosts(_ models: [(model: SentenceEncoder, tokenizer: BertTokenizer)], texts: [String],
                             tokenSize: Int, latencyTokenSizes: [Int], rounds: Int, throughputRounds: Int,
                             secondsPerTurn: Double) -> [InterleavedCosts] {
    precondition(!texts.isEmpty, "interleavedCosts needs at least one text")
    let inputs = models.map { m in
        latencyTokenSizes.map { latencyInput(m.model, tokenizer: m.tokenizer, text: texts[0], tokens: $0) }
    }
    let ids = models.map { m in texts.map { m.tokenizer.encode($0, maxLength: tokenSize).ids.map(Int.init) } }
    let memory = models.indices.map { peakMemoryMB(models[$0].model, ids: ids[$0], inputs: inputs[$0]) }
    var latency = Array(repeating: Array(repeating: [Double](), count: latencyTokenSizes.count), count: models.count)
    var wall = Array(repeating: [Double](), count: models.count), cpu = wall
    var joules = Array(repeating: [Double?](), count: models.count)
    withNoGrad {
        for round in 0..<max(1, rounds) {
            let order = round % 2 == 0 ? Array(models.indices) : Array(models.indices.reversed())
            for i in order {
                let model = models[i].model
                for (j, input) in inputs[i].enumerated() {
                    guard let input else { continue }
                    latency[i][j].append(Measurement.latency(warmup: 1, repeats: 3, minSeconds: secondsPerTurn) {
                        _ = model(input)
                    }.median)
                }
                if round < max(1, throughputRounds) {
                    let e = Measurement.energy { _ = model.embed(ids: ids[i], batchSize: 32) }
                    wall[i].append(e.wallSeconds); cpu[i].append(e.cpuSeconds); joules[i].append(e.joules)
                }
            }
        }
    }
    func median(_ xs: [Double]) -> Double { Measurement.summarize(xs).median }
    let per1000 = 1000 / Double(texts.count)
    return models.indices.map { i in
        let j = joules[i].compactMap { $0 }
        return InterleavedCosts(latencies: latency[i].map { $0.isEmpty ? nil : median($0) },
                                throughput: Double(texts.count) / max(median(wall[i]), 1e-9),
                                cpuSecondsPer1000: median(cpu[i]) * per1000,
                                joulesPer1000: j.count == joules[i].count && !j.isEmpty ? median(j) * per1000 : nil,
                                peakMemoryMB: memory[i])
    }
}

/// `measure` for a distilled student at its own token size.
public func measure(_ student: DistilledStudent, texts: [String], repeats: Int = 20,
                    minSeconds: Double = latencySeconds) -> Measurements {
    measure(student.model, tokenizer: student.tokenizer, tokenSize: student.tokenSize, texts: texts, repeats: repeats,
            minSeconds: minSeconds)
}
