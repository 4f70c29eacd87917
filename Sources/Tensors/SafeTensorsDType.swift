// The element types of the safetensors format and their conversion to Float32.
// F16 (IEEE binary16) and BF16 (bfloat16) are widened bit-exactly by hand (no `Float16`, which macOS x86 lacks);
// integer types are converted exactly where |v| ≤ 2^24. Leaves out: FP8 and unsigned 64-bit conversion (sized for
// header validation only).

/// A safetensors dtype string (`"F32"`, `"BF16"`, …) with its element size in bytes.
public enum SafeTensorsDType: String, CaseIterable, Sendable {
    case bool = "BOOL", u8 = "U8", i8 = "I8", f8e5m2 = "F8_E5M2", f8e4m3 = "F8_E4M3"
    case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
    case i32 = "I32", u32 = "U32", f32 = "F32"
    case f64 = "F64", i64 = "I64", u64 = "U64"

    public var byteSize: Int {
        switch self {
        case .bool, .u8, .i8, .f8e5m2, .f8e4m3: return 1
        case .i16, .u16, .f16, .bf16: return 2
        case .i32, .u32, .f32: return 4
        case .f64, .i64, .u64: return 8
        }
    }

    /// Whether `SafeTensorsFile.tensor(_:)` converts this dtype to Float32.
    public var convertsToFloat: Bool {
        switch self {
        case .f8e5m2, .f8e4m3, .u64: return false
        default: return true
        }
    }
}

/// IEEE binary16 bits → Float32, exact for every input (normals, subnormals, ±0, ±inf, NaN payloads kept).
///
///     half 0x3C00 → 1.0,  0xC000 → −2.0,  0x7BFF → 65504,  0x0001 → 2^−24,  0x7C00 → +inf
@inlinable public func float16BitsToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exponent = UInt32(h >> 10) & 0x1F
    var mantissa = UInt32(h & 0x03FF)
    if exponent == 0x1F {                       // inf / NaN
        return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    }
    if exponent == 0 {
        if mantissa == 0 { return Float(bitPattern: sign) }   // ±0
        // Subnormal: value = mantissa · 2^−24; normalise it into a Float32 normal.
        var e: UInt32 = 127 - 15 + 1
        while mantissa & 0x0400 == 0 { mantissa <<= 1; e -= 1 }
        mantissa &= 0x03FF
        return Float(bitPattern: sign | (e << 23) | (mantissa << 13))
    }
    return Float(bitPattern: sign | ((exponent + 127 - 15) << 23) | (mantissa << 13))
}

/// bfloat16 bits → Float32: bfloat16 is the top half of a Float32, so this is exact.
///
///     bf16 0x3F80 → 1.0,  0x4049 → 3.140625,  0xFF80 → −inf
@inlinable public func bfloat16BitsToFloat(_ b: UInt16) -> Float { Float(bitPattern: UInt32(b) << 16) }

extension SafeTensorsDType {
    /// Converts `count` little-endian elements at `src` (any alignment) into `dst`. Integer values beyond ±2^24 are
    /// reported through `inexact` (the first one met) instead of being rounded silently.
    func convert(_ src: UnsafeRawPointer, count: Int, into dst: UnsafeMutablePointer<Float>,
                 inexact: inout Int64?) {
        @inline(__always) func load<T: FixedWidthInteger>(_ i: Int, _: T.Type) -> T {
            T(littleEndian: src.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self))
        }
        @inline(__always) func exactInt(_ v: Int64) -> Float {
            if v > 16_777_216 || v < -16_777_216, inexact == nil { inexact = v }
            return Float(v)
        }
        switch self {
        case .f32:
            // Bytes are copied as they are: a little-endian host (x86-64, arm64) reads them directly.
            UnsafeMutableRawPointer(dst).copyMemory(from: src, byteCount: count * 4)
        case .f16: for i in 0..<count { dst[i] = float16BitsToFloat(load(i, UInt16.self)) }
        case .bf16: for i in 0..<count { dst[i] = bfloat16BitsToFloat(load(i, UInt16.self)) }
        case .f64: for i in 0..<count { dst[i] = Float(Double(bitPattern: load(i, UInt64.self))) }
        case .i64: for i in 0..<count { dst[i] = exactInt(load(i, Int64.self)) }
        case .i32: for i in 0..<count { dst[i] = exactInt(Int64(load(i, Int32.self))) }
        case .u32: for i in 0..<count { dst[i] = exactInt(Int64(load(i, UInt32.self))) }
        case .i16: for i in 0..<count { dst[i] = Float(load(i, Int16.self)) }
        case .u16: for i in 0..<count { dst[i] = Float(load(i, UInt16.self)) }
        case .i8: for i in 0..<count { dst[i] = Float(load(i, Int8.self)) }
        case .u8, .bool: for i in 0..<count { dst[i] = Float(load(i, UInt8.self)) }
        case .f8e5m2, .f8e4m3, .u64: preconditionFailure("checked by convertsToFloat")
        }
    }
}

#if _endian(big)
#error("SafeTensors reads little-endian bytes directly; big-endian hosts are not supported")
#endif
