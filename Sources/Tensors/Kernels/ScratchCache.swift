// A small cache of 64-byte-aligned scratch buffers for the GEMM packing, so that a product does not allocate (and,
// for megabyte-sized buffers, page-fault fresh memory from the kernel) on every call. Buffers are taken and given
// back under a mutex; at most `limit` idle buffers are kept. Leaves out: per-thread affinity of buffers.

import Synchronization

struct ScratchBuffer: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let byteCount: Int
    /// The bytes asked for when `ScratchCache.take` handed it out (counted in `WorkingMemory` until given back).
    var requested = 0
}

final class ScratchCache: Sendable {
    static let shared = ScratchCache()
    private let idle = Mutex<[ScratchBuffer]>([])
    private let limit = 8

    /// A buffer of at least `byteCount` bytes: the smallest cached one that is big enough (so that a small request
    /// does not take the one a large product — a shared packed operand of up to 32 MiB — will want next), else a new
    /// one.
    func take(_ byteCount: Int) -> ScratchBuffer {
        let cached: ScratchBuffer? = idle.withLock { list in
            guard let i = list.indices.filter({ list[$0].byteCount >= byteCount })
                .min(by: { list[$0].byteCount < list[$1].byteCount }) else { return nil }
            return list.remove(at: i)
        }
        WorkingMemory.take(byteCount)
        var buffer = cached ?? ScratchBuffer(pointer: .allocate(byteCount: byteCount, alignment: 64), byteCount: byteCount)
        buffer.requested = byteCount
        return buffer
    }

    /// Returns a buffer to the cache (the smallest one is freed when the cache is full).
    func give(_ buffer: ScratchBuffer) {
        WorkingMemory.give(buffer.requested)
        let evicted: ScratchBuffer? = idle.withLock { list in
            list.append(buffer)
            guard list.count > limit, let i = list.indices.min(by: { list[$0].byteCount < list[$1].byteCount })
            else { return nil }
            return list.remove(at: i)
        }
        evicted?.pointer.deallocate()
    }
}
