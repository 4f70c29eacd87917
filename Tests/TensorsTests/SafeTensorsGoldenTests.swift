// safetensors against the reference library: files written by Python `safetensors` (Tests/Fixtures/Tensors, made
// by make_safetensors_golden.py) read back exactly, the Swift writer reproduces its bytes, F16/BF16 widening is
// exact, and the real all-MiniLM-L6-v2 weights load with the names and shapes PyTorch reports.

import Foundation
import Testing
import PropertyTesting
@testable import Tensors

@Suite struct SafeTensorsGoldenTests {
    @Test func readsFileWrittenByPythonSafetensors() throws {
        let f = try SafeTensorsFile(contentsOf: SafeTensorsFixtures.folder.appendingPathComponent("mixed.safetensors"))
        let expected = try JSONSerialization.jsonObject(
            with: Data(contentsOf: SafeTensorsFixtures.folder.appendingPathComponent("mixed.json"))) as! [String: Any]
        #expect(f.metadata == expected["__metadata__"] as? [String: String])
        #expect(Set(f.names) == Set(expected.keys).subtracting(["__metadata__"]))
        #expect(f.entries.map(\.dtype.rawValue).sorted() == ["BF16", "F16", "F32", "F32", "F32", "I64"])
        for (name, value) in expected where name != "__metadata__" {
            let e = value as! [String: Any]
            let t = try f.tensor(name)
            #expect(t.shape == e["shape"] as! [Int], "\(name)")
            let want: [Float] = (e["values"] as! [Any]).map { v in
                if let s = v as? String { return s == "inf" ? .infinity : -.infinity }
                return (v as! NSNumber).floatValue
            }
            #expect(t.scalars.map(\.bitPattern) == want.map(\.bitPattern), "\(name): \(t.scalars) ≠ \(want)")
        }
        #expect(try f.int64s("ids") == [0, 1, 101, 102, -7])
        #expect(try f.entry("half").dtype == .f16)
    }

    @Test func writerReproducesReferenceBytes() throws {
        let url = SafeTensorsFixtures.folder.appendingPathComponent("f32only.safetensors")
        let reference = try Data(contentsOf: url)
        let f = try SafeTensorsFile(contentsOf: url)
        #expect(f.metadata == ["note": "quote\" and é"])
        #expect(try f.tensor("z").shape == [])
        #expect(try f.tensor("b.bias").scalars == [0.5, -1.5])
        let ours = try SafeTensors.encode(try f.tensors(), metadata: f.metadata)
        #expect(ours == reference, "\(String(decoding: ours.prefix(260), as: UTF8.self))")
    }

    @Test func halfPrecisionWideningKnownValues() {
        let f16: [(UInt16, Float)] = [(0x3C00, 1), (0xC000, -2), (0x3800, 0.5), (0x7BFF, 65504), (0x0001, 0x1p-24),
                                      (0x03FF, 0x1.FF8p-15), (0x0400, 0x1p-14), (0x8000, -0.0), (0x7C00, .infinity),
                                      (0xFC00, -.infinity), (0x3555, 0.333251953125)]
        for (bits, want) in f16 {
            #expect(float16BitsToFloat(bits).bitPattern == want.bitPattern, "half \(String(bits, radix: 16))")
        }
        #expect(float16BitsToFloat(0x7E00).isNaN && float16BitsToFloat(0x7C01).isNaN)
        let bf16: [(UInt16, Float)] = [(0x3F80, 1), (0x4049, 3.140625), (0xBC00, -0.0078125), (0xFF80, -.infinity),
                                       (0x0001, Float(bitPattern: 0x0001_0000))]
        for (bits, want) in bf16 { #expect(bfloat16BitsToFloat(bits).bitPattern == want.bitPattern) }
    }

    #if !(os(macOS) && arch(x86_64))
    @Test func halfPrecisionWideningMatchesFloat16ForAllBitPatterns() {
        var mismatches: [UInt16] = []
        for b in 0...UInt16.max {
            let ours = float16BitsToFloat(b), theirs = Float(Float16(bitPattern: b))
            if ours.isNaN ? !theirs.isNaN : ours.bitPattern != theirs.bitPattern { mismatches.append(b) }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }
    #endif

    @Test(.enabled(if: SafeTensorsFixtures.miniLMAvailable, "needs ../shared/models/all-MiniLM-L6-v2"))
    func readsRealMiniLMWeights() throws {
        let f = try SafeTensorsFile(contentsOf: SafeTensorsFixtures.miniLM)
        #expect(f.metadata == ["format": "pt"])
        #expect(f.entries.count == 104)   // 6 embedding tensors + 6 × 16 layer tensors + 2 pooler tensors
        let shapes = Dictionary(uniqueKeysWithValues: f.entries.map { ($0.name, $0.shape) })
        #expect(shapes["embeddings.word_embeddings.weight"] == [30522, 384])
        #expect(shapes["embeddings.position_embeddings.weight"] == [512, 384])
        #expect(shapes["embeddings.token_type_embeddings.weight"] == [2, 384])
        #expect(shapes["embeddings.position_ids"] == [1, 512])
        #expect(shapes["pooler.dense.weight"] == [384, 384])
        for l in 0..<6 {
            let p = "encoder.layer.\(l)."
            #expect(shapes[p + "attention.self.query.weight"] == [384, 384])
            #expect(shapes[p + "intermediate.dense.weight"] == [1536, 384])
            #expect(shapes[p + "output.dense.weight"] == [384, 1536])
            #expect(shapes[p + "output.LayerNorm.bias"] == [384])
            #expect(f.names.filter { $0.hasPrefix(p) }.count == 16)
        }
        #expect(try f.int64s("embeddings.position_ids") == (0..<512).map(Int64.init))
        let all = try f.tensors()
        // Values printed by Python safetensors.numpy.load_file for the same file.
        let word = all["embeddings.word_embeddings.weight"]!
        let row101 = Array(word.scalars[(101 * 384)..<(101 * 384 + 4)])
        #expect(row101 == [-0.01761939749121666, -0.007600549608469009, 0.047105543315410614, -0.08691827207803726])
        #expect(word[30521, 383] == 0.004570063669234514)
        let sum = all["encoder.layer.5.output.dense.weight"]!.scalars.reduce(0.0) { $0 + Double($1) }
        #expect(abs(sum - -53.19849107446487) < 1e-6)
        #expect(all["embeddings.position_ids"]!.scalars.last == 511)
    }
}
