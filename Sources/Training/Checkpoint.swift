// Checkpoints of a training run: everything needed to resume a killed run to the *same* result as an uninterrupted
// one — the parameters, the optimiser's moments and step, the number of steps done (which fixes the data position,
// the learning rate and the dropout stream), the early-stopping state and the logs so far.
//
// Layout of a checkpoint directory `D` (`TrainingLoop.checkpointDirectory`):
//   D/latest/state.json            TrainingState (step, best score, patience counter, logs, run fingerprint)
//   D/latest/tensors.safetensors   parameters by name + "adam.m.<name>" / "adam.v.<name>"
//   D/best/state.json              the state when the best validation score was reached
//   D/best/tensors.safetensors     the parameters at that point (no optimiser state)
// Each is written as D/<name>.tmp, then swapped in by rename (old → <name>.old, tmp → <name>, old removed), so a
// kill at any moment leaves either the previous or the new checkpoint readable, never a half-written one.

import Foundation
import Tensors

/// One logged training step (matchmaker logs the same every 100 batches; we log every step).
public struct StepRecord: Codable, Sendable, Equatable {
    public var step: Int
    public var learningRate: Float
    public var loss: Double
    /// Further per-step numbers, e.g. "pos_avg" / "neg_avg" (the score-range figure).
    public var metrics: [String: Double]
}

/// One validation.
public struct ValidationRecord: Codable, Sendable, Equatable {
    public var step: Int
    public var score: Double
}

/// The resumable, serialisable part of a run (parameters and moments live beside it as tensors).
public struct TrainingState: Codable, Sendable, Equatable {
    /// Steps completed; the next step to run has this index.
    public var step = 0
    public var bestScore: Double?
    public var bestStep: Int?
    /// Validations since the best one (for patience).
    public var validationsSinceBest = 0
    public var stoppedEarly = false
    public var steps: [StepRecord] = []
    public var validations: [ValidationRecord] = []
    /// Identifies the run (configuration and parameter names): a checkpoint of another run is not resumed.
    public var fingerprint = ""
    public init() {}
}

extension TrainingState {
    /// The state of checkpoint `name` (or its `.old` copy) in the checkpoint directory `dir` — its step logs and
    /// validations — without reading its tensors; nil if there is none.
    public static func read(checkpointDirectory dir: URL, name: String = "latest") throws -> TrainingState? {
        for candidate in [name, name + ".old"] {
            if let state = try Checkpoint.readState(dir.appendingPathComponent(candidate)) { return state }
        }
        return nil
    }
}

/// Why a checkpoint could not be written or read.
public struct CheckpointError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}

enum Checkpoint {
    static func write(state: TrainingState, tensors: [String: Tensor], to dir: URL, name: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        let final = dir.appendingPathComponent(name), tmp = dir.appendingPathComponent(name + ".tmp")
        let old = dir.appendingPathComponent(name + ".old")
        try? fm.removeItem(at: tmp)
        try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
        try SafeTensors.write(tensors, metadata: ["step": String(state.step)],
                              to: tmp.appendingPathComponent("tensors.safetensors"))
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        try enc.encode(state).write(to: tmp.appendingPathComponent("state.json"))
        try? fm.removeItem(at: old)
        if fm.fileExists(atPath: final.path) { try fm.moveItem(at: final, to: old) }
        try fm.moveItem(at: tmp, to: final)
        try? fm.removeItem(at: old)
    }

    /// Reads checkpoint `name` from `dir` (or its `.old` copy left by a kill between the two renames); nil if none.
    static func read(from dir: URL, name: String) throws -> (state: TrainingState, tensors: [String: Tensor])? {
        let fm = FileManager.default
        for candidate in [name, name + ".old"] {
            let d = dir.appendingPathComponent(candidate)
            guard let state = try readState(d) else { continue }
            let tensors = try SafeTensors.read(d.appendingPathComponent("tensors.safetensors"))
            return (state, tensors)
        }
        return nil
    }

    /// The training state in checkpoint folder `d`; nil if it has none.
    static func readState(_ d: URL) throws -> TrainingState? {
        let stateURL = d.appendingPathComponent("state.json")
        guard FileManager.default.fileExists(atPath: stateURL.path) else { return nil }
        do { return try JSONDecoder().decode(TrainingState.self, from: Data(contentsOf: stateURL)) } catch {
            throw CheckpointError("\(stateURL.path): not a training state: \(error)")
        }
    }

    /// Copies `tensors[name]` into each parameter, checking names and shapes.
    static func restore(_ parameters: [NamedParameter], from tensors: [String: Tensor], file: String) throws {
        for p in parameters {
            guard let t = tensors[p.name] else { throw CheckpointError("\(file): parameter \(p.name) missing") }
            guard t.shape == p.tensor.shape else {
                throw CheckpointError("\(file): parameter \(p.name) has shape \(t.shape), expected \(p.tensor.shape)")
            }
            p.tensor.pointer.update(from: t.pointer, count: t.count)
        }
    }
}

/// FNV-1a 64-bit hash as 16 hex digits: a stable key for configurations and cached files (not cryptographic).
public func stableHash(_ bytes: some Sequence<UInt8>) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    let s = String(h, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
}

/// The stable hash of a value's JSON encoding (keys sorted).
public func configurationHash<T: Encodable>(_ value: T) -> String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    return stableHash((try? enc.encode(value)) ?? Data())
}
