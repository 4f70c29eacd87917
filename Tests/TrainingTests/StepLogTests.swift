// The step log beside the checkpoints (`StepLog`, Checkpoint.swift): a checkpoint's state.json counts its records
// instead of holding them; a resume cuts off what was appended after its checkpoint; checkpoints written before the
// log existed still resume; a damaged log is reported with its line.
import Foundation
import PropertyTesting
import Testing
@testable import Training

extension GenericLoopTests {
    func logLines(_ dir: URL) throws -> [String] {
        Array(try String(contentsOf: StepLog.url(in: dir), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast())
    }

    @Test func checkpointsCountTheirStepsAndTheLogHoldsThem() throws {
        let dir = temporaryDirectory("steplog")
        let (result, _) = try run(dir: dir)
        let stateText = try String(contentsOf: dir.appendingPathComponent("latest/state.json"), encoding: .utf8)
        #expect(stateText.contains("\"steps\":[]") && stateText.contains("\"stepsInLog\":20"))
        #expect(!stateText.contains("loss"))
        #expect(try logLines(dir).count == 20)
        let read = try #require(try TrainingState.read(checkpointDirectory: dir))
        #expect(read.steps == result.state.steps && read.steps.map(\.step) == Array(0..<20))
        #expect(read.stepsInLog == nil && read.step == 20)
    }

    @Test func aResumeCutsOffWhatWasAppendedAfterItsCheckpoint() throws {
        let (full, wFull) = try run(dir: nil)
        let dir = temporaryDirectory("steplog-cut")
        #expect(throws: SimulatedKill.self) { try run(dir: dir, killAt: 13) }   // last checkpoint: step 10
        #expect(try logLines(dir).count == 10)
        // A kill between the log's append and the checkpoint's rename, then one in the middle of an append.
        let handle = try FileHandle(forWritingTo: StepLog.url(in: dir))
        try handle.seekToEnd()
        let extra = try logLines(dir).suffix(3).joined(separator: "\n") + "\n{\"step\":13,\"lea"
        try handle.write(contentsOf: Data(extra.utf8))
        try handle.close()
        let (resumed, wResumed) = try run(dir: dir, initSeed: 2)
        #expect(resumed.resumed && wResumed == wFull)
        #expect(resumed.state.steps == full.state.steps)
        #expect(try logLines(dir).count == 20)
        #expect(try TrainingState.read(checkpointDirectory: dir)?.steps == full.state.steps)
    }

    @Test func aCheckpointWithItsStepsInsideStillResumes() throws {
        let (full, wFull) = try run(dir: nil)
        let dir = temporaryDirectory("steplog-old")
        #expect(throws: SimulatedKill.self) { try run(dir: dir, killAt: 13) }
        // Rewrite the checkpoint as the format before the log: the records in state.json, no count, no log.
        var old = try #require(try TrainingState.read(checkpointDirectory: dir))
        #expect(old.steps.count == 10)
        old.stepsInLog = nil
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        try enc.encode(old).write(to: dir.appendingPathComponent("latest/state.json"))
        try FileManager.default.removeItem(at: StepLog.url(in: dir))
        #expect(try TrainingState.read(checkpointDirectory: dir)?.steps == old.steps)
        let (resumed, wResumed) = try run(dir: dir, initSeed: 2)
        #expect(resumed.resumed && wResumed == wFull && resumed.state.steps == full.state.steps)
        #expect(try logLines(dir).count == 20)
        #expect(try TrainingState.read(checkpointDirectory: dir)?.steps == full.state.steps)
    }

    @Test func aDamagedOrShortLogIsReportedWithWhereAndWhat() throws {
        let dir = temporaryDirectory("steplog-bad")
        _ = try run(dir: dir)
        var lines = try logLines(dir)
        lines[2] = "{\"step\": \"three\"}"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: StepLog.url(in: dir))
        let damaged = #expect(throws: CheckpointError.self) { try TrainingState.read(checkpointDirectory: dir) }
        #expect(damaged?.description.contains("steps.jsonl, line 3: expected a step record") == true)
        try Data((lines.prefix(7).joined(separator: "\n") + "\n").utf8).write(to: StepLog.url(in: dir))
        let short = #expect(throws: CheckpointError.self) { try TrainingState.read(checkpointDirectory: dir) }
        #expect(short?.description.contains("7 step records, but") == true)
        #expect(short?.description.contains("counts 20") == true)
        // A folder where the log should be: named, not a bare Foundation error.
        try FileManager.default.removeItem(at: StepLog.url(in: dir))
        try FileManager.default.createDirectory(at: StepLog.url(in: dir), withIntermediateDirectories: false)
        let folder = #expect(throws: CheckpointError.self) { try TrainingState.read(checkpointDirectory: dir) }
        #expect(folder?.description.contains("steps.jsonl: cannot read the step log") == true)
    }
}
