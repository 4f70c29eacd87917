// The extension surface of Docs/AddingARanker.md: registering an architecture from outside the built-in list. (The
// checks a new architecture must pass, `RankerChecks`, are MarginMSE's and tested in MarginMSETests; the worked
// example, MeanCos, is its own package in Examples/MeanCos, which runs the checks on itself; CI builds and runs it.)
import Foundation
import Testing
import Tensors
import PropertyTesting
import RankerTesting
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
