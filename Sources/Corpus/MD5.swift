// MD5 (RFC 1321), in-house for the same reason as SHA256.swift: some published files are known only by their md5 sum
// (the Margin-MSE teacher scores on Zenodo, the MS MARCO archives), and `fetch` verifies what it downloads against the
// manifest. MD5 is broken as a defence against a forger; here it only catches a truncated or changed download.
// Streaming: `update` any number of times, then `finalize`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct MD5: BlockDigest, DigestCore, Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32) = (0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476)
    var blocks = DigestBlocks()

    /// Per-round left rotations and the constants K[i] = ⌊2³² · |sin(i + 1)|⌋.
    static let shifts: [UInt32] = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                   5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
                                   4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                   6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21]
    static let k: [UInt32] = (0..<64).map { UInt32(truncatingIfNeeded: Int64((abs(sin(Double($0 + 1))) * 4_294_967_296).rounded(.down))) }

    public init() {}

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 { feed(bytes) }

    /// The digest as 32 lowercase hex characters.
    public mutating func finalize() -> String {
        finish(bigEndianLength: false)
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for w in [state.0, state.1, state.2, state.3] {
            for byte in 0..<4 {
                let v = UInt8(truncatingIfNeeded: w >> UInt32(8 * byte))
                out.append(hex[Int(v >> 4)]); out.append(hex[Int(v & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    mutating func compress(_ block: [UInt8]) {
        var m = [UInt32](repeating: 0, count: 16)
        for i in 0..<16 {
            m[i] = UInt32(block[4 * i]) | UInt32(block[4 * i + 1]) << 8 | UInt32(block[4 * i + 2]) << 16 | UInt32(block[4 * i + 3]) << 24
        }
        var (a, b, c, d) = state
        for i in 0..<64 {
            var f: UInt32, g: Int
            switch i {
            case 0..<16: f = (b & c) | (~b & d); g = i
            case 16..<32: f = (d & b) | (~d & c); g = (5 * i + 1) % 16
            case 32..<48: f = b ^ c ^ d; g = (3 * i + 5) % 16
            default: f = c ^ (b | ~d); g = (7 * i) % 16
            }
            f = f &+ a &+ MD5.k[i] &+ m[g]
            a = d; d = c; c = b
            b = b &+ ((f << MD5.shifts[i]) | (f >> (32 - MD5.shifts[i])))
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }
}
