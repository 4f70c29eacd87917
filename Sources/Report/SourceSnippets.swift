// Code on the pages, pulled from the source by symbol, so that a page never shows code the package no longer has.
// A page marks a code block with the file and the symbol it shows:
//
//     <!-- source: Sources/MarginMSE/Losses.swift marginMSELoss -->
//     ```swift
//     … the declaration, as the file has it …
//     ```
//
// `SourceSnippets.extract` finds the declaration — `func`, `init`, `struct`, `class`, `enum`, `extension`,
// `protocol`, `var` or `let` named so, with its attributes and modifiers — and takes it with its doc comment (`///`
// lines right above) and its body to the closing brace (braces in strings and comments are skipped). `reproduce
// docs` rewrites every marked block from the source; a test fails when a page and the source differ. A symbol may be
// qualified by the type it is in (`TrainingLoop.run`) when the name alone occurs more than once, and an overloaded
// function by its argument labels, as Swift writes them (`WordPiece.encodeWord(_:into:)`).
// Leaves out: declarations without a body in braces spanning several statements (a one-line `let` is taken as its line).

import Foundation

public struct SourceSnippetError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ d: String) { description = d }
}

public enum SourceSnippets {
    /// One marked block of a page.
    public struct Block: Equatable {
        public let file: String
        public let symbol: String
        /// Lines of the page (0-based) holding the block's code, between the fences.
        public let lines: Range<Int>
        public let code: String
    }

    static let marker = "<!-- source: "

    /// The marked blocks of a page's text.
    public static func blocks(in page: String, pageName: String) throws -> [Block] {
        let lines = page.components(separatedBy: "\n")
        var out: [Block] = []
        var i = 0
        while i < lines.count {
            let line = lines[i].trimmingCharacters(in: .whitespaces)
            if line.hasPrefix(marker), line.hasSuffix("-->") {
                let parts = line.dropFirst(marker.count).dropLast(3).split(separator: " ").map(String.init)
                guard parts.count == 2, i + 1 < lines.count, lines[i + 1].hasPrefix("```") else {
                    throw SourceSnippetError("\(pageName):\(i + 1): expected '<!-- source: FILE SYMBOL -->' followed by a code fence")
                }
                guard let close = ((i + 2)..<lines.count).first(where: { lines[$0].hasPrefix("```") }) else {
                    throw SourceSnippetError("\(pageName):\(i + 2): the code block is not closed")
                }
                out.append(Block(file: parts[0], symbol: parts[1], lines: (i + 2)..<close,
                                 code: lines[(i + 2)..<close].joined(separator: "\n")))
                i = close
            }
            i += 1
        }
        return out
    }

    /// The declaration of `symbol` in `source` (see the file comment), as its lines.
    public static func extract(_ symbol: String, from source: String, file: String) throws -> String {
        let lines = source.components(separatedBy: "\n")
        let path = symbol.split(separator: ".").map(String.init)
        guard let qualified = path.last else { throw SourceSnippetError("\(file): '\(symbol)' names no symbol") }
        // `name(a:_:)`: the name and the labels that pick one overload.
        let name = String(qualified.prefix { $0 != "(" })
        let labels: [String]? = qualified.contains("(")
            ? qualified.drop { $0 != "(" }.dropFirst().dropLast().split(separator: ":", omittingEmptySubsequences: false).dropLast().map(String.init)
            : nil
        // Narrow to the bodies of the enclosing types (a type may be declared, or extended, several times).
        var scopes = [0..<lines.count]
        for outer in path.dropLast() {
            scopes = scopes.flatMap { scope in
                declarationStarts(outer, in: lines, within: scope).map { ($0 + 1)..<(end(of: $0, in: lines) + 1) }
            }
            guard !scopes.isEmpty else { throw SourceSnippetError("\(file): no declaration of '\(outer)'") }
        }
        let starts = scopes.flatMap { declarationStarts(name, in: lines, within: $0) }
            .filter { labels == nil || argumentLabels(ofDeclarationAt: $0, in: lines) == labels }
        guard !starts.isEmpty else { throw SourceSnippetError("\(file): no declaration of '\(symbol)'") }
        guard starts.count == 1 else {
            throw SourceSnippetError("\(file): '\(symbol)' is declared \(starts.count) times (lines \(starts.map { "\($0 + 1)" }.joined(separator: ", "))); qualify it with its type")
        }
        var first = starts[0]
        while first > 0, lines[first - 1].trimmingCharacters(in: .whitespaces).hasPrefix("///") { first -= 1 }
        let last = end(of: starts[0], in: lines)
        let taken = Array(lines[first...last])
        let indent = taken.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return taken.map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " }.count))) }.joined(separator: "\n")
    }

