// Everything an experiment needs from the outside: the scale, where the data and the model are, where outputs and the
// cache go, the seed, the thread count, and a way to report progress. Built once per `reproduce` run.

import Foundation

public struct ExperimentContext: Sendable {
    public var scale: Scale
    /// The resolved data directory (nil when no real data was found: smoke data is used, with a banner).
    public var dataDirectory: String?
    /// The sentence-transformers teacher folder (all-MiniLM-L6-v2), when present.
    public var modelDirectory: String?
    /// Where tables, figures and index.html are written (`paper-figures/` by default).
    public var outputDirectory: URL
    /// Where intermediate results (teachers, scores, embeddings, students) are cached by configuration hash.
    public var cacheDirectory: URL
    public var seed: UInt64
    public var threads: Int
    /// Paper A with a fourth teacher: every student also distilled from all-MiniLM-L6-v2 itself, a teacher stronger than
    /// the students, as is and scaled to the student's margins (`reproduce paper-a --minilm-teacher`; not one of the
    /// paper's teachers). Paper B does not use it.
    public var paperAMiniLMTeacher = false
    /// Paper A's training budget (`reproduce paper-a --budget long`; Paper B does not use it).
    public var paperABudget: PaperABudget = .standard
    /// Registered architectures Paper A trains beside the paper's students (`reproduce paper-a --student NAME,…`).
    public var paperAStudents: [String] = []
    /// Progress lines (to standard error in the CLI).
    public var progress: @Sendable (String) -> Void

    /// The seed of the committed runs (`reproduce --seed`'s default).
    public static let defaultSeed: UInt64 = 2020

    /// "" for the default seed, else a suffix that cache identities of real-data runs carry: the seed chooses Paper
    /// A's student initialisation and Paper B's text samples, so results of two seeds must not share cache entries.
    /// (Empty for the default seed, so that caches made before the seed entered the identities stay valid.)
    public var seedIdentity: String { seed == Self.defaultSeed ? "" : "/seed-\(seed)" }

    public init(scale: Scale, dataDirectory: String?, modelDirectory: String?, outputDirectory: URL,
                cacheDirectory: URL, seed: UInt64 = ExperimentContext.defaultSeed, threads: Int = 2,
                paperAMiniLMTeacher: Bool = false, paperABudget: PaperABudget = .standard, paperAStudents: [String] = [],
                progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.scale = scale; self.dataDirectory = dataDirectory; self.modelDirectory = modelDirectory
        self.outputDirectory = outputDirectory; self.cacheDirectory = cacheDirectory
        self.seed = seed; self.threads = threads; self.paperAMiniLMTeacher = paperAMiniLMTeacher
        self.paperABudget = paperABudget; self.paperAStudents = paperAStudents
        self.progress = progress
    }

    /// True when this run works on the synthetic collection instead of the real data.
    public var usesSyntheticData: Bool { scale == .smoke || dataDirectory == nil }

    /// The banner every output carries when the data is not the real data.
    public var banner: String {
        guard usesSyntheticData else { return "" }
        return scale == .smoke
            ? "SMOKE SCALE — synthetic data and tiny models: these numbers test the pipeline, not the papers."
            : "REAL DATA NOT FOUND — this default run fell back to the synthetic smoke data: these numbers are not the papers'."
    }
}

/// How long Paper A trains at the default scale: `standard` fits the default run's hour on 2 cores; `long` gives the
/// teachers and students the steps they need to converge further, at several times the cost (PaperAPlan.forScale).
public enum PaperABudget: String, Codable, Sendable, CaseIterable {
    case standard = "default", long
}

/// One pipeline per (cache, scale, seed, data) in a process, shared by the artefacts of a paper so that nothing is
/// loaded or trained twice in one run (the disk cache covers separate runs).
final class PipelineRegistry<P: AnyObject>: @unchecked Sendable {
    private var items: [String: P] = [:]
    private let lock = NSLock()

    func pipeline(for c: ExperimentContext, make: () -> P) -> P {
        lock.lock(); defer { lock.unlock() }
        let key = "\(c.cacheDirectory.path)|\(c.scale)|\(c.seed)|\(c.dataDirectory ?? "-")|\(c.paperAMiniLMTeacher)|\(c.paperABudget.rawValue)|\(c.paperAStudents.joined(separator: ","))"
        if let p = items[key] { return p }
        let p = make()
        items[key] = p
        return p
    }
}

/// A value made on first use and kept; a failure is kept too and thrown to every later caller, so that a missing
/// model or a malformed data file is an error of the artefact that asked, not a crash of the run.
final class Memo<T>: @unchecked Sendable {
    private let make: () throws -> T
    private var result: Result<T, Error>?
    private let lock = NSRecursiveLock()

    init(_ make: @escaping () throws -> T) { self.make = make }

    func get() throws -> T {
        lock.lock(); defer { lock.unlock() }
        if let result { return try result.get() }
        let r = Result { try make() }
        result = r
        return try r.get()
    }
}
