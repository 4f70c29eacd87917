// A passage collection in MS MARCO's `collection.tsv` format (`pid<TAB>text`, one passage per line, pids whole
// numbers) read through a memory-mapped file and an offset index, so that looking up a passage costs one binary search
// (or one array read) and memory does not grow with the text: the full collection's 8.8M passages (2.9 GiB of text)
// are the kernel's page cache, not our heap. What does grow with the collection is the index: 8 bytes per passage when
// the pids are 0, 1, 2, … in file order (MS MARCO's are), 16 otherwise — 67 MiB for 8.8M passages.
//
// The index is built in one pass that also checks every line (pid of digits, one tab, no pid twice), and can be kept
// in a file (`indexPath`) that is itself mapped on the next open. A kept index names the collection's size and
// modification time; when the collection changes, the index is rebuilt.
//
// Index file layout (little-endian): "RDCOLIX1", collection size (UInt64), modification time (Int64 seconds, Int64
// nanoseconds), passage count n (UInt64), dense flag (UInt64: 1 when pid i is on line i); then n line-start offsets
// (UInt64) in pid order; when not dense, the n pids (UInt64, ascending) before the offsets.
//
// Leaves out: Windows (mmap), collections over 2^63 bytes, ids that are not whole numbers (MS MARCO's are).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A read-only memory mapping of a whole file (unmapped on deinit).
final class MappedFile: @unchecked Sendable {
    let path: String
    let bytes: UnsafeBufferPointer<UInt8>
    let size: Int
    let modified: timespec

    init(_ path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw DataFormatError(file: path, line: 0, expected: "a readable file", found: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw DataFormatError(file: path, line: 0, expected: "a readable file", found: String(cString: strerror(errno)))
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw DataFormatError(file: path, line: 0, expected: "a file", found: "a directory or another kind of entry")
        }
        guard st.st_size > 0 else {
            throw DataFormatError(file: path, line: 0, expected: "a file with at least one line", found: "an empty file")
        }
        size = Int(st.st_size)
        #if canImport(Darwin)
        modified = st.st_mtimespec
        #else
        modified = st.st_mtim
        #endif
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw DataFormatError(file: path, line: 0, expected: "a file that can be mapped into memory",
                                  found: String(cString: strerror(errno)))
        }
        bytes = UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: size)
    }

    /// Drops the pages read so far from this process's resident set (they stay in the kernel's page cache and come
    /// back on the next read): after a full scan, the process does not keep the whole file resident.
    func release() { madvise(UnsafeMutableRawPointer(mutating: bytes.baseAddress!), size, MADV_DONTNEED) }

    /// Bytes of a UTF-8 byte-order mark at the start of the file (3 or 0): the first line starts after it.
    var firstLineOffset: Int { size >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0 }

    /// The line that starts at `offset` (without its "\n" and a "\r" before it) and the offset of the next line
    /// (`size` after the last).
    func line(at offset: Int) -> (text: UnsafeBufferPointer<UInt8>, next: Int) {
        let b = bytes.baseAddress!
        let rest = UnsafeRawPointer(b + offset)
        let end = memchr(rest, 0x0A, size - offset).map { rest.distance(to: UnsafeRawPointer($0)) + offset } ?? size
        var last = end
        if last > offset && b[last - 1] == 0x0D { last -= 1 }
        return (UnsafeBufferPointer(start: b + offset, count: last - offset), min(size, end + 1))
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress!), size) }
}

public final class MappedCollection: @unchecked Sendable {
    public let path: String
    /// Passages in the collection.
    public let count: Int
    /// True when pid i is on line i (0-based), so that no pid array is kept.
    public let dense: Bool
    private let file: MappedFile
    // The index: `offsets[i]` starts the line of the i-th pid in ascending order; `pids` only when not dense. Either
    // in a mapped index file or in the arrays below.
    private let indexFile: MappedFile?
    private let offsetsBase: UnsafePointer<UInt64>
    private let pidsBase: UnsafePointer<UInt64>?
    /// The index's memory when it was built here rather than mapped (freed on deinit).
    private let owned: UnsafeMutableBufferPointer<UInt64>?

    /// Bytes the index holds (what grows with the collection; the text stays in the mapped file).
    public var indexBytes: Int { count * (dense ? 8 : 16) }

