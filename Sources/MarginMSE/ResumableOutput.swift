// The output of a long sharded job (re-ranking a shard of the top-1000 file, encoding a slice of the collection,
// scoring a slice of the training triples) that survives being killed: hours or days of work are not started over.
//
// Each output file FILE grows as `FILE.partial`. Every `checkpointSeconds`, at a boundary the job chooses (after a
// query, a block, a batch), the partial files are synchronised to disk and `FIRST.progress` records how many units
// they hold and how many bytes of each. Started again with the same shard of the same job (the same `ShardRecord`),
// the output cuts each partial file back to the recorded bytes — whatever was written after the record goes — and
// tells the job where to go on. Finished, the partial files are renamed into place (`moveIntoPlace`) and the record
// removed; a record of another job, or partial files shorter than it says, start the shard over.
// Leaves out: locking against two processes running the same shard at once.

import Foundation
import Corpus
import Training

public final class ResumableOutput {
    /// The record kept beside the partial files.
    struct Progress: Codable, Equatable {
        var record: ShardRecord
        var units: Int
        var bytes: [UInt64]
    }

    private let outputs: [URL]
    private let partials: [URL]
    private let marker: URL
    private let record: ShardRecord
    private let handles: [FileHandle]
    private let checkpointSeconds: Double
    private var lastCheckpoint = Date()
    /// Units (queries, passages, triples) the partial files held when this session started: the job skips them.
    public let resumedUnits: Int

    /// Opens `outputs` as partial files for the job `record` describes, resuming from a matching progress record.
    public init(_ outputs: [URL], record: ShardRecord, checkpointSeconds: Double = 30) throws {
        precondition(!outputs.isEmpty, "ResumableOutput needs at least one file")
        self.outputs = outputs
        self.partials = outputs.map { URL(fileURLWithPath: $0.path + ".partial") }
        self.marker = URL(fileURLWithPath: outputs[0].path + ".progress")
        self.record = record
        self.checkpointSeconds = checkpointSeconds
        for f in outputs {
            try FileManager.default.createDirectory(at: f.deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        let sizes = partials.map { ((try? FileManager.default.attributesOfItem(atPath: $0.path))?[.size] as? NSNumber)?.uint64Value }
        var start = Progress(record: record, units: 0, bytes: Array(repeating: 0, count: outputs.count))
        if let data = FileManager.default.contents(atPath: marker.path),
           let saved = try? JSONDecoder().decode(Progress.self, from: data), saved.record == record,
           saved.bytes.count == outputs.count, zip(sizes, saved.bytes).allSatisfy({ ($0 ?? 0) >= $1 && $0 != nil }) {
            start = saved
        } else {
            for p in partials where !FileManager.default.createFile(atPath: p.path, contents: nil) {
                throw OutputError(path: p.path, problem: "cannot be created")
            }
        }
        handles = try partials.map { try FileHandle(forWritingTo: $0) }
        for (h, bytes) in zip(handles, start.bytes) {
            try h.truncate(atOffset: bytes)
            try h.seek(toOffset: bytes)
        }
        resumedUnits = start.units
    }

    deinit { for h in handles { try? h.close() } }

    /// Appends `data` to output `file` (an index into `outputs`).
    public func write(_ data: Data, to file: Int = 0) throws { try handles[file].write(contentsOf: data) }

    /// At a boundary after which the files hold `units` units: records them when the last record is
    /// `checkpointSeconds` old (after synchronising every file).
    public func boundary(units: Int) throws {
        guard Date().timeIntervalSince(lastCheckpoint) >= checkpointSeconds else { return }
        for h in handles { try h.synchronize() }
        let state = Progress(record: record, units: units, bytes: try handles.map { try $0.offset() })
        let tmp = marker.deletingLastPathComponent().appendingPathComponent(".\(marker.lastPathComponent).tmp")
        try JSONEncoder().encode(state).write(to: tmp)
        try moveIntoPlace(tmp, to: marker)
        lastCheckpoint = Date()
    }

    /// Puts the finished files in place (the last one first, so the first, the one a reader checks, comes last) and
    /// writes the shard record beside the first.
    public func finish() throws {
        for h in handles { try h.synchronize(); try h.close() }
        for (p, o) in zip(partials, outputs).reversed() { try moveIntoPlace(p, to: o) }
        try record.write(besides: outputs[0])
        try? FileManager.default.removeItem(at: marker)
    }
}
