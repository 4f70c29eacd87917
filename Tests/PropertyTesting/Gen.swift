// Generators: a way to draw a random value from a seeded RNG, and a way to propose simpler values (shrinks).
// Shrink candidates are listed most-shrunk first, so the greedy shrinker takes big steps before small ones.

import Tensors

public struct Gen<Value> {
    public let generate: (inout Xoshiro256) -> Value
    public let shrink: (Value) -> [Value]

    public init(generate: @escaping (inout Xoshiro256) -> Value, shrink: @escaping (Value) -> [Value] = { _ in [] }) {
        self.generate = generate
        self.shrink = shrink
    }

    /// Transforms generated values. Shrinking is lost unless `unmap` is given (then it shrinks through it).
    public func map<T>(_ f: @escaping (Value) -> T) -> Gen<T> {
        Gen<T>(generate: { rng in f(self.generate(&rng)) })
    }

    /// Transforms values both ways, keeping shrinking.
    public func map<T>(_ f: @escaping (Value) -> T, unmap: @escaping (T) -> Value) -> Gen<T> {
        Gen<T>(generate: { rng in f(self.generate(&rng)) }, shrink: { t in self.shrink(unmap(t)).map(f) })
    }

    /// A generator that depends on a generated value (e.g. a shape, then a tensor of that shape).
    /// Shrinks the dependent value only.
    public func flatMap<T>(_ f: @escaping (Value) -> Gen<T>) -> Gen<(Value, T)> {
        Gen<(Value, T)>(generate: { rng in
            let v = self.generate(&rng)
            return (v, f(v).generate(&rng))
        }, shrink: { pair in f(pair.0).shrink(pair.1).map { (pair.0, $0) } })
    }

    /// Keeps only values satisfying `predicate` (retries; gives up after 1,000 tries).
    public func filter(_ predicate: @escaping (Value) -> Bool) -> Gen<Value> {
        Gen(generate: { rng in
            for _ in 0..<1_000 { let v = self.generate(&rng); if predicate(v) { return v } }
            fatalError("Gen.filter: no value satisfied the predicate in 1,000 tries")
        }, shrink: { v in self.shrink(v).filter(predicate) })
    }
}

extension Gen {
    /// Always the same value.
    public static func constant(_ v: Value) -> Gen<Value> { Gen(generate: { _ in v }) }
}

extension Gen where Value == Int {
    /// Uniform in `range`; shrinks toward the bound nearest zero.
    public static func int(in range: ClosedRange<Int>) -> Gen<Int> {
        Gen(generate: { rng in range.lowerBound + rng.nextInt(below: range.count) },
            shrink: { v in shrinkInt(v, toward: range.contains(0) ? 0 : range.lowerBound) })
    }
}

/// Candidates between `target` and `v`, biggest jump first: target, v − (v−target)/2, …, v ∓ 1.
public func shrinkInt(_ v: Int, toward target: Int) -> [Int] {
    if v == target { return [] }
    var out = [target]
    var delta = (v - target) / 2
    while delta != 0 {
        let c = v - delta
        if c != target { out.append(c) }
        delta /= 2
    }
    if out.last != v - (v > target ? 1 : -1) { out.append(v - (v > target ? 1 : -1)) }
    return out
}

extension Gen where Value == Float {
    /// Uniform in `range`; shrinks toward 0 (if inside) through rounded values.
    public static func float(in range: ClosedRange<Float>) -> Gen<Float> {
        Gen(generate: { rng in range.lowerBound + (range.upperBound - range.lowerBound) * rng.nextFloat() },
            shrink: { v in
                let target: Float = range.contains(0) ? 0 : range.lowerBound
                if v == target { return [] }
                var c: [Float] = [target]
                let r = v.rounded(.towardZero)
                if r != v && range.contains(r) { c.append(r) }
                let h = target + (v - target) / 2
                if h != v { c.append(h) }
                return c
            })
    }

    /// Standard normal scaled by `scale`.
    public static func gaussian(scale: Float = 1) -> Gen<Float> {
        Gen(generate: { rng in rng.nextGaussian() * scale },
            shrink: { v in v == 0 ? [] : [0, v / 2].filter { $0 != v } })
    }
}

extension Gen where Value == Bool {
    public static var bool: Gen<Bool> {
        Gen(generate: { rng in rng.next() & 1 == 1 }, shrink: { $0 ? [false] : [] })
    }
}

