// The storage pool behind TensorStorage: size classes, reuse, the idle limit, and zero-filled tensors from reused
// buffers.

import Testing
@testable import Tensors
import PropertyTesting

@Suite struct StoragePoolTests {
    @Test func sizeClassesWorkedExamples() {
        #expect(StoragePool.sizeClass(100_000) == 114_688)        // 2¹⁶ · 1.75
        #expect(StoragePool.sizeClass(140_000) == 163_840)        // 2¹⁷ · 1.25
        #expect(StoragePool.sizeClass(131_072) == 131_072)        // a class is its own class
        #expect(StoragePool.sizeClass(1000) == 1000)              // below the pooled minimum: not rounded
    }

    @Test func sizeClassesCoverTheRequestWithinAQuarterOctave() {
        propertyCheck(Gen<Int>.int(in: StoragePool.minimumPooledBytes...(1 << 34)), cases: 2000) { bytes in
            let c = StoragePool.sizeClass(bytes)
            try require(c >= bytes && Double(c) <= Double(bytes) * 1.25, "\(bytes) → \(c)")
            try require(StoragePool.sizeClass(c) == c, "class of a class: \(c)")
            try require(c % 64 == 0, "classes keep 64-byte multiples: \(c)")
        }
    }

    @Test func freedBuffersAreReusedAndTheIdleLimitHolds() {
        let pool = StoragePool(idleLimitBytes: 1 << 20)
        let a = pool.take(bytes: 200_000)
        #expect(a.capacity == StoragePool.sizeClass(200_000))
        #expect(Int(bitPattern: a.pointer) % 64 == 0)
        pool.give(a.pointer, capacity: a.capacity)
        #expect(pool.statistics.idleBytes == a.capacity)
        // The same class, and a slightly smaller request of a lower class, get the idle buffer back.
        let b = pool.take(bytes: 190_000)
        #expect(b.pointer == a.pointer && b.capacity == a.capacity)
        #expect(pool.statistics.idleBytes == 0)
        // A request far smaller than the idle buffer does not take it (waste bounded to 3 classes).
        pool.give(b.pointer, capacity: b.capacity)
        let small = pool.take(bytes: 70_000)
        #expect(small.pointer != b.pointer)
        pool.give(small.pointer, capacity: small.capacity)
        // Past the limit the longest-idle buffers go first.
        let big = (0..<6).map { _ in pool.take(bytes: 300_000) }
        for x in big { pool.give(x.pointer, capacity: x.capacity) }
        #expect(pool.statistics.idleBytes <= 1 << 20)
        pool.trim()
        #expect(pool.statistics.idleBytes == 0)
    }

    @Test func zeroTensorsFromReusedStorageAreZero() {
        for _ in 0..<3 {
            let t = Tensor(repeating: 7, shape: [300, 301])    // 361 kB: pooled
            #expect(t.scalars.allSatisfy { $0 == 7 })
        }
        let z = Tensor(zeros: [300, 301])
        #expect(z.scalars.allSatisfy { $0 == 0 })
    }
}
