// Checkpoints of a training run: everything needed to resume a killed run to the *same* result as an uninterrupted
// one — the parameters, the optimiser's moments and step, the number of steps done (which fixes the data position,
// the learning rate and the dropout stream), the early-stopping state and the logs so far.
//
// Layout of a checkpoint directory `D` (`TrainingLoop.checkpointDirectory`):
//   D/latest/state.json            TrainingState (step, best score, patience counter, validations, run fingerprint)
//   D/latest/tensors.safetensors   parameters by name + "adam.m.<name>" / "adam.v.<name>"
//   D/best/state.json              the state when the best validation score was reached
//   D/best/tensors.safetensors     the parameters at that point (no optimiser state)
//   D/steps.jsonl                  the step log: one StepRecord per line, step 0 first, shared by both checkpoints
// Each checkpoint is written as D/<name>.tmp, then swapped in by rename (old → <name>.old, tmp → <name>, old
// removed), so a kill at any moment leaves either the previous or the new checkpoint readable, never a half-written
// one. The step log grows by appending: a checkpoint's state.json says how many of its records belong to it
// (`stepsInLog`), so a checkpoint costs the same at step 300,000 as at step 1 (records kept inside state.json would
// be rewritten whole at every checkpoint). Records appended after the checkpoint a run resumes from (a kill between
// the append and the rename) are cut off when it resumes.

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
    /// In a checkpoint's state.json: `steps` is left empty and its records are the first `stepsInLog` lines of the
    /// checkpoint directory's step log (`StepLog`). Nil where `steps` holds them (in memory, and in checkpoints
    /// written before the log existed, which still read).
    public var stepsInLog: Int?
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
        // The step records are in the log (`StepLog.append`, before this write), not here.
        var slim = state
        slim.stepsInLog = state.steps.count
        slim.steps = []
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        try enc.encode(slim).write(to: tmp.appendingPathComponent("state.json"))
        try? fm.removeItem(at: old)
        if fm.fileExists(atPath: final.path) { try fm.moveItem(at: final, to: old) }
        try fm.moveItem(at: tmp, to: final)
        try? fm.removeItem(at: old)
    }

    /// Reads checkpoint `name` from `dir` (or its `.old` copy left by a kill between the two renames); nil if none.
    static func read(from dir: URL, name: String) throws -> (state: TrainingState, tensors: [String: Tensor])? {
        for candidate in [name, name + ".old"] {
            let d = dir.appendingPathComponent(candidate)
            guard let state = try readState(d) else { continue }
            let tensors = try SafeTensors.read(d.appendingPathComponent("tensors.safetensors"))
            return (state, tensors)
        }
        return nil
    }

    /// The training state in checkpoint folder `d`, its step records read from the log beside it; nil if it has none.
    static func readState(_ d: URL) throws -> TrainingState? {
        let stateURL = d.appendingPathComponent("state.json")
        guard FileManager.default.fileExists(atPath: stateURL.path) else { return nil }
        var state: TrainingState
        do { state = try JSONDecoder().decode(TrainingState.self, from: Data(contentsOf: stateURL)) } catch {
            throw CheckpointError("\(stateURL.path): not a training state: \(error)")
        }
        if let count = state.stepsInLog {
            state.steps = try StepLog.read(StepLog.url(in: d.deletingLastPathComponent()), count: count,
                                           for: stateURL.path)
            state.stepsInLog = nil
        }
        return state
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

/// The step log of a checkpoint directory: `steps.jsonl`, one `StepRecord` as JSON per line, in step order. Only
/// ever appended to while a run goes on; a checkpoint names how many of its lines are its own.
enum StepLog {
    static func url(in dir: URL) -> URL { dir.appendingPathComponent("steps.jsonl") }

    /// Appends `records` (one line each) to the log at `url`, creating it if needed.
    static func append(_ records: ArraySlice<StepRecord>, to url: URL) throws {
        guard !records.isEmpty else { return }
        let data = try encoded(records)
        if !FileManager.default.fileExists(atPath: url.path) {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw CheckpointError("\(url.path): cannot create the step log")
            }
        }
        do {
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: data)
        } catch {
            throw CheckpointError("\(url.path): cannot append to the step log: \(error)")
        }
    }

    /// `records` as log lines, each ended by a newline.
    private static func encoded(_ records: some Sequence<StepRecord>) throws -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        var data = Data()
        for r in records { data.append(try enc.encode(r)); data.append(0x0A) }
        return data
    }

    /// The lines of the log (without their newlines); a missing log has none.
    private static func lines(_ url: URL) throws -> [Data] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CheckpointError("\(url.path): cannot read the step log: \(error.localizedDescription)")
        }
        return Array(data.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast(data.last == 0x0A ? 1 : 0))
    }

    /// The first `count` records of the log at `url` (a checkpoint's, `owner` naming its state.json in errors).
    /// Lines after them — a run's appends past that checkpoint, a last line cut short by a kill — are not read.
    static func read(_ url: URL, count: Int, for owner: String) throws -> [StepRecord] {
        guard count > 0 else { return [] }
        let all = try lines(url)
        guard all.count >= count else {
            throw CheckpointError("\(url.path): \(all.count) step records, but \(owner) counts \(count) of them; "
                                  + "the log belongs with its checkpoints — restore it, or start the run in a fresh directory")
        }
        let dec = JSONDecoder()
        return try all[0..<count].enumerated().map { i, line in
            do { return try dec.decode(StepRecord.self, from: line) } catch {
                throw CheckpointError("\(url.path), line \(i + 1): expected a step record as JSON (step, learningRate, "
                                      + "loss, metrics): \(error)")
            }
        }
    }

    /// Makes the log at `url` hold exactly `records` (a run's, as resumed from its checkpoint): lines appended after
    /// that checkpoint are cut off, keeping the earlier lines as they are; a log with fewer lines (none, or a
    /// checkpoint from before the log, whose records were in its state.json) is written anew. Either way written
    /// whole and renamed over the log (`.atomic`).
    static func reset(_ url: URL, to records: [StepRecord]) throws {
        let all = try lines(url)
        guard all.count != records.count else { return }
        var data = Data()
        if all.count > records.count {
            for line in all.prefix(records.count) { data.append(line); data.append(0x0A) }
        } else {
            data = try encoded(records)
        }
        do { try data.write(to: url, options: .atomic) } catch {
            throw CheckpointError("\(url.path): cannot replace the step log: \(error)")
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
