// Seeded random numbers: SplitMix64 (seeding, streams) and xoshiro256** (bulk draws).
// Every random choice in the package (initialisation, dropout, shuffling, property tests) flows from one of these,
// so a run is reproducible from its seed. `SystemRandomNumberGenerator` is never used: it is a syscall per value
// and not reproducible.

/// SplitMix64 (Steele, Lea & Flood 2014): a 64-bit state, one add and a mixing function per draw.
/// Used to seed xoshiro and to derive independent child streams.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }

    @inlinable public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** (Blackman & Vigna 2018): the package's default generator. Seeded through SplitMix64 as its
/// authors recommend, so that any 64-bit seed (0 included) gives a well-mixed state.
public struct Xoshiro256: RandomNumberGenerator, Sendable {
    public var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s = (sm.next(), sm.next(), sm.next(), sm.next())
    }

    @inlinable static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    @inlinable public mutating func next() -> UInt64 {
        let result = Xoshiro256.rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = Xoshiro256.rotl(s.3, 45)
        return result
    }

    /// A child generator whose stream does not overlap this one's in practice (a fresh SplitMix64-derived state).
    public mutating func split() -> Xoshiro256 { Xoshiro256(seed: next()) }

    /// Uniform Float in [0, 1) from the top 24 bits.
    @inlinable public mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform Double in [0, 1) from the top 53 bits.
    @inlinable public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Standard normal draw (Box–Muller; one of the pair is discarded for simplicity and statelessness).
    public mutating func nextGaussian() -> Float {
        var u1 = nextDouble()
        if u1 < 1e-300 { u1 = 1e-300 }
        let u2 = nextDouble()
        return Float((-2 * _logD(u1)).squareRoot() * _cosD(2 * Double.pi * u2))
    }

    /// Uniform integer in 0..<bound without modulo bias (Lemire's method).
    @inlinable public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "nextInt(below:) needs a positive bound")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let t = (0 &- b) % b
            while m.low < t { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif
@usableFromInline func _logD(_ x: Double) -> Double { log(x) }
@usableFromInline func _cosD(_ x: Double) -> Double { cos(x) }
