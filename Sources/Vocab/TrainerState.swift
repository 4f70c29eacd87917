// The mutable state of one WordPiece training run (see WordPieceTrainer.swift for the algorithm): the growing
// vocabulary, the pair counts and the max-heap of merge candidates with the words each one occurs in. Mirrors HF
// `BpeTrainer::do_train` step for step, including its quirks: the merged pair's own count is never decremented,
// and a heap entry merges only in the words recorded with it. A merge scans each short word it touches and, in a long
// word, visits only the pair's occurrences (`IndexedWord`).

struct TrainerState {
    var idToWord: [[UInt32]] = []
    var wordToID: [[UInt32]: Int32] = [:]
    let prefix: [UInt32]

    init(prefix: [UInt32]) { self.prefix = prefix }

    @discardableResult
    mutating func add(_ token: [UInt32]) -> Int32 {
        if let id = wordToID[token] { return id }
        let id = Int32(idToWord.count)
        idToWord.append(token); wordToID[token] = id
        return id
    }

    /// Step 4: words as symbol ids; characters outside the alphabet are dropped; "##c" added when first seen.
    mutating func symbolize(_ words: [[UInt32]]) -> [[Int32]] {
        words.map { w in
            var out: [Int32] = []
            out.reserveCapacity(w.count)
            for (i, c) in w.enumerated() where wordToID[[c]] != nil {
                out.append(i == 0 ? wordToID[[c]]! : add(prefix + [c]))
            }
            return out
        }
    }

    @inline(__always) static func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(a)) << 32 | UInt64(UInt32(b)) }

    /// Words of at least this many symbols merge through an `IndexedWord` (see there); shorter ones by a scan.
    static let indexedLength = 256

    /// Steps 5–6. `indexedLength`: words at least this long keep a position index per pair (tests set it low to hold
    /// the two paths equal).
    mutating func mergeLoop(_ words: inout [[Int32]], counts: [UInt64], config: WordPieceTrainerConfig,
                            indexedLength: Int = TrainerState.indexedLength) {
        var pairCounts: [UInt64: Int64] = [:]
        var whereToUpdate: [UInt64: [Int32]] = [:]
        for (i, w) in words.enumerated() where w.count > 1 {
            for j in 0..<(w.count - 1) {
                let k = Self.key(w[j], w[j + 1])
                pairCounts[k, default: 0] += Int64(counts[i])
                whereToUpdate[k, default: []].appendUnique(Int32(i))
            }
        }
        var indexed: [Int32: IndexedWord] = [:]
        for (i, w) in words.enumerated() where w.count >= indexedLength { indexed[Int32(i)] = IndexedWord(w) }
        var heap = MergeHeap()
        func pushAll(_ wtu: inout [UInt64: [Int32]]) {
            for (k, pos) in wtu { let c = pairCounts[k]!; if c > 0 { heap.push(count: UInt64(c), pair: k, pos: pos) } }
            wtu.removeAll(keepingCapacity: true)
        }
        pushAll(&whereToUpdate)
        while idToWord.count < config.vocabSize, var top = heap.pop() {
            let current = UInt64(max(0, pairCounts[top.pair]!))
            if top.count != current { top.count = current; heap.push(top); continue }
            if top.count < 1 || config.minFrequency > top.count { break }
            let a = Int32(truncatingIfNeeded: top.pair >> 32), b = Int32(truncatingIfNeeded: top.pair & 0xFFFF_FFFF)
            var partB = idToWord[Int(b)][...]
            if partB.starts(with: prefix) { partB = partB.dropFirst(prefix.count) }
            let new = add(idToWord[Int(a)] + partB)
            for iw in heap.takePositions(top) {
                let n = Int64(counts[Int(iw)])
                let report = { (pair: UInt64, change: Int32) in
                    pairCounts[pair, default: 0] += Int64(change) * n
                    if change > 0 { whereToUpdate[pair, default: []].appendUnique(iw) }
                }
                if indexed[iw] != nil {
                    indexed[iw]!.merge(a, b, into: new, report)
                } else {
                    words[Int(iw)].merge(a, b, into: new, report)
                }
            }
            pushAll(&whereToUpdate)
        }
    }
}

extension Array where Element == Int32 {
    @inline(__always) mutating func appendUnique(_ x: Int32) { if last != x { append(x) } }

    /// Replaces every non-overlapping (a, b) from the left by `new`, reporting pair-count changes as HF `Word::merge`.
    /// One pass that compacts in place (HF removes each merged symbol from the middle of its vector, which makes a
    /// merge quadratic in the word's length; the result and the reported changes are the same).
    @inline(__always)
    mutating func merge(_ a: Int32, _ b: Int32, into new: Int32, _ change: (UInt64, Int32) -> Void) {
        let n = count
        guard n > 1 else { return }
        let kept = withUnsafeMutableBufferPointer { w -> Int in
            var read = 0, write = 0
            while read < n {
                if w[read] == a && read + 1 < n && w[read + 1] == b {
                    // w[write - 1] is the symbol now before the pair (merged or not), as in HF's vector.
                    if write > 0 {
                        change(TrainerState.key(w[write - 1], a), -1)
                        change(TrainerState.key(w[write - 1], new), 1)
                    }
                    if read + 2 < n {
                        change(TrainerState.key(b, w[read + 2]), -1)
                        change(TrainerState.key(new, w[read + 2]), 1)
                    }
                    w[write] = new
                    read += 2
                } else {
                    w[write] = w[read]
                    read += 1
                }
                write += 1
            }
            return write
        }
        removeLast(n - kept)
    }
}

