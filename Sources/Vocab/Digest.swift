// FNV-1a 64-bit digest of id lists, the one the parity goldens use (Tests/Fixtures/Vocab/make_goldens.py): each id
// as 4 little-endian bytes, each list followed by FF FF FF FF. A regression digest, not a cryptographic one.

public struct IDDigest: Sendable {
    public private(set) var value: UInt64 = 0xCBF29CE484222325
    public init() {}

    @inline(__always) mutating func byte(_ b: UInt8) { value = (value ^ UInt64(b)) &* 0x100000001B3 }
    @inline(__always) mutating func word(_ w: UInt32) {
        byte(UInt8(w & 0xFF)); byte(UInt8(w >> 8 & 0xFF)); byte(UInt8(w >> 16 & 0xFF)); byte(UInt8(w >> 24))
    }

    /// Adds one text's ids and the end marker.
    public mutating func add(_ ids: [Int32]) {
        for id in ids { word(UInt32(bitPattern: id)) }
        word(0xFFFF_FFFF)
    }

    public var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
