// The vocabulary trainer against Hugging Face's (Tests/Fixtures/Vocab/make_trainer_goldens.py): on the same corpus
// and settings the two vocabularies share ≥ 99% of their tokens. Differences come only from tie order (HF visits
// words in hash-map order, which decides the ids of "##c" tokens and so the (id, id) tie-break of equal counts).
import Foundation
import Testing
@testable import Vocab

@Suite struct TrainerParityTests {
    static func hfVocab(_ name: String) throws -> Vocabulary {
        try Vocabulary(contentsOf: Paths.fixtures + "/" + name)
    }

    static func overlap(_ ours: Vocabulary, _ theirs: Vocabulary) -> Double {
        Double(Set(ours.tokens).intersection(theirs.tokens).count) / Double(theirs.count)
    }

    @Test func workedExampleMatchesHuggingFace() throws {
        let hf = try Self.hfVocab("trainer-worked-40.txt")
        let ours = try WordPieceTrainer.train(texts: WorkedExample.corpus, config: .init(vocabSize: 40))
        #expect(ours.count == 40)
        #expect(Set(ours.tokens) == Set(hf.tokens))
        // Specials and alphabet in the same order. The rest may differ in order only where counts tie: here
        // "##de" and "##st" both occur 6 times, and HF's hash-map order gave "##d","##e" smaller ids than "##s","##t".
        #expect(ours.tokens.prefix(19) == hf.tokens.prefix(19))
        #expect(ours.tokens.suffix(6) == hf.tokens.suffix(6))
        // Our full result, as printed in Docs/Vocab.md §2.
        #expect(ours.tokens.joined(separator: " ") == "[PAD] [UNK] [CLS] [SEP] [MASK] ! , ; d e h i l n o r s t w "
                + "##o ##w ##e ##r ##s ##t ##h ##i ##d lo ##we ne wi ##st ##de wide lowe low newe lower new")
    }

    @Test(.enabled(if: SharedData.available, "needs ../shared/data"))
    func cranfieldVocabularyMatchesHuggingFace() throws {
        let hf = try Self.hfVocab("trainer-cranfield-4000.txt")
        let texts = try SharedTexts.smart(Paths.data + "/cranfield/cran.all.1400")
        let ours = try WordPieceTrainer.train(texts: texts, config: .init(vocabSize: 4000))
        #expect(ours.count == hf.count)
        let o = Self.overlap(ours, hf)
        #expect(o >= 0.99, "token overlap with HF \(o)")
        #expect(ours.tokens.prefix(5) == hf.tokens.prefix(5))
    }

    @Test(.enabled(if: SharedData.available, "needs ../shared/data"))
    func dl19VocabularyMatchesHuggingFace() throws {
        let hf = try Self.hfVocab("trainer-dl19-8000.txt")
        let texts = try SharedTexts.tsv(Paths.data + "/msmarco-passage-trec-dl/dl19/collection.tsv")
        let ours = try WordPieceTrainer.train(texts: texts, config: .init(vocabSize: 8000))
        #expect(ours.count == hf.count)
        let o = Self.overlap(ours, hf)
        #expect(o >= 0.99, "token overlap with HF \(o)")
        print("dl19 8000: overlap with HF \(o)")
    }
}

/// The worked example of Docs/Vocab.md.
enum WorkedExample {
    static let corpus = ["low lower lowest", "newer newest new", "wider widest wide", "low new wide",
                         "lower newer wider", "Low, LOWER; lowest!", "the newest widest low"]
}
