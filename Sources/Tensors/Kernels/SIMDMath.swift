// Vectorised transcendental functions on SIMD16<Float>: exp, tanh, erf. Used by the element-wise kernels so that no
// hot loop calls libm per element (scalar expf costs ~1.7 ns/element here, tanhf ~10, erf ~9; these ~0.2).
//
// exp: Cody–Waite range reduction x = n·ln2 + r with |r| ≤ ln2/2, a degree-6 Cephes polynomial for e^r, then
//   scaling by 2^n built from exponent bits. Rounding x·log2(e) to the nearest integer uses the 1.5·2²³ magic
//   number: adding it pushes the fraction out of the mantissa, and the low mantissa bits then *are* n. The generic
//   `.rounded()` / `SIMD16<Int32>(x, rounding:)` are not specialised and cost 70× more (Docs/Tensors.md, §SIMD math).
//   Max relative error ≈ 2 ulp on [-87, 88]; underflows gradually, exactly 0 below −103.9, +∞ above 88.72.
// tanh: Eigen's rational approximation x·P(x²)/Q(x²), clamped at ±7.9053. Abs error ≤ 5e-7, relative ≤ 3e-7 near 0.
// erf: Eigen's rational approximation x·P(x²)/Q(x²) on [-4, 4] (±1 outside). Max abs error ≈ 1e-7 in Float.
// Leaves out: NaN propagation through exp's clamp (NaN inputs give an unspecified finite value or NaN).

@usableFromInline typealias Vec = SIMD16<Float>

@inline(__always)
func vsplat(_ x: Float) -> Vec { Vec(repeating: x) }

/// e^x per lane.
@inline(__always)
func vexp(_ xIn: Vec) -> Vec {
    let x = xIn.replacing(with: vsplat(88.7228394), where: xIn .> vsplat(88.7228394))
        .replacing(with: vsplat(-103.972077), where: xIn .< vsplat(-103.972077))
    // n = round(x·log2 e) via the magic number; the integer sits in the low mantissa bits of t.
    let magic: Float = 12582912   // 1.5 · 2^23
    let t = vsplat(magic).addingProduct(x, vsplat(1.44269504088896341))
    let n = t - vsplat(magic)
    let ni = unsafeBitCast(t, to: SIMD16<Int32>.self) &- Int32(bitPattern: magic.bitPattern)
    // r = x − n·ln2, in two parts (Cody–Waite) so that r is exact to float precision.
    var r = x.addingProduct(n, vsplat(-0.693359375))
    r = r.addingProduct(n, vsplat(2.12194440e-4))
    // e^r ≈ 1 + r + r²·P(r)
    var p = vsplat(1.9875691500e-4)
    p = vsplat(1.3981999507e-3).addingProduct(p, r)
    p = vsplat(8.3334519073e-3).addingProduct(p, r)
    p = vsplat(4.1665795894e-2).addingProduct(p, r)
    p = vsplat(1.6666665459e-1).addingProduct(p, r)
    p = vsplat(5.0000001201e-1).addingProduct(p, r)
    let r2 = r * r
    let y = (r + vsplat(1)).addingProduct(p, r2)
    // 2^n as two factors 2^(n/2) · 2^(n − n/2), each a normal float for n in [-150, 128].
    let n1 = ni &>> 1, n2 = ni &- n1
    let s1 = unsafeBitCast((n1 &+ 127) &<< 23, to: Vec.self)
    let s2 = unsafeBitCast((n2 &+ 127) &<< 23, to: Vec.self)
    // Below the clamp the true value is < 2^-149: return an exact 0 (softmax masks rely on exp(−∞) = 0).
    return (y * s1 * s2).replacing(with: vsplat(0), where: xIn .< vsplat(-103.9))
}

