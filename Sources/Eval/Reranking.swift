// Drivers: re-rank a candidate run with any scorer, and exact dense retrieval over a collection of embeddings.
// Re-ranking (Margin-MSE paper §5): every candidate of a query is re-scored by the model, and the run is re-sorted by
// the new score (ties by docno, as trec_eval). The scorer is a closure so that Eval does not depend on Student:
// `(query, passages) throws -> scores`, called once per query with up to `batchSize` passages at a time.
// Dense retrieval: scores = Q·Dᵀ (dot product; cosine when the rows are L2-normalised), top-k per query, with query
// batches scored against each cached document row (SIMD dot products; no GEMM library, as Eval does not import
// Tensors) and a bounded heap per query.
// Leaves out: approximate search (HNSW/IVF), caching of passage representations (the scorer may do it).

import Foundation

/// Scores `passages` for `query`; one score per passage, higher is more relevant.
public typealias PassageScorer = (_ query: String, _ passages: [String]) throws -> [Float]

public struct RerankError: Error, CustomStringConvertible {
    public let description: String
}

public enum Reranking {
    /// Re-scores the top `depth` candidates of each query of `candidates` (in trec_eval order) with `scorer`.
    /// Queries without text, or candidates without passage text, are errors naming the id.
    public static func rerank(candidates: Run, queries: [String: String], passages: [String: String],
                              depth: Int = .max, batchSize: Int = 64, tag: String = "rerank",
                              scorer: PassageScorer) throws -> Run {
        var out: [String: [ScoredDoc]] = [:]
        for qid in candidates.results.keys.sorted(by: byteOrder) {
            guard let q = queries[qid] else { throw RerankError(description: "no text for query \(qid)") }
            let docs = Array(candidates.ranked(qid).prefix(depth))
            var scored: [ScoredDoc] = []
            scored.reserveCapacity(docs.count)
            var start = 0
            while start < docs.count {
                let batch = docs[start..<min(start + batchSize, docs.count)]
                let texts = try batch.map { d -> String in
                    guard let t = passages[d.docid] else { throw RerankError(description: "no text for passage \(d.docid)") }
                    return t
                }
                let s = try scorer(q, texts)
                guard s.count == texts.count else {
                    throw RerankError(description: "scorer returned \(s.count) scores for \(texts.count) passages")
                }
                for (d, v) in zip(batch, s) { scored.append(ScoredDoc(d.docid, Double(v))) }
                start += batchSize
            }
            out[qid] = scored
        }
        return Run(out, tag: tag)
    }
}

public enum DenseRetrieval {
    /// Exact top-k by dot product. `queries`: [nq, dim] row-major, `documents`: [nd, dim] row-major.
    /// Returns, per query, the k best (document index, score), best first; ties by lower document index.
    public static func search(queries: [Float], queryCount nq: Int, documents: [Float], documentCount nd: Int,
                              dim: Int, k: Int, queryBatch: Int = 16) -> [[(index: Int, score: Float)]] {
        precondition(queries.count == nq * dim && documents.count == nd * dim, "embedding matrices do not match dims")
        var top = DenseTopK(queries: queries, queryCount: nq, dim: dim, k: min(k, nd))
        documents.withUnsafeBufferPointer { top.add($0.baseAddress!, count: nd, firstIndex: 0, queryBatch: queryBatch) }
        return top.results()
    }

    /// Σ a_i b_i with 4 independent SIMD8 accumulators.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        var i = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while i + 32 <= n {
            s0 += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            s1 += ra.loadUnaligned(fromByteOffset: (i + 8) * 4, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: (i + 8) * 4, as: SIMD8<Float>.self)
            s2 += ra.loadUnaligned(fromByteOffset: (i + 16) * 4, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: (i + 16) * 4, as: SIMD8<Float>.self)
            s3 += ra.loadUnaligned(fromByteOffset: (i + 24) * 4, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: (i + 24) * 4, as: SIMD8<Float>.self)
            i += 32
        }
        var s = ((s0 + s1) + (s2 + s3)).sum()
        while i < n { s += a[i] * b[i]; i += 1 }
        return s
    }

    /// A run from dense search results: `queryIds[qi]`, `documentIds[index]`.
    public static func run(_ results: [[(index: Int, score: Float)]], queryIds: [String], documentIds: [String],
                           tag: String = "dense") -> Run {
        var r: [String: [ScoredDoc]] = [:]
        for (qi, hits) in results.enumerated() { r[queryIds[qi]] = hits.map { ScoredDoc(documentIds[$0.index], Double($0.score)) } }
        return Run(r, tag: tag)
    }
}

