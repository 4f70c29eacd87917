// safetensors reader/writer: round trips over random tensor sets, and every kind of corrupt file gives its typed
// error naming the file (random truncations and byte flips never crash).

import Foundation
import Testing
import PropertyTesting
@testable import Tensors

@Suite struct SafeTensorsTests {
    @Test func roundTripPreservesNamesShapesBitsAndMetadata() {
        propertyCheck(TensorSetCase.gen, cases: 150) { c in
            let data = try SafeTensors.encode(c.tensors, metadata: c.metadata)
            let headerLength = data.withUnsafeBytes { Int($0.loadUnaligned(as: UInt64.self)) }
            try require(headerLength % 8 == 0, "header length \(headerLength) not padded to 8")
            let f = try SafeTensorsFile(data: data)
            try require(Set(f.names) == Set(c.tensors.keys), "names \(f.names)")
            try require(f.metadata == c.metadata, "metadata \(f.metadata)")
            for (name, t) in c.tensors {
                let back = try f.tensor(name)
                try require(back.shape == t.shape, "\(name): shape \(back.shape) ≠ \(t.shape)")
                try require(back.scalars.map(\.bitPattern) == t.scalars.map(\.bitPattern), "\(name): values differ")
            }
        }
    }

    @Test func writeIsAtomicAndReadsBack() throws {
        let dir = testScratchRoot.appendingPathComponent("st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("m.safetensors")
        let w = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        try SafeTensors.write(["w": w], metadata: ["format": "pt"], to: url)
        try SafeTensors.write(["w": w, "b": Tensor(shape: [1], scalars: [9])], metadata: [:], to: url)  // overwrite
        let (tensors, metadata) = try SafeTensors.readWithMetadata(url)
        #expect(tensors["w"]?.scalars == [1, 2, 3, 4, 5, 6])
        #expect(tensors["b"]?.scalars == [9])
        #expect(metadata.isEmpty)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(leftovers == ["m.safetensors"], "temporary files left: \(leftovers)")
        #expect(throws: SafeTensorsError.self) {
            try SafeTensors.write(["w": w], to: dir.appendingPathComponent("no/such/dir/x.safetensors"))
        }
        #expect(throws: SafeTensorsError(file: "<memory>", .badTensorName("__metadata__"))) {
            try SafeTensors.encode(["__metadata__": w])
        }
    }

    @Test func everyTruncationIsATypedError() throws {
        let c = TensorSetCase(tensors: ["a": Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6]),
                                        "b": Tensor(shape: [], scalars: [7])],
                              metadata: ["k": "v"])
        let full = try SafeTensors.encode(c.tensors, metadata: c.metadata)
        let headerEnd = 8 + full.withUnsafeBytes { Int($0.loadUnaligned(as: UInt64.self)) }
        propertyCheck(Gen<Int>.int(in: 0...(full.count - 1)), cases: 200) { cut in
            let kind = safeTensorsErrorKind(full.prefix(cut))
            switch kind {
            case .truncatedHeaderLength?: try require(cut < 8, "cut \(cut)")
            case .headerTooLarge?: try require(cut >= 8 && cut < headerEnd, "cut \(cut)")
            case .offsetsOutOfRange?, .gap?: try require(cut >= headerEnd, "cut \(cut)")
            default: throw PropertyFailure("cut at \(cut) of \(full.count) gave \(String(describing: kind))")
            }
        }
        // Random truncations and byte flips of random files never crash: they parse or throw a SafeTensorsError.
        propertyCheck(Gen.zip(TensorSetCase.gen, .int(in: 0...10_000), .int(in: 0...255)), cases: 200) { c, at, byte in
            var data = try SafeTensors.encode(c.tensors, metadata: c.metadata)
            if at % 2 == 0 { data[at % data.count] = UInt8(byte) } else { data = data.prefix(at % data.count) }
            if case .io? = safeTensorsErrorKind(data) { throw PropertyFailure("unexpected error type") }
        }
    }

    @Test func corruptHeadersGiveTheirErrors() {
        let four = [UInt8](repeating: 0, count: 4)
        func kind(_ header: String, _ buffer: [UInt8] = four, length: UInt64? = nil) -> SafeTensorsError.Kind? {
            safeTensorsErrorKind(makeSafeTensorsFile(header: header, buffer: buffer, headerLength: length))
        }
        let ok = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        #expect(kind(ok) == nil)
        #expect(safeTensorsErrorKind(Data([1, 2, 3])) == .truncatedHeaderLength(fileSize: 3))
        #expect(kind(ok, length: 1 << 40) == .headerTooLarge(headerLength: 1 << 40, fileSize: 8 + ok.utf8.count + 4))
        #expect(kind(ok, length: UInt64(ok.utf8.count + 5)) == .headerTooLarge(headerLength: UInt64(ok.utf8.count + 5),
                                                                               fileSize: 8 + ok.utf8.count + 4))
        if case .badHeader? = kind(#"{"a":{"dtype":"F32","#) {} else { Issue.record("bad JSON not reported") }
        if case .badHeader? = kind("[1,2]") {} else { Issue.record("non-object header not reported") }
        if case .badHeader? = kind(#"{"__metadata__":{"k":1}}"#, []) {} else { Issue.record("non-string metadata") }
        #expect(kind(#"{"a":{"dtype":"F31","shape":[1],"data_offsets":[0,4]}}"#)
                == .unknownDType(tensor: "a", dtype: "F31"))
        #expect(kind(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}"#)
                == .offsetsOutOfRange(tensor: "a", begin: 0, end: 8, bufferSize: 4))
        #expect(kind(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#)
                == .offsetsOutOfRange(tensor: "a", begin: 4, end: 0, bufferSize: 4))
        #expect(kind(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#)
                == .sizeMismatch(tensor: "a", shape: [2], dtype: "F32", expectedBytes: 8, actualBytes: 4))
        #expect(kind(#"{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"F16","shape":[1],"data_offsets":[2,4]}}"#)
                == .overlap(tensor: "b", other: "a"))
        #expect(kind(#"{"a":{"dtype":"F16","shape":[1],"data_offsets":[2,4]}}"#) == .gap(at: 0, bufferSize: 4))
        #expect(kind(#"{"a":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}"#) == .gap(at: 2, bufferSize: 4))
        for bad in [#"{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#,
                    #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#,
                    #"{"a":{"dtype":"F32","shape":[true],"data_offsets":[0,4]}}"#,
                    #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#,
                    #"{"a":{"shape":[1],"data_offsets":[0,4]}}"#,
                    #"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#,
                    #"{"a":[1]}"#] {
            if case .badEntry(tensor: "a", _)? = kind(bad) {} else { Issue.record("not a bad entry: \(bad)") }
        }
    }

    @Test func errorsNameTheFileAndTensor() throws {
        let url = testScratchRoot.appendingPathComponent("bad-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try makeSafeTensorsFile(header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}"#, buffer: [0, 0])
            .write(to: url)
        do { _ = try SafeTensors.read(url); Issue.record("truncated file was read") } catch let e as SafeTensorsError {
            #expect(e.file == url.path)
            #expect(e.description.contains(url.path) && e.description.contains("'w'"), "\(e)")
        }
        #expect(throws: SafeTensorsError.self) {
            try SafeTensors.read(URL(fileURLWithPath: "/no/such.safetensors"))
        }
        let f = try SafeTensorsFile(data: try SafeTensors.encode(["x": Tensor(shape: [1], scalars: [1])]))
        #expect(throws: SafeTensorsError(file: "<memory>", .missingTensor("y"))) { try f.tensor("y") }
    }

    @Test func integerTensorsConvertExactlyOrRefuse() throws {
        var buffer: [UInt8] = []
        for v: Int64 in [5, -3, 16_777_217] { withUnsafeBytes(of: v.littleEndian) { buffer += $0 } }
        let f = try SafeTensorsFile(data: makeSafeTensorsFile(
            header: #"{"i":{"dtype":"I64","shape":[3],"data_offsets":[0,24]}}"#, buffer: buffer))
        #expect(try f.int64s("i") == [5, -3, 16_777_217])
        #expect(throws: SafeTensorsError(file: "<memory>", .notExactInFloat(tensor: "i", value: 16_777_217))) {
            try f.tensor("i")
        }
        let g = try SafeTensorsFile(data: makeSafeTensorsFile(
            header: #"{"e":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}"#, buffer: [1, 2]))
        #expect(throws: SafeTensorsError(file: "<memory>", .unsupportedDType(tensor: "e", dtype: "F8_E4M3"))) {
            try g.tensor("e")
        }
    }
}

/// Docs/SafeTensors.md's example: write a file, read one tensor back by name (the page shows this function).
func safeTensorsExample(folder: URL) throws -> Tensor {
    let w = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    try SafeTensors.write(["embeddings.word_embeddings.weight": w], metadata: ["format": "pt"],
                          to: folder.appendingPathComponent("model.safetensors"))
    let file = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
    return try file.tensor("embeddings.word_embeddings.weight")       // [2, 3], as written
}

@Suite struct SafeTensorsPageExampleTests {
    @Test func thePagesExampleRoundTrips() throws {
        let dir = testScratchRoot.appendingPathComponent("st-doc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = try safeTensorsExample(folder: dir)
        #expect(t.shape == [2, 3] && t.scalars == [1, 2, 3, 4, 5, 6])
    }
}