extension Gen {
    /// One of the given elements, uniformly; shrinks toward earlier elements.
    public static func element(of elements: [Value]) -> Gen<Value> where Value: Equatable {
        precondition(!elements.isEmpty, "Gen.element(of:) needs at least one element")
        return Gen(generate: { rng in elements[rng.nextInt(below: elements.count)] },
                   shrink: { v in
                       guard let i = elements.firstIndex(of: v), i > 0 else { return [] }
                       return Array(elements[0..<i])
                   })
    }

    /// Arrays with a length in `count` and elements from `element`. Shrinks by dropping halves, then single
    /// elements, then shrinking elements one at a time.
    public static func array<E>(of element: Gen<E>, count: ClosedRange<Int>) -> Gen<[E]> where Value == [E] {
        Gen<[E]>(generate: { rng in
            let n = count.lowerBound + rng.nextInt(below: count.count)
            var xs: [E] = []
            xs.reserveCapacity(n)
            for _ in 0..<n { xs.append(element.generate(&rng)) }
            return xs
        }, shrink: { xs in
            var out: [[E]] = []
            let minCount = count.lowerBound
            if xs.count > minCount {
                if minCount == 0 { out.append([]) }
                let half = xs.count / 2
                if half >= minCount && half < xs.count {
                    out.append(Array(xs[0..<half])); out.append(Array(xs[(xs.count - half)...]))
                }
                for i in xs.indices.reversed() where xs.count - 1 >= minCount {
                    var ys = xs; ys.remove(at: i); out.append(ys)
                }
            }
            for i in xs.indices {
                for s in element.shrink(xs[i]) { var ys = xs; ys[i] = s; out.append(ys) }
            }
            return out
        })
    }

    /// Pairs of independent values; shrinks each side.
    public static func zip<A, B>(_ a: Gen<A>, _ b: Gen<B>) -> Gen<(A, B)> where Value == (A, B) {
        Gen<(A, B)>(generate: { rng in (a.generate(&rng), b.generate(&rng)) },
                    shrink: { p in a.shrink(p.0).map { ($0, p.1) } + b.shrink(p.1).map { (p.0, $0) } })
    }

    /// Triples of independent values; shrinks each part.
    public static func zip<A, B, C>(_ a: Gen<A>, _ b: Gen<B>, _ c: Gen<C>) -> Gen<(A, B, C)> where Value == (A, B, C) {
        Gen<(A, B, C)>(generate: { rng in (a.generate(&rng), b.generate(&rng), c.generate(&rng)) },
                       shrink: { t in
                           a.shrink(t.0).map { ($0, t.1, t.2) } + b.shrink(t.1).map { (t.0, $0, t.2) }
                               + c.shrink(t.2).map { (t.0, t.1, $0) }
                       })
    }
}

extension Gen where Value == String {
    /// Strings of `count` Unicode scalars drawn from `alphabet`; shrinks by dropping characters.
    public static func string(from alphabet: [Unicode.Scalar], count: ClosedRange<Int>) -> Gen<String> {
        Gen<[Unicode.Scalar]>.array(of: .element(of: alphabet), count: count)
            .map({ scalars in var s = String.UnicodeScalarView(); s.append(contentsOf: scalars); return String(s) },
                 unmap: { Array($0.unicodeScalars) })
    }

    /// Mixed text for tokenizer tests: ASCII letters and digits, punctuation, whitespace (incl. tabs and newlines),
    /// accented Latin, CJK, emoji, combining marks and control characters.
    public static func messyText(count: ClosedRange<Int> = 0...40) -> Gen<String> {
        var alphabet: [Unicode.Scalar] = []
        for v in 0x20...0x7E { alphabet.append(Unicode.Scalar(UInt8(v))) }
        alphabet += ["\t", "\n", "\r", "\u{00A0}", "\u{3000}", "é", "Ü", "ñ", "ß", "ø", "中", "文", "日", "한",
                     "😀", "\u{0301}", "\u{0000}", "\u{FFFD}", "\u{200B}", "Ω", "ж", "ا", "–", "’", "…"]
        return string(from: alphabet, count: count)
    }
}

extension Gen where Value == [Int] {
    /// Tensor shapes: rank in `rank`, each dimension in `dim`. Shrinks toward rank-min, size-1 dimensions.
    public static func shape(rank: ClosedRange<Int>, dim: ClosedRange<Int>) -> Gen<[Int]> {
        Gen<[Int]>.array(of: .int(in: dim), count: rank)
    }
}

extension Gen where Value == [Float] {
    /// `n` floats uniform in `range`.
    public static func floats(count n: Int, in range: ClosedRange<Float> = -1...1) -> Gen<[Float]> {
        Gen<[Float]>.array(of: .float(in: range), count: n...n)
    }
}
