// In-house property testing on Swift Testing: run a property over N seeded random cases; on failure, shrink the
// counterexample greedily toward the simplest failing case and report it with a replay seed.
//
//   @Test func reverseTwice() {
//       propertyCheck(Gen.array(of: .int(in: -9...9), count: 0...20)) { xs in
//           try require(Array(xs.reversed().reversed()) == xs, "reverse twice changed \(xs)")
//       }
//   }
//
// Environment: PROPERTY_SEED=<n> replays one run from its seed (printed on failure); PROPERTY_CASES=<n> overrides
// the number of cases (e.g. many more in a soak run). After the spirit of x-sheep/swift-property-based, smaller.

import Foundation
import Testing
import Tensors

/// A failed property: thrown by `require` (or any error thrown from a property counts as a failure).
public struct PropertyFailure: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Fails the property with `message` unless `condition` holds.
public func require(_ condition: Bool, _ message: @autoclosure () -> String = "property does not hold") throws {
    if !condition { throw PropertyFailure(message()) }
}

/// Fails unless |a − b| ≤ atol + rtol·|b|.
public func requireClose(_ a: Double, _ b: Double, atol: Double = 1e-6, rtol: Double = 1e-6,
                         _ what: @autoclosure () -> String = "") throws {
    let ok = abs(a - b) <= atol + rtol * abs(b) || (a.isNaN && b.isNaN)
    if !ok { throw PropertyFailure("\(what()) \(a) ≠ \(b) (atol \(atol), rtol \(rtol))") }
}

/// Outcome of a property run, for tests of the property checker itself.
public enum PropertyOutcome<Value> {
    case passed(cases: Int)
    /// The shrunk counterexample, the original one, the seed of the failing case, shrink steps taken, the message.
    case failed(shrunk: Value, original: Value, seed: UInt64, shrinkSteps: Int, message: String)
}

/// Runs `property` over `cases` values drawn from `gen`, without recording anything. Case i draws from a generator
/// seeded with `seed &+ i`, so one case replays from its own seed.
public func runProperty<Value>(_ gen: Gen<Value>, cases: Int = 100, seed: UInt64 = 0x5EED,
                               maxShrinks: Int = 2_000,
                               _ property: (Value) throws -> Void) -> PropertyOutcome<Value> {
    for i in 0..<cases {
        let caseSeed = seed &+ UInt64(i)
        var rng = Xoshiro256(seed: caseSeed)
        let value = gen.generate(&rng)
        guard let message = failure(property, value) else { continue }
        // Greedy shrinking: take the first candidate (most-shrunk first) that still fails; repeat until none does.
        var current = value, currentMessage = message, steps = 0
        var improved = true
        while improved && steps < maxShrinks {
            improved = false
            for candidate in gen.shrink(current) {
                steps += 1
                if let m = failure(property, candidate) {
                    current = candidate; currentMessage = m; improved = true
                    break
                }
                if steps >= maxShrinks { break }
            }
        }
        return .failed(shrunk: current, original: value, seed: caseSeed, shrinkSteps: steps, message: currentMessage)
    }
    return .passed(cases: cases)
}

private func failure<Value>(_ property: (Value) throws -> Void, _ value: Value) -> String? {
    do { try property(value); return nil } catch { return "\(error)" }
}

/// Checks `property` over random values from `gen` and records a Swift Testing issue with the shrunk
/// counterexample and its replay seed if it fails.
public func propertyCheck<Value>(_ gen: Gen<Value>, cases: Int = 100, seed: UInt64? = nil,
                                 sourceLocation: SourceLocation = #_sourceLocation,
                                 _ property: (Value) throws -> Void) {
    let env = ProcessInfo.processInfo.environment
    let n = env["PROPERTY_CASES"].flatMap(Int.init) ?? cases
    let replay = env["PROPERTY_SEED"].flatMap(UInt64.init)
    let base = replay ?? seed ?? 0x5EED
    let outcome = runProperty(gen, cases: replay == nil ? n : 1, seed: base, property)
    if case let .failed(shrunk, original, caseSeed, steps, message) = outcome {
        Issue.record("""
            Property failed: \(message)
              counterexample (shrunk in \(steps) steps): \(shrunk)
              original: \(original)
              replay: PROPERTY_SEED=\(caseSeed) swift test --filter <this test>
            """, sourceLocation: sourceLocation)
    }
}
