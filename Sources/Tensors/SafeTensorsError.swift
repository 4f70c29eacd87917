// Errors of the safetensors reader and writer: one typed value per way a file can be wrong, always naming the file
// (and the tensor, where there is one). A truncated, inconsistent or hostile file gives one of these, never a crash.

/// What was wrong with a safetensors file, and in which file.
public struct SafeTensorsError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// The file could not be read or written (the system's message).
        case io(String)
        /// Fewer than the 8 bytes of the header length.
        case truncatedHeaderLength(fileSize: Int)
        /// The 8-byte header length is larger than the file (or than the 100 MB cap of the reference implementation).
        case headerTooLarge(headerLength: UInt64, fileSize: Int)
        /// The header is not a JSON object of the expected form (`detail` says what).
        case badHeader(String)
        /// A tensor entry lacks a field or has one of the wrong type.
        case badEntry(tensor: String, detail: String)
        /// A dtype string the format does not define.
        case unknownDType(tensor: String, dtype: String)
        /// A dtype the format defines that this reader does not convert to Float32 (e.g. F8_E4M3, U64).
        case unsupportedDType(tensor: String, dtype: String)
        /// `data_offsets` reach outside the byte buffer or have end < begin.
        case offsetsOutOfRange(tensor: String, begin: Int, end: Int, bufferSize: Int)
        /// `end - begin` differs from the byte size implied by shape × dtype.
        case sizeMismatch(tensor: String, shape: [Int], dtype: String, expectedBytes: Int, actualBytes: Int)
        /// Two tensors' byte ranges overlap.
        case overlap(tensor: String, other: String)
        /// Bytes of the buffer that no tensor covers (the reference implementation requires tensors to tile it).
        case gap(at: Int, bufferSize: Int)
        /// No tensor of that name in the file.
        case missingTensor(String)
        /// An integer tensor holds a value a Float32 cannot represent exactly (|v| > 2^24); read it as Int64.
        case notExactInFloat(tensor: String, value: Int64)
        /// A tensor name the writer refuses (empty, or the reserved `__metadata__`).
        case badTensorName(String)
    }

    /// The file (its path), or a caller-given label for in-memory buffers.
    public let file: String
    public let kind: Kind

    public init(file: String, _ kind: Kind) { self.file = file; self.kind = kind }

    public var description: String {
        let what: String
        switch kind {
        case .io(let m): what = "cannot read or write: \(m)"
        case .truncatedHeaderLength(let n):
            what = "truncated: \(n) bytes, fewer than the 8-byte header length"
        case .headerTooLarge(let n, let size):
            what = "header length \(n) does not fit in the file (\(size) bytes; at most 100,000,000 allowed)"
        case .badHeader(let d): what = "bad JSON header: \(d)"
        case .badEntry(let t, let d): what = "tensor '\(t)': \(d)"
        case .unknownDType(let t, let d): what = "tensor '\(t)': unknown dtype '\(d)'"
        case .unsupportedDType(let t, let d): what = "tensor '\(t)': dtype \(d) cannot be read as Float32 here"
        case .offsetsOutOfRange(let t, let b, let e, let n):
            what = "tensor '\(t)': data_offsets [\(b), \(e)] outside the \(n)-byte buffer (file truncated?)"
        case .sizeMismatch(let t, let s, let d, let exp, let act):
            what = "tensor '\(t)': shape \(s) of \(d) needs \(exp) bytes, data_offsets give \(act)"
        case .overlap(let t, let o): what = "tensors '\(t)' and '\(o)' overlap"
        case .gap(let at, let n): what = "bytes from \(at) of the \(n)-byte buffer belong to no tensor"
        case .missingTensor(let t): what = "no tensor named '\(t)'"
        case .notExactInFloat(let t, let v): what = "tensor '\(t)': value \(v) is not exact in Float32; read as Int64"
        case .badTensorName(let t): what = "tensor name '\(t)' is not allowed"
        }
        return "\(file): safetensors: \(what)"
    }
}