extension Array where Element == Int32 {
    /// The reference for `merge`: HF `Word::merge` as written, removing each merged symbol from the middle of the
    /// array (quadratic in the word's length when a pair recurs). Tests hold `merge` equal to it.
    mutating func mergeReference(_ a: Int32, _ b: Int32, into new: Int32, _ change: (UInt64, Int32) -> Void) {
        var i = 0
        while i < count {
            if self[i] == a && i + 1 < count && self[i + 1] == b {
                if i > 0 {
                    change(TrainerState.key(self[i - 1], a), -1)
                    change(TrainerState.key(self[i - 1], new), 1)
                }
                self[i] = new
                remove(at: i + 1)
                if i < count - 1 {
                    change(TrainerState.key(b, self[i + 1]), -1)
                    change(TrainerState.key(new, self[i + 1]), 1)
                }
            }
            i += 1
        }
    }
}

/// A long word as a linked list of symbols with, for every pair of neighbours, the positions where it starts, so that
/// merging a pair costs its occurrences rather than the word's length (a scan per merge is quadratic overall for a
/// word of millions of characters). Positions are the symbols' original indices, which the linked order keeps
/// ascending; the index is appended to whenever a merge creates a pair and read lazily — an entry whose pair is no
/// longer there, or that occurs twice, is skipped. The merges and the reported changes are `merge`'s, in the same
/// order (occurrences left to right, non-overlapping; tested equal to HF's form).
struct IndexedWord {
    private var symbol: [Int32]   // −1 once merged into its left neighbour
    private var next: [Int32], prev: [Int32]
    private var at: [UInt64: [Int32]] = [:]

    init(_ w: [Int32]) {
        symbol = w
        next = (0..<w.count).map { $0 + 1 < w.count ? Int32($0 + 1) : -1 }
        prev = (0..<w.count).map { Int32($0 - 1) }
        for j in 0..<max(0, w.count - 1) { at[TrainerState.key(w[j], w[j + 1]), default: []].append(Int32(j)) }
    }

    /// The symbols, in order.
    var symbols: [Int32] { symbol.filter { $0 >= 0 } }

    mutating func merge(_ a: Int32, _ b: Int32, into new: Int32, _ change: (UInt64, Int32) -> Void) {
        guard var positions = at.removeValue(forKey: TrainerState.key(a, b)) else { return }
        positions.sort()
        var previous: Int32 = -1
        for p in positions where p != previous {
            previous = p
            let i = Int(p)
            guard symbol[i] == a, next[i] >= 0, symbol[Int(next[i])] == b else { continue }
            let q = Int(next[i]), left = Int(prev[i]), right = Int(next[q])
            if left >= 0 {
                change(TrainerState.key(symbol[left], a), -1)
                change(TrainerState.key(symbol[left], new), 1)
                at[TrainerState.key(symbol[left], new), default: []].append(Int32(left))
            }
            if right >= 0 {
                change(TrainerState.key(b, symbol[right]), -1)
                change(TrainerState.key(new, symbol[right]), 1)
                at[TrainerState.key(new, symbol[right]), default: []].append(p)
            }
            symbol[i] = new
            symbol[q] = -1
            next[i] = Int32(right)
            if right >= 0 { prev[right] = p }
        }
    }
}

/// Max-heap of merge candidates ordered by count, then by the smaller pair (HF `Merge::cmp`). The word lists live
/// beside the heap so that sifting moves 24-byte entries only.
struct MergeHeap {
    struct Entry { var count: UInt64; var pair: UInt64; var slot: Int32 }
    private var items: [Entry] = []
    private var positions: [[Int32]] = []
    private var freeSlots: [Int32] = []

    @inline(__always) private static func above(_ x: Entry, _ y: Entry) -> Bool {
        x.count != y.count ? x.count > y.count : x.pair < y.pair
    }

    mutating func push(count: UInt64, pair: UInt64, pos: [Int32]) {
        let slot: Int32
        if let s = freeSlots.popLast() { slot = s; positions[Int(s)] = pos } else {
            slot = Int32(positions.count); positions.append(pos)
        }
        push(Entry(count: count, pair: pair, slot: slot))
    }

    mutating func push(_ e: Entry) {
        items.append(e)
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if !Self.above(items[i], items[p]) { break }
            items.swapAt(i, p); i = p
        }
    }

    mutating func pop() -> Entry? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            let n = items.count
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < n && Self.above(items[l], items[m]) { m = l }
                if r < n && Self.above(items[r], items[m]) { m = r }
                if m == i { break }
                items.swapAt(i, m); i = m
            }
        }
        return top
    }

    /// The words of a popped entry; its slot is freed.
    mutating func takePositions(_ e: Entry) -> [Int32] {
        let p = positions[Int(e.slot)]
        positions[Int(e.slot)] = []
        freeSlots.append(e.slot)
        return p
    }
}
