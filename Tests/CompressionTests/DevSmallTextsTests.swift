// Paper B's distillation texts take MS MARCO dev-small's queries, judged passages and BM25 candidates, each distinct
// text once, never a passage of the DL19 collection (the QA ranker's test and the agreement sample).

import Foundation
import PropertyTesting
import Testing
@testable import Compression

@Suite struct DevSmallTextsTests {
    @Test func devSmallTextsSkipTestPassagesAndRepeats() throws {
        let root = testScratchRoot.appendingPathComponent("devsmall-\(UUID().uuidString)")
        let dir = root.appendingPathComponent("msmarco-passage-dev-small")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        func write(_ name: String, _ lines: [String]) throws {
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: dir.appendingPathComponent(name))
        }
        #expect(!CompressionData.hasDevSmall(root: root.path))
        try write("queries.tsv", ["1\tfirst query", "2\tsecond query"])
        try write("positives.tsv", ["qid\tpid\tstatus\ttext", "1\t10\tcollection\tpassage ten",
                                    "2\t99\tcollection\ta DL19 passage", "3\t\ttitled\tTitle passage eleven"])
        try write("bm25-top20.tsv", ["qid\tpid\trank\tlabel\ttext", "1\t10\t1\t1\tpassage ten",
                                     "1\t12\t2\t0\tpassage twelve", "1\t99\t3\t0\ta DL19 passage"])
        #expect(CompressionData.hasDevSmall(root: root.path))
        let texts = try CompressionData.devSmallTexts(root: root.path, excluded: ["99"])
        #expect(texts == ["first query", "second query", "passage ten", "Title passage eleven", "passage twelve"])
    }
}
