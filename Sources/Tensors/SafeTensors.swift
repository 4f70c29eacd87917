// Reading the safetensors format (Hugging Face): the file format every model folder of the papers' era ships its
// weights in (Docs/SafeTensors.md; used to load all-MiniLM-L6-v2 and to save students).
//
// Layout: an 8-byte little-endian header length N, then N bytes of JSON
//   {"name": {"dtype": "F32", "shape": [d0, d1, …], "data_offsets": [begin, end]}, …, "__metadata__": {str: str}}
// then the byte buffer; offsets are relative to the buffer's start. The header is validated as the reference (Rust)
// implementation does: N fits in the file (and ≤ 100 MB), the JSON is an object of well-formed entries, every
// dtype is known, end − begin = product(shape) × dtype size, ranges lie inside the buffer, do not overlap and tile it
// with no gap. Any failure is a `SafeTensorsError` naming the file. Leaves out: big-endian hosts, lazy per-tensor
// mapping into `Tensor` (values are copied once into 64-byte-aligned storage).

import Foundation

/// One tensor's header entry.
public struct SafeTensorsEntry: Equatable, Sendable {
    public let name: String
    public let dtype: SafeTensorsDType
    public let shape: [Int]
    /// Byte range inside the data buffer (after the header).
    public let begin: Int, end: Int
    public var count: Int { elementCount(shape) }
}

/// A parsed safetensors file: its validated header and its bytes (memory-mapped when read from disk).
public struct SafeTensorsFile: @unchecked Sendable {
    /// Path (or label) used in errors.
    public let file: String
    /// Entries in the order of their data offsets.
    public let entries: [SafeTensorsEntry]
    /// The `__metadata__` object (empty when absent).
    public let metadata: [String: String]
    let bytes: Data
    let bufferStart: Int
    let index: [String: Int]

