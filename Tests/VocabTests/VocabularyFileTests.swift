// vocab.txt reading and writing: round trip, HF's trailing-whitespace trim, and clear errors for bad files.
import Foundation
import Testing
import PropertyTesting
@testable import Vocab

@Suite struct VocabularyFileTests {
    @Test func roundTrip() throws {
        let dir = testScratchRoot.appendingPathComponent("vocab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("vocab.txt").path
        try SmallVocab.vocabulary.write(to: path)
        #expect(try Vocabulary(contentsOf: path) == SmallVocab.vocabulary)
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
    }

    @Test func parsing() throws {
        let v = try Vocabulary(parsing: "[PAD]\n[UNK]  \r\nhello\n")
        #expect(v.tokens == ["[PAD]", "[UNK]", "hello"])
        #expect(v["hello"] == 2)
        #expect(throws: VocabError.empty(path: "<memory>")) { try Vocabulary(parsing: "") }
        #expect(throws: VocabError.emptyToken(path: "<memory>", line: 2)) { try Vocabulary(parsing: "a\n\nb\n") }
        #expect(throws: VocabError.duplicateToken(path: "<memory>", line: 3, token: "a", firstLine: 1)) {
            try Vocabulary(parsing: "a\nb\na\n")
        }
        #expect(throws: VocabError.missingSpecialToken(path: "<vocabulary>", token: "[UNK]")) {
            try BertTokenizer(vocabulary: try Vocabulary(parsing: "[PAD]\n[CLS]\n[SEP]\n"))
        }
        #expect(throws: VocabError.fileNotFound(path: "/nonexistent/vocab.txt")) {
            try Vocabulary(contentsOf: "/nonexistent/vocab.txt")
        }
        #expect(VocabError.duplicateToken(path: "v.txt", line: 3, token: "a", firstLine: 1).description
                == "v.txt:3: duplicate token 'a' (first on line 1)")
    }

    @Test func notUTF8IsAnError() throws {
        let path = testScratchRoot.appendingPathComponent("bad-\(UUID().uuidString).txt").path
        try Data([0xFF, 0xFE, 0x00, 0x41]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: VocabError.notUTF8(path: path)) { try Vocabulary(contentsOf: path) }
    }
}