/// Exact top-k by dot product over documents that arrive in blocks (a collection too large to hold, streamed from a
/// memory-mapped file): `add` scores a block against every query and keeps each query's k best (index, score) — ties
/// by lower index, whatever the blocks — so any split into blocks gives what one `add` of all documents gives.
/// Queries are taken `queryBatch` at a time and each document row is scored against the whole batch while it is in
/// cache, so a block is read from memory nq / queryBatch times, not nq times.
public struct DenseTopK {
    let queries: [Float]
    public let queryCount: Int, dim: Int, k: Int
    var heaps: [BoundedHeap]

    /// `queries`: [queryCount, dim] row-major.
    public init(queries: [Float], queryCount: Int, dim: Int, k: Int) {
        precondition(queries.count == queryCount * dim && k >= 0, "DenseTopK: \(queries.count) floats for \(queryCount) × \(dim); k \(k)")
        self.queries = queries; self.queryCount = queryCount; self.dim = dim; self.k = k
        heaps = (0..<queryCount).map { _ in BoundedHeap(capacity: k) }
    }

    /// Scores documents `firstIndex ..< firstIndex + count`, whose rows [count, dim] start at `documents`.
    public mutating func add(_ documents: UnsafePointer<Float>, count: Int, firstIndex: Int, queryBatch: Int = 16) {
        guard k > 0, count > 0 else { return }
        let dim = dim, nq = queryCount
        queries.withUnsafeBufferPointer { qp in
            var q0 = 0
            while q0 < nq {
                let q1 = min(q0 + queryBatch, nq)
                for d in 0..<count {
                    let row = documents + d * dim
                    for qi in q0..<q1 {
                        heaps[qi].offer(index: firstIndex + d, score: DenseRetrieval.dot(qp.baseAddress! + qi * dim, row, dim))
                    }
                }
                q0 = q1
            }
        }
    }

    /// Offers precomputed scores: `scores` [queries.count × count] row-major, row i for query `queries.lowerBound + i`,
    /// column j for document `firstIndex + j` (a block scored by a matrix product).
    public mutating func add(scores: UnsafePointer<Float>, queries: Range<Int>, count: Int, firstIndex: Int) {
        guard k > 0, count > 0 else { return }
        for (row, qi) in queries.enumerated() {
            let s = scores + row * count
            // Work on the heap moved out of the array (no copy), and reject below the k-th best score with one
            // comparison: in a long scan almost every document is rejected.
            var heap = BoundedHeap(capacity: 0)
            swap(&heap, &heaps[qi])
            var threshold = heap.items.count == heap.capacity ? heap.items[0].score : -Float.infinity
            for d in 0..<count where s[d] >= threshold {
                heap.offer(index: firstIndex + d, score: s[d])
                if heap.items.count == heap.capacity { threshold = heap.items[0].score }
            }
            swap(&heap, &heaps[qi])
        }
    }

    /// Per query, the k best so far, best first.
    public func results() -> [[(index: Int, score: Float)]] { heaps.map { $0.sortedBestFirst() } }
}

/// The k best (index, score) pairs seen so far: a min-heap whose root is the worst kept ("worse" = lower score, or
/// equal score and higher index).
struct BoundedHeap {
    let capacity: Int
    var items: [(index: Int, score: Float)] = []
    init(capacity: Int) { self.capacity = capacity; items.reserveCapacity(capacity) }

    @inline(__always) static func worse(_ a: (index: Int, score: Float), _ b: (index: Int, score: Float)) -> Bool {
        a.score != b.score ? a.score < b.score : a.index > b.index
    }

    @inline(__always) mutating func offer(index: Int, score: Float) {
        let x = (index: index, score: score)
        if items.count < capacity {
            items.append(x)
            var c = items.count - 1
            while c > 0 { let p = (c - 1) / 2; if BoundedHeap.worse(items[c], items[p]) { items.swapAt(c, p); c = p } else { break } }
        } else if capacity > 0 && BoundedHeap.worse(items[0], x) {
            items[0] = x
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && BoundedHeap.worse(items[l], items[m]) { m = l }
                if r < items.count && BoundedHeap.worse(items[r], items[m]) { m = r }
                if m == i { break }
                items.swapAt(i, m); i = m
            }
        }
    }

    func sortedBestFirst() -> [(index: Int, score: Float)] { items.sorted { BoundedHeap.worse($1, $0) } }
}
