// Streaming line reader: reads a file in 1 MiB chunks and hands each line to a closure as raw UTF-8 bytes, so memory
// stays bounded (one chunk plus the longest line) whatever the file size — the MS MARCO collection (8.8M lines) and
// the published teacher-score files (40M lines) are read this way. Lines end at "\n"; a trailing "\r" is dropped, and
// so is a UTF-8 byte-order mark at the start of the file (editors on Windows write one; it would otherwise become part
// of the first line's first field, and a run's or qrels' first line would silently not match).
// Leaves out: other encodings than UTF-8, random access.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// 3 when `p` starts with the UTF-8 byte-order mark EF BB BF, else 0.
private func bomLength(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int {
    count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0
}

public enum LineReader {
    /// Calls `body(line, lineNumber)` for every line of `path` (1-based numbers). `line` is valid only during the
    /// call. Throws `DataFormatError` (line 0) when the file cannot be opened, or whatever `body` throws.
    public static func forEachLine(_ path: String, chunkSize: Int = 1 << 20,
                                   _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        guard let f = fopen(path, "rb") else {
            throw DataFormatError(file: path, line: 0, expected: "a readable file",
                                  found: String(cString: strerror(errno)))
        }
        defer { fclose(f) }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var start = 0, end = 0, lineNumber = 0
        while true {
            if start > 0 {  // move the partial line to the front
                if end > start {
                    buffer.withUnsafeMutableBufferPointer { b in
                        _ = memmove(b.baseAddress!, b.baseAddress! + start, end - start)
                    }
                }
                end -= start; start = 0
            }
            if end == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }
            let n = buffer.withUnsafeMutableBufferPointer { b in fread(b.baseAddress! + end, 1, b.count - end, f) }
            if n == 0 && ferror(f) != 0 {   // e.g. a directory, which fopen opens on Linux and fread cannot read
                throw DataFormatError(file: path, line: 0, expected: "a readable file", found: String(cString: strerror(errno)))
            }
            let eof = n == 0
            end += n
            try buffer.withUnsafeBufferPointer { b in
                let base = b.baseAddress!
                var i = start
                while i < end {
                    guard let nl = memchr(base + i, 0x0A, end - i) else { break }
                    let pos = base.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                    var lineEnd = pos
                    if lineEnd > i && base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                    lineNumber += 1
                    let from = lineNumber == 1 ? i + bomLength(base + i, lineEnd - i) : i
                    try body(UnsafeBufferPointer(start: base + from, count: lineEnd - from), lineNumber)
                    i = pos + 1
                }
                start = i
                if eof && start < end {  // last line without a newline
                    var lineEnd = end
                    if base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                    lineNumber += 1
                    let from = lineNumber == 1 ? start + bomLength(base + start, lineEnd - start) : start
                    try body(UnsafeBufferPointer(start: base + from, count: lineEnd - from), lineNumber)
                    start = end
                }
            }
            if eof { break }
        }
    }

    /// The whole file as lines of text (for small files: queries, qrels, topics).
    public static func lines(_ path: String) throws -> [String] {
        var out: [String] = []
        try forEachLine(path) { line, _ in out.append(String(decoding: line, as: UTF8.self)) }
        return out
    }

    /// The whole file as one string (throws a DataFormatError naming the file when it cannot be read).
    public static func text(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataFormatError(file: path, line: 0, expected: "a readable file", found: "nothing")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