/// tanh(x) per lane: Eigen's rational approximation x·P(x²)/Q(x²) on [−7.9053, 7.9053] (±1 outside, where tanh
/// rounds to ±1 within 3e-7). One division and no exp: ~3× cheaper than 1 − 2/(e^{2x} + 1).
@inline(__always)
func vtanh(_ xIn: Vec) -> Vec {
    let clamp: Float = 7.90531110763549805
    let x = xIn.replacing(with: vsplat(clamp), where: xIn .> vsplat(clamp))
        .replacing(with: vsplat(-clamp), where: xIn .< vsplat(-clamp))
    let x2 = x * x
    var p = vsplat(-2.76076847742355e-16)
    p = vsplat(2.00018790482477e-13).addingProduct(p, x2)
    p = vsplat(-8.60467152213735e-11).addingProduct(p, x2)
    p = vsplat(5.12229709037114e-08).addingProduct(p, x2)
    p = vsplat(1.48572235717979e-05).addingProduct(p, x2)
    p = vsplat(6.37261928875436e-04).addingProduct(p, x2)
    p = vsplat(4.89352455891786e-03).addingProduct(p, x2)
    var q = vsplat(1.19825839466702e-06)
    q = vsplat(1.18534705686654e-04).addingProduct(q, x2)
    q = vsplat(2.26843463243900e-03).addingProduct(q, x2)
    q = vsplat(4.89352518554385e-03).addingProduct(q, x2)
    return x * p / q
}

/// erf(x) per lane.
@inline(__always)
func verf(_ xIn: Vec) -> Vec {
    let x = xIn.replacing(with: vsplat(4), where: xIn .> vsplat(4))
        .replacing(with: vsplat(-4), where: xIn .< vsplat(-4))
    let x2 = x * x
    var p = vsplat(-2.72614225801306e-10)
    p = vsplat(2.77068142495902e-08).addingProduct(p, x2)
    p = vsplat(-2.10102402082508e-06).addingProduct(p, x2)
    p = vsplat(-5.69250639462346e-05).addingProduct(p, x2)
    p = vsplat(-7.34990630326855e-04).addingProduct(p, x2)
    p = vsplat(-2.95459980854025e-03).addingProduct(p, x2)
    p = vsplat(-1.60960333262415e-02).addingProduct(p, x2)
    var q = vsplat(-1.45660718464996e-05)
    q = vsplat(-2.13374055278905e-04).addingProduct(q, x2)
    q = vsplat(-1.68282697438203e-03).addingProduct(q, x2)
    q = vsplat(-7.37332916720468e-03).addingProduct(q, x2)
    q = vsplat(-1.42647390514189e-02).addingProduct(q, x2)
    return x * p / q
}

/// √x per lane for x ≥ 0 (0 gives 0): a bit-trick reciprocal square root refined by three Newton steps, then
/// x·(1/√x). Relative error ≈ 2 ulp. Written out because `SIMD16<Float>.squareRoot()` is scalarised into 16
/// `sqrtf` calls on this toolchain (seen in the disassembly).
@inline(__always)
func vsqrt(_ x: Vec) -> Vec {
    var r = unsafeBitCast(SIMD16<Int32>(repeating: 0x5f37_5a86) &- (unsafeBitCast(x, to: SIMD16<Int32>.self) &>> 1),
                          to: Vec.self)
    let h = x * vsplat(0.5)
    for _ in 0..<3 { r = r * vsplat(1.5).addingProduct(-h * r, r) }
    return x * r
}

/// Loads `count` (< 16) floats into the low lanes, `fill` in the others.
@inline(__always)
func loadPartial(_ p: UnsafePointer<Float>, _ count: Int, fill: Float) -> Vec {
    var v = vsplat(fill)
    for i in 0..<count { v[i] = p[i] }
    return v
}

/// Stores the low `count` (< 16) lanes.
@inline(__always)
func storePartial(_ v: Vec, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
    for i in 0..<count { p[i] = v[i] }
}

/// Applies `f` to `x[0..<n]`, writing `y` (may alias `x`): full vectors, then one padded partial vector.
@inline(__always)
func mapVectors(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ f: (Vec) -> Vec) {
    var i = 0
    while i + 16 <= n { storeVector(f(loadVector(x + i)), y + i); i += 16 }
    if i < n { storePartial(f(loadPartial(x + i, n - i, fill: 0)), y + i, n - i) }
}
