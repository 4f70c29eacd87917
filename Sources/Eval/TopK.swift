// Top-k selection with a bounded min-heap: O(n log k). Order: higher score first; equal scores ordered by `before`
// (a strict order on indices: `before(i, j)` means i ranks above j), so results are deterministic.

public enum TopK {
    /// Indices 0..<n of the k best items, best first.
    public static func select(_ n: Int, k: Int, score: (Int) -> Float, before: (Int, Int) -> Bool) -> [Int] {
        guard k > 0, n > 0 else { return [] }
        // worse(i, j): i ranks below j.
        func worse(_ i: Int, _ j: Int) -> Bool {
            let a = score(i), b = score(j)
            return a != b ? a < b : before(j, i)
        }
        var heap: [Int] = []  // min-heap by rank: heap[0] is the worst kept
        heap.reserveCapacity(min(k, n))
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && worse(heap[l], heap[m]) { m = l }
                if r < heap.count && worse(heap[r], heap[m]) { m = r }
                if m == i { return }
                heap.swapAt(i, m); i = m
            }
        }
        for i in 0..<n {
            if heap.count < k {
                heap.append(i)
                var c = heap.count - 1
                while c > 0 { let p = (c - 1) / 2; if worse(heap[c], heap[p]) { heap.swapAt(c, p); c = p } else { break } }
            } else if worse(heap[0], i) {
                heap[0] = i; siftDown(0)
            }
        }
        return heap.sorted { worse($1, $0) }
    }
}
