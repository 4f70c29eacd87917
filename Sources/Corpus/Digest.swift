// What SHA256.swift and MD5.swift share: feeding bytes in 64-byte blocks, the final padding (0x80, zeros, the
// length in bits), and hashing a whole collection or a file in 1 MiB chunks.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming digest over 64-byte blocks (SHA-256, MD5).
public protocol BlockDigest {
    init()
    mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8
    /// The digest as lowercase hex characters.
    mutating func finalize() -> String
}

extension BlockDigest {
    /// The digest of a whole byte collection.
    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var d = Self(); d.update(bytes); return d.finalize()
    }

    /// The digest of a file, read in 1 MiB chunks; nil when it cannot be read.
    public static func hex(ofFile path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var d = Self()
        var buf = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buf.withUnsafeMutableBufferPointer { fread($0.baseAddress!, 1, $0.count, f) }
            if n == 0 { break }
            d.update(buf[0..<n])
        }
        return d.finalize()
    }
}

/// The 64-byte block buffer of a digest: bytes in, a full block handed to `compress`, and the final padding.
struct DigestBlocks {
    var block = [UInt8](repeating: 0, count: 64)
    var count = 0
    /// Bytes fed so far (the padding not counted).
    var length: UInt64 = 0

    mutating func append<C: Collection>(_ bytes: C, _ compress: (_ block: [UInt8]) -> Void) where C.Element == UInt8 {
        for b in bytes {
            block[count] = b; count += 1
            if count == 64 { compress(block); count = 0 }
        }
        length &+= UInt64(bytes.count)
    }

    /// Feeds the padding — 0x80, zeros to 56 mod 64, the message length in bits in 8 bytes (big-endian for SHA-256,
    /// little-endian for MD5) — which completes the last block.
    mutating func pad(bigEndianLength: Bool, _ compress: (_ block: [UInt8]) -> Void) {
        let bits = length &* 8
        var pad: [UInt8] = [0x80]
        let rem = (Int(length % 64) + 1) % 64
        pad += [UInt8](repeating: 0, count: rem <= 56 ? 56 - rem : 120 - rem)
        for i in 0..<8 {
            let shift = UInt64(bigEndianLength ? 7 - i : i) * 8
            pad.append(UInt8(truncatingIfNeeded: bits >> shift))
        }
        let saved = length
        append(pad, compress)
        length = saved
    }
}

/// The machinery behind both digests' `update` and `finalize`: a block buffer and the compression of one block.
protocol DigestCore {
    var blocks: DigestBlocks { get set }
    mutating func compress(_ block: [UInt8])
}

extension DigestCore {
    mutating func feed<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        var b = blocks
        b.append(bytes) { compress($0) }
        blocks = b
    }

    mutating func finish(bigEndianLength: Bool) {
        var b = blocks
        b.pad(bigEndianLength: bigEndianLength) { compress($0) }
        blocks = b
    }
}
