// The WordPiece model: splits one pre-tokenised word into vocabulary pieces by greedy longest match from the left;
// pieces after the first carry the "##" prefix. A word longer than 100 scalars, or one with a position where no
// piece matches, becomes a single [UNK] (HF `WordPiece::tokenize`). Implements the "WordPiece encoder" of
// Docs/Vocab.md. Example with the all-MiniLM-L6-v2 (bert-base-uncased) vocabulary: "unaffable" → "una",
// "##ffa", "##ble"; "supercalifragilistic" → "super", "##cal", "##if", "##rag", "##ilis", "##tic".
// Speed: the pieces live in an open-addressing hash table keyed by Unicode scalars, so a lookup hashes a slice of
// the word in place (no substring, no String).

/// Hash table from scalar sequences to ids; one key space for word-initial pieces and one for "##" pieces.
struct PieceTable: Sendable {
    private var slots: [Int32]          // entry index or −1; count is a power of two
    private var keyStart: [Int32] = []  // per entry: offset into `keys`
    private var keyLength: [Int32] = []
    private var entryID: [Int32] = []
    private var entryContinuation: [Bool] = []
    private var keys: [UInt32] = []
    private let mask: Int
    /// Longest key (in scalars) of each kind, to bound the longest-match search.
    private(set) var maxInitial = 0, maxContinuation = 0

    init(_ vocab: Vocabulary) {
        var capacity = 1
        while capacity < vocab.count * 3 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for (id, token) in vocab.tokens.enumerated() {
            let scalars = token.unicodeScalars.map { $0.value }
            insert(scalars[...], id: Int32(id), continuation: false)
            if scalars.count > 2 && scalars[0] == 35 && scalars[1] == 35 {  // "##"
                insert(scalars[2...], id: Int32(id), continuation: true)
            }
        }
    }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt32>, _ n: Int, _ continuation: Bool) -> Int {
        var h: UInt64 = continuation ? 0x9E3779B97F4A7C15 : 0xCBF29CE484222325
        for i in 0..<n { h = (h ^ UInt64(p[i])) &* 0x100000001B3 }
        h ^= h >> 29
        return Int(truncatingIfNeeded: h &* 0xBF58476D1CE4E5B9 >> 1)
    }

    private mutating func insert(_ key: ArraySlice<UInt32>, id: Int32, continuation: Bool) {
        let h = key.withUnsafeBufferPointer { Self.hash($0.baseAddress!, $0.count, continuation) }
        var s = h & mask
        while slots[s] >= 0 { s = (s + 1) & mask }
        slots[s] = Int32(entryID.count)
        keyStart.append(Int32(keys.count)); keyLength.append(Int32(key.count))
        entryID.append(id); entryContinuation.append(continuation)
        keys += key
        if continuation { maxContinuation = max(maxContinuation, key.count) } else { maxInitial = max(maxInitial, key.count) }
    }

    /// The id of the piece `p[0..<n]` (with "##" in front when `continuation`), or −1.
    @inline(__always)
    func lookup(_ p: UnsafePointer<UInt32>, _ n: Int, continuation: Bool) -> Int32 {
        var s = Self.hash(p, n, continuation) & mask
        return slots.withUnsafeBufferPointer { slots in
            keys.withUnsafeBufferPointer { keys in
                while true {
                    let e = Int(slots[s])
                    if e < 0 { return -1 }
                    if Int(keyLength[e]) == n && entryContinuation[e] == continuation {
                        let k = keys.baseAddress! + Int(keyStart[e])
                        var same = true
                        for i in 0..<n where k[i] != p[i] { same = false; break }
                        if same { return entryID[e] }
                    }
                    s = (s + 1) & mask
                }
            }
        }
    }
}

/// Greedy longest-match-first WordPiece over a vocabulary.
public struct WordPiece: Sendable {
    public let vocabulary: Vocabulary
    public let unkID: Int32
    public let maxInputCharsPerWord: Int
    let table: PieceTable

    public init(vocabulary: Vocabulary, unkToken: String = "[UNK]", maxInputCharsPerWord: Int = 100) throws {
        self.vocabulary = vocabulary
        self.unkID = try vocabulary.requiredID(unkToken)
        self.maxInputCharsPerWord = maxInputCharsPerWord
        self.table = PieceTable(vocabulary)
    }

    /// Appends the ids of `word` (normalised scalars) to `out`.
    @inline(__always)
    public func encodeWord(_ word: UnsafeBufferPointer<UInt32>, into out: inout [Int32]) {
        let n = word.count
        if n > maxInputCharsPerWord { out.append(unkID); return }
        let p = word.baseAddress!
        // Fast path: the whole word is a piece.
        if n <= table.maxInitial {
            let id = table.lookup(p, n, continuation: false)
            if id >= 0 { out.append(id); return }
        }
        let mark = out.count
        var start = 0
        while start < n {
            let continuation = start > 0
            var end = min(n, start + (continuation ? table.maxContinuation : table.maxInitial))
            var found: Int32 = -1
            while end > start {
                found = table.lookup(p + start, end - start, continuation: continuation)
                if found >= 0 { break }
                end -= 1
            }
            if found < 0 { out.removeSubrange(mark...); out.append(unkID); return }
            out.append(found)
            start = end
        }
    }

    /// The ids of one word given as a string of already-normalised text (for tests).
    public func encodeWord(_ word: String) -> [Int32] {
        let scalars = word.unicodeScalars.map { $0.value }
        var out: [Int32] = []
        if scalars.isEmpty { return out }
        scalars.withUnsafeBufferPointer { encodeWord($0, into: &out) }
        return out
    }
}
