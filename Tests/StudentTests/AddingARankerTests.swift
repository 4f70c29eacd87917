// The example architecture of Docs/AddingARanker.md passes the same checks as the built-in ones.
import Foundation
import Testing
import Tensors
import PropertyTesting
import MarginMSE
@testable import Student

@Suite struct AddingARankerTests {
    func tiny() -> MeanCos { MeanCos(encoder: Tiny.encoder(seed: 21).reduced(keepingLayers: [0, 1]), limits: Tiny.limits,
                                     specials: Tiny.specials) }

    @Test func exampleIsBatchInvariantAndDifferentiable() {
        let r = tiny()
        propertyCheck(Tiny.pairs(count: 2...4), cases: 8) { pairs in
            let together = withNoGrad { r.score(pairs) }.scalars
            for (i, p) in pairs.enumerated() {
                try requireClose(Double(withNoGrad { r.score([p]) }.scalars[0]), Double(together[i]), atol: 2e-4, rtol: 1e-4)
            }
        }
        let pairs = [RankerPair(query: [5, 9], passage: [7, 9, 20]), RankerPair(query: [14], passage: [6, 33, 18])]
        // 20·cos curves enough that a step of 1e-2 leaves a 2% truncation error; 3e-3 is inside the quadratic regime
        // and above Float rounding noise (1e-3 fails on tiny components).
        let result = gradientCheck(r.parameters.filter { $0.tensor.count <= 40 }.map(\.tensor), step: 3e-3, atol: 2e-3, rtol: 2e-2) {
            r.score(pairs)
        }
        #expect(result.passed, "\(result)")
    }

    @Test func exampleSavesAndLoadsThroughItsEntry() throws {
        let r = tiny()
        let dir = try StudentPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try r.save(to: dir)
        let manifest = try JSONDecoder().decode(RankerManifest.self, from: Data(contentsOf: dir.appendingPathComponent("ranker.json")))
        let back = try MeanCos.entry.load(dir, manifest)
        let pairs = [RankerPair(query: [5, 9], passage: [7, 9, 20])]
        #expect(withNoGrad { back.score(pairs) }.scalars == withNoGrad { r.score(pairs) }.scalars)
    }

    /// Registered from outside the registry's list, the example is made and loaded by name like a built-in; a name
    /// that is taken (a built-in's, or its own a second time) is refused.
    @Test func registrationMakesTheExampleAnArchitecture() throws {
        if !RankerRegistry.entries.contains(where: { $0.architecture == MeanCos.architecture }) {
            try RankerRegistry.register(MeanCos.entry)
        }
        #expect(throws: RankerError.self) { try RankerRegistry.register(MeanCos.entry) }
        #expect(throws: RankerError.self) {
            try RankerRegistry.register(RankerRegistry.Entry(architecture: "bert-cat", paperName: "x", make: MeanCos.entry.make,
                                                             load: MeanCos.entry.load))
        }
        #expect(RankerRegistry.entries.prefix(RankerRegistry.builtIn.count).map(\.architecture)
                == RankerRegistry.builtIn.map(\.architecture))
        let made = try RankerRegistry.make(MeanCos.architecture, teacher: Tiny.encoder(seed: 21),
                                           recipe: StudentRecipe(keepLayers: [0, 1], limits: Tiny.limits))
        #expect(made is MeanCos && made.dropoutLayers.count == 1)
        let dir = try StudentPaths.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try made.save(to: dir)
        #expect(try RankerRegistry.load(dir) is MeanCos)
    }
}

/// `RankerChecks`, the checks a user runs on a new architecture, pass for every built-in ranker and for the example,
/// and catch what they are for: a ranker that hides its dropout from the trainer fails the resume check.
@Suite(.serialized) struct RankerChecksTests {
    @Test(arguments: RankerRegistry.builtIn.map(\.architecture))
    func builtInRankersPass(_ arch: String) throws {
        let failures = try RankerChecks.run { seed in
            Tiny.rebuild(try RankerRegistry.make(arch, teacher: Tiny.encoder(seed: 7 + seed),
                                                 recipe: StudentRecipe(keepLayers: [0, 2], limits: Tiny.limits, seed: seed)))
        }
        #expect(failures.isEmpty, "\(arch): \(failures)")
    }

    @Test func theExamplePassesAndHiddenDropoutIsCaught() throws {
        if !RankerRegistry.entries.contains(where: { $0.architecture == MeanCos.architecture }) {
            try? RankerRegistry.register(MeanCos.entry)
        }
        func make(_ seed: UInt64) -> MeanCos {
            MeanCos(encoder: Tiny.encoder(seed: 21 + seed).reduced(keepingLayers: [0, 1]), limits: Tiny.limits, specials: Tiny.specials)
        }
        #expect(try RankerChecks.run { make($0) }.isEmpty)
        let hiding = try RankerChecks.run { seed in HiddenDropout(make(seed)) }
        #expect(hiding.map(\.check).contains("resume"), "\(hiding)")
    }
}

/// MeanCos with its dropout left out of `dropoutLayers` (the mistake the resume check exists for).
final class HiddenDropout: Ranker, @unchecked Sendable {
    static let architecture = MeanCos.architecture
    let inner: MeanCos
    init(_ inner: MeanCos) { self.inner = inner }
    var characteristics: RankerCharacteristics { inner.characteristics }
    var limits: InputLimits { get { inner.limits } set { inner.limits = newValue } }
    var specials: SpecialTokens { inner.specials }
    var parameters: [NamedParameter] { inner.parameters }
    var training: Bool { get { inner.training } set { inner.training = newValue } }
    var dropoutLayers: [Dropout] { [] }
    func score(_ pairs: [RankerPair]) -> Tensor { inner.score(pairs) }
    func save(to folder: URL) throws { try inner.save(to: folder) }
}
