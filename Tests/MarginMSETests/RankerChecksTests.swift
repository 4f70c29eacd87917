// `RankerChecks`, the checks a new ranker architecture must pass before the workflow relies on it
// (Docs/AddingARanker.md): every built-in passes them, and they catch the mistake they exist for.
import Foundation
import Testing
import Tensors
import Student
import RankerTesting
import MarginMSE

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
