// Helpers for the safetensors tests: fixture and shared-data locations, hand-built files, random tensor sets.

import Foundation
import PropertyTesting
import Tensors

enum SafeTensorsFixtures {
    /// Tests/Fixtures/Tensors, found from this source file (no bundle resources needed).
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Tensors")
    /// ../shared relative to the package root.
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")
    static let miniLM = shared.appendingPathComponent("models/all-MiniLM-L6-v2/model.safetensors")
    static var miniLMAvailable: Bool { FileManager.default.fileExists(atPath: miniLM.path) }
}

/// A safetensors file from a literal header and buffer; `headerLength` overrides the 8-byte length field.
func makeSafeTensorsFile(header: String, buffer: [UInt8], headerLength: UInt64? = nil) -> Data {
    var d = Data()
    let h = Array(header.utf8)
    withUnsafeBytes(of: (headerLength ?? UInt64(h.count)).littleEndian) { d.append(contentsOf: $0) }
    d.append(contentsOf: h)
    d.append(contentsOf: buffer)
    return d
}

/// The error kind thrown by parsing `data`, or nil when it parses.
func safeTensorsErrorKind(_ data: Data) -> SafeTensorsError.Kind? {
    do { _ = try SafeTensorsFile(data: data, file: "t.safetensors"); return nil } catch let e as SafeTensorsError {
        return e.kind
    } catch { return .io("unexpected error type \(error)") }
}

/// A random set of named tensors (any Float32 bit pattern, shapes of rank 0–3 with zero-size dimensions) plus
/// random metadata. No shrinking: failures print the seed to replay.
struct TensorSetCase: CustomStringConvertible {
    var tensors: [String: Tensor]
    var metadata: [String: String]
    var description: String {
        "tensors " + tensors.keys.sorted().map { "\($0.debugDescription): \(tensors[$0]!.shape)" }
            .joined(separator: ", ") + " metadata \(metadata)"
    }

    static var gen: Gen<TensorSetCase> { Gen<TensorSetCase>(generate: { rng in
        let nameGen = Gen<String>.messyText(count: 1...12)
        var tensors: [String: Tensor] = [:]
        for _ in 0..<rng.nextInt(below: 6) {
            let name = nameGen.generate(&rng)
            if name == "__metadata__" { continue }
            let shape = Gen<[Int]>.shape(rank: 0...3, dim: 0...5).generate(&rng)
            let scalars = (0..<elementCount(shape)).map { _ in
                Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
            }
            tensors[name] = Tensor(shape: shape, scalars: scalars)
        }
        var metadata: [String: String] = [:]
        for _ in 0..<rng.nextInt(below: 3) {
            metadata[nameGen.generate(&rng)] = Gen<String>.messyText(count: 0...20).generate(&rng)
        }
        return TensorSetCase(tensors: tensors, metadata: metadata)
    }) }
}