    /// Maps (or reads) `url` and validates its header. Tensor values are read on demand by `tensor(_:)`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw SafeTensorsError(file: url.path, .io("\(error.localizedDescription)"))
        }
        try self.init(data: data, file: url.path)
    }

    /// Parses an in-memory file; `file` labels errors.
    public init(data: Data, file: String = "<memory>") throws {
        self.file = file
        // Copy into a fresh zero-based Data when given a slice, so that offsets below are plain indices.
        let bytes = data.startIndex == 0 ? data : Data(data)
        self.bytes = bytes
        func fail(_ k: SafeTensorsError.Kind) -> SafeTensorsError { SafeTensorsError(file: file, k) }

        guard bytes.count >= 8 else { throw fail(.truncatedHeaderLength(fileSize: bytes.count)) }
        let n = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard n <= 100_000_000, n <= UInt64(bytes.count - 8) else {
            throw fail(.headerTooLarge(headerLength: n, fileSize: bytes.count))
        }
        let headerEnd = 8 + Int(n)
        bufferStart = headerEnd
        let bufferSize = bytes.count - headerEnd

        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<headerEnd), options: [])
        } catch {
            throw fail(.badHeader("not valid JSON (\(error.localizedDescription))"))
        }
        guard let object = json as? [String: Any] else { throw fail(.badHeader("not a JSON object")) }

        var metadata: [String: String] = [:]
        var entries: [SafeTensorsEntry] = []
        for (name, value) in object {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw fail(.badHeader("__metadata__ is not an object")) }
                for (k, v) in m {
                    guard let s = v as? String else { throw fail(.badHeader("__metadata__['\(k)'] is not a string")) }
                    metadata[k] = s
                }
                continue
            }
            entries.append(try Self.parseEntry(name, value, bufferSize: bufferSize, fail: fail))
        }
        // Sort by offsets (then name, so that empty tensors at one offset have a fixed order) and check tiling.
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var cursor = 0
        var previous: String?
        for e in entries {
            if e.begin < cursor, let p = previous { throw fail(.overlap(tensor: e.name, other: p)) }
            if e.begin > cursor { throw fail(.gap(at: cursor, bufferSize: bufferSize)) }
            cursor = e.end
            if e.end > e.begin { previous = e.name }
        }
        if cursor != bufferSize { throw fail(.gap(at: cursor, bufferSize: bufferSize)) }

        self.entries = entries
        self.metadata = metadata
        self.index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.name, $0) })
    }

    private static func parseEntry(_ name: String, _ value: Any, bufferSize: Int,
                                   fail: (SafeTensorsError.Kind) -> SafeTensorsError) throws -> SafeTensorsEntry {
        func bad(_ d: String) -> SafeTensorsError { fail(.badEntry(tensor: name, detail: d)) }
        guard let dict = value as? [String: Any] else { throw bad("entry is not a JSON object") }
        guard let dtypeString = dict["dtype"] as? String else { throw bad("missing or non-string 'dtype'") }
        guard let dtype = SafeTensorsDType(rawValue: dtypeString) else {
            throw fail(.unknownDType(tensor: name, dtype: dtypeString))
        }
        guard let shape = nonNegativeInts(dict["shape"]) else {
            throw bad("'shape' is not an array of non-negative integers")
        }
        guard let offsets = nonNegativeInts(dict["data_offsets"]), offsets.count == 2 else {
            throw bad("'data_offsets' is not a pair of non-negative integers")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end, end <= bufferSize else {
            throw fail(.offsetsOutOfRange(tensor: name, begin: begin, end: end, bufferSize: bufferSize))
        }
        var bytes = dtype.byteSize
        for d in shape {
            let (p, overflow) = bytes.multipliedReportingOverflow(by: d)
            guard !overflow else { throw bad("shape \(shape) overflows") }
            bytes = p
        }
        guard bytes == end - begin else {
            throw fail(.sizeMismatch(tensor: name, shape: shape, dtype: dtypeString,
                                     expectedBytes: bytes, actualBytes: end - begin))
        }
        return SafeTensorsEntry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// Integers from a JSON array, or nil if any element is not a non-negative integer (1.5, "3", -1, true).
    private static func nonNegativeInts(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var out: [Int] = []
        out.reserveCapacity(array.count)
        for v in array {
            // JSON integers arrive as NSNumbers of an integer C type; booleans are "c", non-integers "d".
            guard let n = v as? NSNumber, "islqISLQ".contains(String(cString: n.objCType)),
                  n.int64Value >= 0 else { return nil }
            out.append(Int(n.int64Value))
        }
        return out
    }

    /// Tensor names in offset order.
    public var names: [String] { entries.map(\.name) }

    public func entry(_ name: String) throws -> SafeTensorsEntry {
        guard let i = index[name] else { throw SafeTensorsError(file: file, .missingTensor(name)) }
        return entries[i]
    }

    /// The tensor `name` as Float32 (F16/BF16/F64 widened or narrowed, integers converted exactly or an error).
    public func tensor(_ name: String) throws -> Tensor {
        let e = try entry(name)
        guard e.dtype.convertsToFloat else {
            throw SafeTensorsError(file: file, .unsupportedDType(tensor: name, dtype: e.dtype.rawValue))
        }
        let t = Tensor(zeros: e.shape)
        var inexact: Int64?
        bytes.withUnsafeBytes { raw in
            e.dtype.convert(raw.baseAddress! + bufferStart + e.begin, count: e.count, into: t.pointer,
                            inexact: &inexact)
        }
        if let v = inexact { throw SafeTensorsError(file: file, .notExactInFloat(tensor: name, value: v)) }
        return t
    }

    /// The I64 tensor `name` as its exact values (row-major).
    public func int64s(_ name: String) throws -> [Int64] {
        let e = try entry(name)
        guard e.dtype == .i64 else {
            throw SafeTensorsError(file: file, .badEntry(tensor: name, detail: "is \(e.dtype.rawValue), not I64"))
        }
        return bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress! + bufferStart + e.begin
            return (0..<e.count).map { Int64(littleEndian: base.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) }
        }
    }

    /// Every tensor as Float32.
    public func tensors() throws -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for e in entries { out[e.name] = try tensor(e.name) }
        return out
    }
}

/// Reading and writing safetensors files in one call.
public enum SafeTensors {
    /// All tensors of the file at `url` as Float32 (see `SafeTensorsFile.tensor(_:)` for the conversions).
    public static func read(_ url: URL) throws -> [String: Tensor] {
        try SafeTensorsFile(contentsOf: url).tensors()
    }

    /// All tensors and the `__metadata__` object.
    public static func readWithMetadata(_ url: URL) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let f = try SafeTensorsFile(contentsOf: url)
        return (try f.tensors(), f.metadata)
    }
}
