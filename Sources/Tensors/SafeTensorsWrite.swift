// Writing the safetensors format: Float32 tensors plus a string metadata map, as the reference implementation
// writes them — the header JSON lists `__metadata__` first, then the tensors sorted by name, with data in the same
// order, and is padded with spaces to a multiple of 8 bytes so that the buffer starts 8-byte aligned. The file is
// written to a temporary file and renamed (`Data.write(options: .atomic)`): a reader never sees half a file.
// Leaves out: writing F16/BF16/I64 (students are saved in Float32).

import Foundation

extension SafeTensors {
    /// The bytes of a safetensors file holding `tensors` (Float32) and `metadata`.
    /// Throws `.badTensorName` for an empty name or the reserved `__metadata__`.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:],
                              file: String = "<memory>") throws -> Data {
        let names = tensors.keys.sorted()
        for n in names where n.isEmpty || n == "__metadata__" {
            throw SafeTensorsError(file: file, .badTensorName(n))
        }
        var header = "{"
        var parts: [String] = []
        if !metadata.isEmpty {
            let m = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            parts.append("\"__metadata__\":{\(m.joined(separator: ","))}")
        }
        var offset = 0
        for n in names {
            let t = tensors[n]!
            let bytes = t.count * 4
            let shape = t.shape.map(String.init).joined(separator: ",")
            parts.append("\(jsonString(n)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
        }
        header += parts.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        headerBytes += [UInt8](repeating: 0x20, count: (8 - headerBytes.count % 8) % 8)

        var data = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: headerBytes)
        for n in names {
            let t = tensors[n]!
            data.append(UnsafeBufferPointer(start: t.pointer, count: t.count))   // little-endian host
        }
        return data
    }

    /// Writes `tensors` and `metadata` to `url` atomically (temporary file, then rename).
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws {
        let data = try encode(tensors, metadata: metadata, file: url.path)
        do { try data.write(to: url, options: .atomic) } catch {
            throw SafeTensorsError(file: url.path, .io("\(error.localizedDescription)"))
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, everything else as UTF-8.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