    /// Maps `path` and builds its index, or maps the index kept at `indexPath` when it describes this file (size and
    /// modification time); a new index is written there (atomically) when there was none or it was stale.
    /// Throws `DataFormatError` naming the file and line for a malformed line or a pid that occurs twice.
    public init(path: String, indexPath: String? = nil) throws {
        self.path = path
        file = try MappedFile(path)
        if let indexPath, let kept = try? MappedFile(indexPath), let header = Self.header(kept), header.matches(file) {
            count = header.count; dense = header.dense
            indexFile = kept
            owned = nil
            let words = UnsafeRawPointer(kept.bytes.baseAddress!).advanced(by: Header.bytes)
            if dense {
                pidsBase = nil
                offsetsBase = words.assumingMemoryBound(to: UInt64.self)
            } else {
                pidsBase = words.assumingMemoryBound(to: UInt64.self)
                offsetsBase = words.advanced(by: 8 * count).assumingMemoryBound(to: UInt64.self)
            }
            return
        }
        let (pids, offsets, isDense) = try Self.scan(file)
        file.release()
        count = offsets.count; dense = isDense
        indexFile = nil
        let buffer = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: offsets.count * (isDense ? 1 : 2))
        if isDense {
            _ = buffer.initialize(from: offsets)
            pidsBase = nil
            offsetsBase = UnsafePointer(buffer.baseAddress!)
        } else {
            _ = UnsafeMutableBufferPointer(rebasing: buffer[0..<count]).initialize(from: pids)
            _ = UnsafeMutableBufferPointer(rebasing: buffer[count...]).initialize(from: offsets)
            pidsBase = UnsafePointer(buffer.baseAddress!)
            offsetsBase = UnsafePointer(buffer.baseAddress! + count)
        }
        owned = buffer
        if let indexPath { try writeIndex(to: indexPath) }
    }

    deinit { owned?.deallocate() }

    /// The text of passage `pid`, or nil when the collection has none.
    public func text(_ pid: Int) -> String? {
        guard let i = position(of: pid) else { return nil }
        return String(decoding: lineText(at: Int(offsetsBase[i])), as: UTF8.self)
    }

    /// The text of passage `id` (its decimal digits), or nil.
    public func text(_ id: String) -> String? {
        guard let pid = Int(id), pid >= 0 else { return nil }
        return text(pid)
    }

    /// The `i`-th passage in ascending pid order (0 ≤ i < count): its pid and text.
    public func entry(at i: Int) -> (pid: Int, text: String) {
        precondition(i >= 0 && i < count, "passage \(i) of \(count)")
        return (dense ? i : Int(pidsBase![i]), String(decoding: lineText(at: Int(offsetsBase[i])), as: UTF8.self))
    }

    /// Every passage in ascending pid order: `body(pid, text bytes)`, the bytes valid during the call only.
    public func forEach(_ body: (Int, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        for i in 0..<count {
            try body(dense ? i : Int(pidsBase![i]), lineText(at: Int(offsetsBase[i])))
        }
    }

    private func position(of pid: Int) -> Int? {
        guard pid >= 0 else { return nil }
        if dense { return pid < count ? pid : nil }
        var lo = 0, hi = count
        let key = UInt64(pid)
        while lo < hi {
            let mid = (lo + hi) / 2
            if pidsBase![mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo < count && pidsBase![lo] == key ? lo : nil
    }

    /// The text field of the line starting at `offset`: after its tab, up to "\n" (a "\r" before it dropped).
    private func lineText(at offset: Int) -> UnsafeBufferPointer<UInt8> {
        let b = file.bytes.baseAddress!, n = file.size
        var start = offset
        while start < n && b[start] != 0x09 { start += 1 }
        start += 1
        var end = start
        while end < n && b[end] != 0x0A { end += 1 }
        if end > start && b[end - 1] == 0x0D { end -= 1 }
        return UnsafeBufferPointer(start: b + min(start, n), count: max(0, end - start))
    }

    // MARK: building the index

    /// One pass over the file: every line's pid and start, checked.
    static func scan(_ file: MappedFile) throws -> (pids: [UInt64], offsets: [UInt64], dense: Bool) {
        let b = file.bytes.baseAddress!, n = file.size
        var pids: [UInt64] = [], offsets: [UInt64] = []
        var dense = true
        var pos = n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0
        var line = 0
        while pos < n {
            line += 1
            let start = pos
            var pid: UInt64 = 0, digits = 0
            while pos < n && b[pos] >= 0x30 && b[pos] <= 0x39 && digits < 19 {
                pid = pid * 10 + UInt64(b[pos] - 0x30); digits += 1; pos += 1
            }
            guard digits > 0, pos < n, b[pos] == 0x09 else {
                var end = start
                while end < n && b[end] != 0x0A { end += 1 }
                throw DataFormatError(file: file.path, line: line, expected: "pid<TAB>text with a pid of digits",
                                      found: String(decoding: UnsafeBufferPointer(start: b + start, count: end - start),
                                                    as: UTF8.self))
            }
            if dense && pid != UInt64(pids.count) { dense = false }
            pids.append(pid); offsets.append(UInt64(start))
            let textStart = pos + 1
            let rest = UnsafeRawPointer(b + textStart)
            let end = memchr(rest, 0x0A, n - textStart).map { rest.distance(to: UnsafeRawPointer($0)) + textStart } ?? n
            if memchr(rest, 0x09, end - textStart) != nil {
                throw DataFormatError(file: file.path, line: line, expected: "2 tab-separated fields (pid, text)",
                                      found: String(decoding: UnsafeBufferPointer(start: b + start, count: end - start),
                                                    as: UTF8.self))
            }
            pos = end + 1
        }
        guard !offsets.isEmpty else {
            throw DataFormatError(file: file.path, line: 0, expected: "a file with at least one line", found: "none")
        }
        if dense { return ([], offsets, true) }
        let order = pids.indices.sorted { pids[$0] != pids[$1] ? pids[$0] < pids[$1] : offsets[$0] < offsets[$1] }
        let sortedPids = order.map { pids[$0] }, sortedOffsets = order.map { offsets[$0] }
        for i in 1..<sortedPids.count where sortedPids[i] == sortedPids[i - 1] {
            let second = max(sortedOffsets[i], sortedOffsets[i - 1])
            throw DataFormatError(file: file.path, line: lineNumber(of: Int(second), in: file),
                                  expected: "each pid once", found: "pid \(sortedPids[i]) again")
        }
        return (sortedPids, sortedOffsets, false)
    }

    /// The 1-based line that starts at `offset` (counts newlines: only on the error path).
    static func lineNumber(of offset: Int, in file: MappedFile) -> Int {
        var line = 1
        for i in 0..<offset where file.bytes[i] == 0x0A { line += 1 }
        return line
    }

    struct Header {
        static let magic = Array("RDCOLIX1".utf8)
        static let bytes = 48
        var size: UInt64, seconds: Int64, nanoseconds: Int64, count: Int, dense: Bool

        func matches(_ f: MappedFile) -> Bool {
            size == UInt64(f.size) && seconds == Int64(f.modified.tv_sec) && nanoseconds == Int64(f.modified.tv_nsec)
        }
    }

    static func header(_ f: MappedFile) -> Header? {
        guard f.size >= Header.bytes, Array(f.bytes[0..<8]) == Header.magic else { return nil }
        let raw = UnsafeRawPointer(f.bytes.baseAddress!)
        func word(_ i: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)) }
        let count = Int(word(4)), dense = word(5) == 1
        guard f.size == Header.bytes + count * (dense ? 8 : 16) else { return nil }
        return Header(size: word(1), seconds: Int64(bitPattern: word(2)), nanoseconds: Int64(bitPattern: word(3)),
                      count: count, dense: dense)
    }

    private func writeIndex(to indexPath: String) throws {
        var data = Data(Header.magic)
        func put(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        put(UInt64(file.size)); put(UInt64(bitPattern: Int64(file.modified.tv_sec)))
        put(UInt64(bitPattern: Int64(file.modified.tv_nsec))); put(UInt64(count)); put(dense ? 1 : 0)
        data.reserveCapacity(Header.bytes + indexBytes)
        if !dense { for i in 0..<count { put(pidsBase![i]) } }
        for i in 0..<count { put(offsetsBase[i]) }
        let destination = URL(fileURLWithPath: indexPath)
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(getpid()).tmp")
        try data.write(to: temporary)
        try moveIntoPlace(temporary, to: destination)
    }
}