    /// The argument labels of the function or initialiser declared at line `start` (`_` where it has none): for
    /// `func f(_ a: Int, into b: inout [Int], c: Int)`, `["_", "into", "c"]`.
    static func argumentLabels(ofDeclarationAt start: Int, in lines: [String]) -> [String] {
        var inBlockComment = false, text = ""
        for i in start..<min(lines.count, start + 40) {
            text += code(of: lines[i], inBlockComment: &inBlockComment) + " "
            if text.contains("{") { break }
        }
        // The parameter list: from the first "(" after any generic clause to its matching ")".
        guard let open = text.firstIndex(of: "(") else { return [] }
        var depth = 0, parameters: [String] = [], current = "", previous: Character = " "
        for c in text[open...] {
            defer { previous = c }
            switch c {
            case "(", "[", "<": depth += 1; if depth > 1 { current.append(c) }
            case ">" where previous == "-": current.append(c)     // a closure type's arrow
            case ")", "]", ">":
                depth -= 1
                if depth == 0 { parameters.append(current); break } else { current.append(c) }
            case "," where depth == 1: parameters.append(current); current = ""
            default: current.append(c)
            }
            if depth == 0 { break }
        }
        return parameters.compactMap { p -> String? in
            let head = p.split(separator: ":", maxSplits: 1).first ?? ""
            let words = head.split(separator: " ")
            return words.first.map(String.init)
        }
    }

    static let keywords = ["func", "init", "struct", "class", "enum", "extension", "protocol", "var", "let", "case"]
    static let modifiers: Set<String> = ["public", "private", "fileprivate", "internal", "open", "static", "final",
                                         "override", "mutating", "nonmutating", "convenience", "required", "indirect",
                                         "nonisolated", "@inlinable", "@inline(__always)", "@usableFromInline",
                                         "@discardableResult", "@frozen", "@objc", "lazy", "weak", "unowned"]

    /// Lines within `scope` that declare `name` directly in it (not inside a member's body): modifiers, then a
    /// keyword, then the name.
    static func declarationStarts(_ name: String, in lines: [String], within scope: Range<Int>) -> [Int] {
        var depth = 0, inBlockComment = false
        var out: [Int] = []
        for i in scope {
            if depth == 0 && !inBlockComment {
                var words = lines[i].trimmingCharacters(in: .whitespaces).split(separator: " ").map(String.init)
                while let w = words.first, modifiers.contains(w) || w.hasPrefix("@") { words.removeFirst() }
                if words.count >= 1, keywords.contains(words[0]) || words[0].hasPrefix("init(") || words[0].hasPrefix("init<") {
                    if words[0].hasPrefix("init") ? name == "init"
                        : words.count >= 2 && words[1].prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" }) == name {
                        out.append(i)
                    }
                }
            }
            depth += braceBalance(lines[i], inBlockComment: &inBlockComment)
        }
        return out
    }

    /// The code of a line: comments removed and string literals emptied (`"…"` → `""`), so that braces and
    /// parentheses can be counted; `inBlockComment` carries a `/* … */` over lines.
    static func code(of line: String, inBlockComment: inout Bool) -> String {
        let chars = Array(line)
        var j = 0, inString = false, out = ""
        while j < chars.count {
            let c = chars[j], next: Character? = j + 1 < chars.count ? chars[j + 1] : nil
            if inBlockComment {
                if c == "*" && next == "/" { inBlockComment = false; j += 1 }
            } else if inString {
                if c == "\\" { j += 1 } else if c == "\"" { inString = false; out.append(c) }
            } else if c == "/" && next == "/" {
                break
            } else if c == "/" && next == "*" {
                inBlockComment = true; j += 1
            } else {
                if c == "\"" { inString = true }
                out.append(c)
            }
            j += 1
        }
        return out
    }

    /// Opening minus closing braces of a line, outside strings and comments.
    static func braceBalance(_ line: String, inBlockComment: inout Bool) -> Int {
        code(of: line, inBlockComment: &inBlockComment).reduce(0) { $0 + ($1 == "{" ? 1 : $1 == "}" ? -1 : 0) }
    }

    /// The last line of the declaration starting at `start`: where its first brace closes, or, when none opens, the
    /// line where its statement ends (parentheses closed, nothing left dangling, no brace on the next line).
    static func end(of start: Int, in lines: [String]) -> Int {
        var depth = 0, paren = 0, opened = false, inBlockComment = false
        for i in start..<lines.count {
            let code = code(of: lines[i], inBlockComment: &inBlockComment)
            for c in code {
                switch c {
                case "(", "[": paren += 1
                case ")", "]": paren -= 1
                case "{": depth += 1; opened = true
                case "}":
                    depth -= 1
                    if opened && depth == 0 { return i }
                default: break
                }
            }
            if !opened && paren == 0 {
                let t = code.trimmingCharacters(in: .whitespaces)
                let dangling = [",", "->", "=", "(", ":"].contains { t.hasSuffix($0) }
                let following = i + 1 < lines.count ? lines[i + 1].trimmingCharacters(in: .whitespaces) : ""
                if !dangling && !["{", "->", "where", "throws", "rethrows", "async"].contains(where: { following.hasPrefix($0) }) {
                    return i
                }
            }
        }
        return lines.count - 1
    }

    /// `page` with every marked block replaced by its source, read through `read(file)`.
    public static func render(_ page: String, pageName: String, read: (String) throws -> String) throws -> String {
        var lines = page.components(separatedBy: "\n")
        for b in try blocks(in: page, pageName: pageName).reversed() {
            let code = try extract(b.symbol, from: try read(b.file), file: b.file)
            lines.replaceSubrange(b.lines, with: code.components(separatedBy: "\n"))
        }
        return lines.joined(separator: "\n")
    }
}
