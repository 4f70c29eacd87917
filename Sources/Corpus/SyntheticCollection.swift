// A deterministic synthetic collection for runs with no data at all (the `smoke` scale, tests, CI): documents,
// queries, graded judgements and training triples, generated from a seed. Each query belongs to a topic; a topic has
// its own 12 "key" words; documents of a topic use its key words among shared background words, so that lexical
// and learned rankers both have something to find. Grades: 2 = the document was written for the query (shares
// 4 query words), 1 = same topic, 0 = judged other-topic document.
// Leaves out: any resemblance to real language statistics beyond a Zipf-like background; it is for plumbing, not
// for effectiveness numbers.

import Foundation

public struct SyntheticCollection: Sendable, Equatable {
    public var documents: [TextRecord]
    public var queries: [TextRecord]
    public var judgements: [Judgement]
    /// (query id, positive doc id, negative doc id) training triples.
    public var triples: [(qid: String, positive: String, negative: String)]

    public static func == (a: SyntheticCollection, b: SyntheticCollection) -> Bool {
        a.documents == b.documents && a.queries == b.queries && a.judgements == b.judgements
            && a.triples.elementsEqual(b.triples) { $0 == $1 }
    }

    /// `topics` topics, `queriesPerTopic` queries each, `documentsPerTopic` documents each (the first
    /// `queriesPerTopic` of them written for one query each), `wordsPerDocument` words per document.
    public static func generate(seed: UInt64 = 2020, topics: Int = 8, queriesPerTopic: Int = 4,
                                documentsPerTopic: Int = 25, wordsPerDocument: Int = 40) -> SyntheticCollection {
        precondition(documentsPerTopic >= queriesPerTopic + 1, "need at least one non-query document per topic")
        var rng = SeededGenerator(seed: seed)
        let syllables = ["ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "va", "ze", "bo", "du"]
        func word(_ i: Int) -> String {  // a distinct pronounceable word per index
            var n = i, w = ""
            repeat { w += syllables[n % syllables.count]; n /= syllables.count } while n > 0
            return w
        }
        let background = (0..<300).map { word(1000 + $0) }
        func backgroundWord() -> String {  // Zipf-like: favour low indices
            let u = Double(rng.next() % 1_000_000) / 1_000_000
            return background[min(background.count - 1, Int(pow(2.0, u * 8.2)) - 1)]
        }
        var docs: [TextRecord] = [], queries: [TextRecord] = [], judgements: [Judgement] = []
        var triples: [(String, String, String)] = []
        for t in 0..<topics {
            let keys = (0..<12).map { word(t * 12 + $0) }
            var queryWords: [[String]] = []
            for q in 0..<queriesPerTopic {
                let ws = (0..<4).map { _ in keys[Int(rng.next() % 12)] }
                queryWords.append(ws)
                queries.append(TextRecord(id: "q\(t)-\(q)", text: ws.joined(separator: " ")))
            }
            for d in 0..<documentsPerTopic {
                var ws: [String] = []
                for _ in 0..<wordsPerDocument { ws.append(rng.next() % 4 == 0 ? keys[Int(rng.next() % 12)] : backgroundWord()) }
                if d < queriesPerTopic {  // written for query d: contains its words
                    for (i, w) in queryWords[d].enumerated() { ws[(i * 7 + 3) % ws.count] = w }
                }
                docs.append(TextRecord(id: "d\(t)-\(d)", text: ws.joined(separator: " ")))
            }
        }
        for t in 0..<topics {
            for q in 0..<queriesPerTopic {
                let qid = "q\(t)-\(q)"
                judgements.append(Judgement(qid: qid, docid: "d\(t)-\(q)", relevance: 2))
                let same = queriesPerTopic + q % (documentsPerTopic - queriesPerTopic)
                judgements.append(Judgement(qid: qid, docid: "d\(t)-\(same)", relevance: 1))
                let other = (t + 1) % topics
                judgements.append(Judgement(qid: qid, docid: "d\(other)-\(q % documentsPerTopic)", relevance: 0))
                for _ in 0..<3 {
                    let o = Int(rng.next() % UInt64(topics))
                    guard o != t else { continue }
                    triples.append((qid, "d\(t)-\(q)", "d\(o)-\(Int(rng.next() % UInt64(documentsPerTopic)))"))
                }
            }
        }
        return SyntheticCollection(documents: docs, queries: queries, judgements: judgements,
                                   triples: triples.map { (qid: $0.0, positive: $0.1, negative: $0.2) })
    }

}

/// SplitMix64 (Steele et al. 2014) for Corpus and Eval, which do not import Tensors (Tensors has its own, with
/// xoshiro256** on top). Same constants, same stream.
public struct SeededGenerator: Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
