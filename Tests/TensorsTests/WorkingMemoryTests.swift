// WorkingMemory: tensor storage, GEMM scratch and packed weight copies are counted while in use, and the peak is of
// what is held at once. Other tests run in this process at the same time and move the counters, so each bound uses
// sizes far above what they hold, or the best of three tries.

import Testing
@testable import Tensors

@Suite struct WorkingMemoryTests {
    static let mib = 1 << 20

    @Test func storageIsCountedWhileAliveAndNotAfter() {
        // 1,000 buffers of 4 MiB taken and dropped: a count not given back on release would leave 4 GiB counted.
        let before = WorkingMemory.bytesInUse
        for _ in 0..<1000 { _ = TensorStorage(uninitializedCount: Self.mib) }
        #expect(abs(WorkingMemory.bytesInUse - before) < 1 << 30)
        let held = (0..<3).map { _ in
            let s = TensorStorage(uninitializedCount: 64 * Self.mib / 4)
            return withExtendedLifetime(s) { WorkingMemory.bytesInUse - before }
        }
        #expect(held.max()! >= 64 * Self.mib - 8 * Self.mib, "\(held)")
    }

    @Test func thePeakIsWhatIsHeldAtOnce() {
        let floats = 64 * Self.mib / 4
        let together = (0..<3).map { _ in
            WorkingMemory.peakGrowth {
                let a = TensorStorage(uninitializedCount: floats), b = TensorStorage(uninitializedCount: floats)
                withExtendedLifetime((a, b)) {}
            }
        }
        let inTurn = (0..<3).map { _ in
            WorkingMemory.peakGrowth {
                withExtendedLifetime(TensorStorage(uninitializedCount: floats)) {}
                withExtendedLifetime(TensorStorage(uninitializedCount: floats)) {}
            }
        }
        #expect(together.max()! >= 128 * Self.mib, "\(together)")
        #expect(inTurn.min()! >= 64 * Self.mib && inTurn.min()! < 96 * Self.mib, "\(inTurn)")
    }

    @Test func gemmScratchAndPackedWeightsAreCounted() {
        // x [8, 1024] · W [1024, 1024]: B is packed into scratch (far more than the 32 KiB output) — no tensor storage.
        // Inside `withPackedWeights`, a linear layer's packed copy of Wᵀ (1024 × 1024 floats, 4 MiB) is held until the
        // scope ends.
        let n = 1024
        let x = Tensor(shape: [8, n], scalars: (0..<(8 * n)).map { Float($0 % 7) })
        let w = Tensor(shape: [n, n], scalars: (0..<(n * n)).map { Float($0 % 5) })
        let scratch = (0..<3).map { _ in WorkingMemory.peakGrowth { _ = withNoGrad { x.matmul(w) } } }
        #expect(scratch.max()! >= 512 << 10, "\(scratch)")
        var inScope: [Int] = [], afterScope: [Int] = []
        for _ in 0..<3 {
            let before = WorkingMemory.bytesInUse
            Kernels.withPackedWeights {
                let y = withNoGrad { x.linear(weight: w) }
                withExtendedLifetime(y) { inScope.append(WorkingMemory.bytesInUse - before) }
            }
            afterScope.append(WorkingMemory.bytesInUse - before)
        }
        #expect(inScope.max()! >= 4 * Self.mib, "\(inScope)")
        #expect(afterScope.min()! < 2 * Self.mib, "\(afterScope)")
    }
}
