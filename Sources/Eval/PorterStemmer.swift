// The Porter stemmer (Porter 1980) in the form Lucene's PorterStemFilter uses — Martin Porter's own reference
// implementation with his later changes (step 2: "bli" → "ble" instead of "abli" → "able", and "logi" → "log").
// Words of length ≤ 2 and words with non-ASCII-lowercase bytes are returned unchanged. Checked against NLTK's
// PorterStemmer(mode=MARTIN_EXTENSIONS) on the Cranfield and Vaswani vocabularies (Tests/Fixtures/Eval/porter.tsv).
// Notation: b[0...k] is the word; j marks the end of the stem once a suffix matched; m() counts VC sequences in b[0...j].

public enum PorterStemmer {
    public static func stem(_ word: String) -> String {
        var w = Word(Array(word.utf8))
        guard w.b.count > 2, w.b.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return word }
        w.step1ab(); w.step1c(); w.step2(); w.step3(); w.step4(); w.step5()
        return String(decoding: w.b[0...w.k], as: UTF8.self)
    }

    struct Word {
        var b: [UInt8]
        var k: Int
        var j = 0
        init(_ b: [UInt8]) { self.b = b; k = b.count - 1 }

        func cons(_ i: Int) -> Bool {
            switch b[i] {
            case 0x61, 0x65, 0x69, 0x6F, 0x75: return false          // a e i o u
            case 0x79: return i == 0 ? true : !cons(i - 1)          // y
            default: return true
            }
        }
        /// Number of consonant-vowel sequences [C](VC)^m[V] in b[0...j].
        func m() -> Int {
            var n = 0, i = 0
            while true { if i > j { return n }; if !cons(i) { break }; i += 1 }
            i += 1
            while true {
                while true { if i > j { return n }; if cons(i) { break }; i += 1 }
                i += 1; n += 1
                while true { if i > j { return n }; if !cons(i) { break }; i += 1 }
                i += 1
            }
        }
        func vowelInStem() -> Bool { (0...max(0, j)).contains { j >= 0 && !cons($0) } }
        func doublec(_ i: Int) -> Bool { i >= 1 && b[i] == b[i - 1] && cons(i) }
        func cvc(_ i: Int) -> Bool {
            guard i >= 2, cons(i), !cons(i - 1), cons(i - 2) else { return false }
            return b[i] != 0x77 && b[i] != 0x78 && b[i] != 0x79      // w x y
        }
        mutating func ends(_ s: String) -> Bool {
            let u = Array(s.utf8)
            guard u.count <= k + 1 else { return false }
            for (o, c) in u.enumerated() where b[k - u.count + 1 + o] != c { return false }
            j = k - u.count
            return true
        }
        mutating func setTo(_ s: String) {
            let u = Array(s.utf8)
            b.replaceSubrange((j + 1)..<(k + 1), with: u)
            k = j + u.count
        }
        mutating func r(_ s: String) { if m() > 0 { setTo(s) } }

        mutating func step1ab() {
            if b[k] == 0x73 {  // s
                if ends("sses") { k -= 2 } else if ends("ies") { setTo("i") } else if b[k - 1] != 0x73 { k -= 1 }
            }
            if ends("eed") { if m() > 0 { k -= 1 } }
            else if (ends("ed") || ends("ing")) && vowelInStem() {
                k = j
                if ends("at") { setTo("ate") } else if ends("bl") { setTo("ble") } else if ends("iz") { setTo("ize") }
                else if doublec(k) {
                    k -= 1
                    if b[k] == 0x6C || b[k] == 0x73 || b[k] == 0x7A { k += 1 }  // l s z
                } else if m() == 1 && cvc(k) { setTo("e") }
            }
        }
        mutating func step1c() { if ends("y") && vowelInStem() { b[k] = 0x69 } }

        mutating func firstRule(_ rules: [(String, String)]) {
            for (suffix, repl) in rules where ends(suffix) { r(repl); return }
        }
        mutating func step2() {
            guard k >= 1 else { return }
            switch b[k - 1] {
            case 0x61: firstRule([("ational", "ate"), ("tional", "tion")])
            case 0x63: firstRule([("enci", "ence"), ("anci", "ance")])
            case 0x65: firstRule([("izer", "ize")])
            case 0x6C: firstRule([("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous")])
            case 0x6F: firstRule([("ization", "ize"), ("ation", "ate"), ("ator", "ate")])
            case 0x73: firstRule([("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous")])
            case 0x74: firstRule([("aliti", "al"), ("iviti", "ive"), ("biliti", "ble")])
            case 0x67: firstRule([("logi", "log")])
            default: break
            }
        }
        mutating func step3() {
            switch b[k] {
            case 0x65: firstRule([("icate", "ic"), ("ative", ""), ("alize", "al")])
            case 0x69: firstRule([("iciti", "ic")])
            case 0x6C: firstRule([("ical", "ic"), ("ful", "")])
            case 0x73: firstRule([("ness", "")])
            default: break
            }
        }
        mutating func step4() {
            guard k >= 1 else { return }
            let matched: Bool
            switch b[k - 1] {
            case 0x61: matched = ends("al")
            case 0x63: matched = ends("ance") || ends("ence")
            case 0x65: matched = ends("er")
            case 0x69: matched = ends("ic")
            case 0x6C: matched = ends("able") || ends("ible")
            case 0x6E: matched = ends("ant") || ends("ement") || ends("ment") || ends("ent")
            case 0x6F: matched = (ends("ion") && j >= 0 && (b[j] == 0x73 || b[j] == 0x74)) || ends("ou")
            case 0x73: matched = ends("ism")
            case 0x74: matched = ends("ate") || ends("iti")
            case 0x75: matched = ends("ous")
            case 0x76: matched = ends("ive")
            case 0x7A: matched = ends("ize")
            default: matched = false
            }
            if matched && m() > 1 { k = j }
        }
        mutating func step5() {
            j = k
            if b[k] == 0x65 {
                let a = m()
                if a > 1 || (a == 1 && !cvc(k - 1)) { k -= 1 }
            }
            if b[k] == 0x6C && doublec(k) && m() > 1 { k -= 1 }
        }
    }
}
