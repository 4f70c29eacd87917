// The extension surface of Docs/AddingARanker.md: registering an architecture from outside the built-in list, and
// `RankerChecks`, the checks a new architecture must pass. (The worked example, MeanCos, is its own package in
// Examples/MeanCos, which runs the checks on itself; CI builds and runs it.)
import Foundation
import Testing
import Tensors
import PropertyTesting
import MarginMSE
@testable import Student

/// An architecture registered by a test: BERT_DOT with mean pooling and cosine, under its own name.
let aliasEntry = RankerRegistry.Entry(
    architecture: "mean-cos-dot-test", paperName: "MeanCosDOT",
    make: { t, r in BertDot(encoder: t.reduced(keepingLayers: r.keepLayers), limits: r.limits, pooling: .mean, cosine: true) },
    load: { f, m in try RankerRegistry.entry("bert-dot").load(f, m) })

@Suite struct AddingARankerTests {
    /// Registered, an architecture is made by name like a built-in; a taken name (a built-in's, or its own a second
    /// time) is refused; the built-ins stay first and unchanged.
    @Test func registrationMakesAnArchitecture() throws {
        if !RankerRegistry.entries.contains(where: { $0.architecture == aliasEntry.architecture }) {
            try? RankerRegistry.register(aliasEntry)
        }
        #expect(throws: RankerError.self) { try RankerRegistry.register(aliasEntry) }
        #expect(throws: RankerError.self) {
            try RankerRegistry.register(RankerRegistry.Entry(architecture: "bert-cat", paperName: "x", make: aliasEntry.make,
                                                             load: aliasEntry.load))
        }
        #expect(RankerRegistry.entries.prefix(RankerRegistry.builtIn.count).map(\.architecture)
                == RankerRegistry.builtIn.map(\.architecture))
        let made = try RankerRegistry.make(aliasEntry.architecture, teacher: Tiny.encoder(seed: 21),
                                           recipe: StudentRecipe(keepLayers: [0, 1], limits: Tiny.limits))
        #expect(made is BertDot && made.dropoutLayers.count == 1)
    }
}

/// `RankerChecks` pass for every built-in ranker, and catch what they are for: a ranker that hides its dropout from
/// the trainer fails the resume check.
@Suite(.serialized) struct RankerChecksTests {
    static func tinyDot(_ seed: UInt64) throws -> any Ranker {
        Tiny.rebuild(try RankerRegistry.make("bert-dot", teacher: Tiny.encoder(seed: 7 + seed),
                                             recipe: StudentRecipe(keepLayers: [0, 2], limits: Tiny.limits, seed: seed)))
    }

    @Test(arguments: RankerRegistry.builtIn.map(\.architecture))
    func builtInRankersPass(_ arch: String) throws {
        let failures = try RankerChecks.run { seed in
            Tiny.rebuild(try RankerRegistry.make(arch, teacher: Tiny.encoder(seed: 7 + seed),
                                                 recipe: StudentRecipe(keepLayers: [0, 2], limits: Tiny.limits, seed: seed)))
        }
        #expect(failures.isEmpty, "\(arch): \(failures)")
    }

    @Test func hiddenDropoutIsCaught() throws {
        let failures = try RankerChecks.run { seed in HiddenDropout(try Self.tinyDot(seed)) }
        #expect(failures.map(\.check) == ["resume"], "\(failures)")
    }
}

/// A ranker with its dropout left out of `dropoutLayers` (the mistake the resume check exists for).
final class HiddenDropout: Ranker, @unchecked Sendable {
    static let architecture = "bert-dot"
    let inner: any Ranker
    init(_ inner: any Ranker) { self.inner = inner }
    var characteristics: RankerCharacteristics { inner.characteristics }
    var limits: InputLimits { get { inner.limits } set { inner.limits = newValue } }
    var specials: SpecialTokens { inner.specials }
    var parameters: [NamedParameter] { inner.parameters }
    var training: Bool { get { inner.training } set { inner.training = newValue } }
    var dropoutLayers: [Dropout] { [] }
    func score(_ pairs: [RankerPair]) -> Tensor { inner.score(pairs) }
    func save(to folder: URL) throws { try inner.save(to: folder) }
}
