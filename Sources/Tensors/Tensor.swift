// The Tensor: Float32 values with a shape, in contiguous row-major storage that is 64-byte aligned.
// This file is the data half (storage, shape, element access). The autograd half (gradients, the tape, ops and their
// backward passes) lives in the other files of this module.
//
// Storage is a final class owning one raw allocation, never a `[Float]`: arrays copy-on-write silently (a 30522×384
// embedding is 47 MB per copy) and bounds-check in hot loops. Hot code takes `pointer` and works on raw memory.

/// One aligned Float32 allocation. Reference semantics: tensors that share storage see each other's writes.
/// Large allocations come from, and go back to, `StoragePool.shared`, so a training step reuses the previous
/// step's buffers instead of page-faulting fresh memory.
public final class TensorStorage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int
    /// Bytes actually allocated (the pool's size class), given back with the pointer.
    private let capacity: Int

    /// Allocates `count` floats, zero-filled, 64-byte aligned.
    public convenience init(count: Int) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    /// Allocates `count` floats, 64-byte aligned, **not** initialised: for op results that are fully written at once.
    public init(uninitializedCount count: Int) {
        precondition(count >= 0, "TensorStorage needs a non-negative count, got \(count)")
        let (raw, capacity) = StoragePool.shared.take(bytes: max(count, 1) * MemoryLayout<Float>.stride)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        self.count = count
        self.capacity = capacity
        WorkingMemory.take(count * MemoryLayout<Float>.stride)
    }

    deinit {
        WorkingMemory.give(count * MemoryLayout<Float>.stride)
        StoragePool.shared.give(UnsafeMutableRawPointer(pointer), capacity: capacity)
    }

    /// An independent copy of the values.
    public func copy() -> TensorStorage {
        let s = TensorStorage(uninitializedCount: count)
        s.pointer.update(from: pointer, count: count)
        return s
    }
}

/// Number of elements of a shape (1 for a scalar shape `[]`).
@inlinable public func elementCount(_ shape: [Int]) -> Int { shape.reduce(1, *) }

/// A Float32 tensor: a shape over contiguous row-major storage, plus what autograd needs.
///
/// A tensor is a reference: ops return new tensors and record, when any input requires a gradient, how to send the
/// gradient back to their inputs (see `Autograd.swift`). Values are read and written through `storage.pointer`
/// in hot code, and through `scalars` / `subscript` in tests and glue.
public final class Tensor: @unchecked Sendable {
    public let shape: [Int]
    public let storage: TensorStorage

    /// Whether gradients flow to this tensor (parameters, and every op result that depends on one).
    public var requiresGrad: Bool
    /// The accumulated gradient, same shape, allocated on the first backward pass that reaches this tensor.
    public var grad: Tensor? {
        didSet { gradTouchedRows = nil }
    }
    /// An optional name (parameters: "encoder.layer.0.attention.query.weight"), used in messages and registries.
    public var name: String?

    // Autograd bookkeeping (see Autograd.swift). Set only on op results built while grad mode is on and some input
    // requires a gradient; cleared by `backward()` once used.
    /// The op inputs this tensor was computed from.
    var parents: [Tensor] = []
    /// Accumulates this tensor's gradient (the argument, same shape as `self`) into the parents' `.grad`.
    var backwardFn: ((Tensor) -> Void)?
    /// Row-sparse gradient bookkeeping for embedding tables: when non-nil, only these rows of `grad` (rows of
    /// `shape[0]`) can be non-zero, so `zeroGrad()` clears just them. nil: the whole gradient may be non-zero.
    var gradTouchedRows: [Int]?
    /// Set when `backward()` has consumed and released this result's part of the graph.
    var graphReleased = false

    /// Wraps existing storage (shared, not copied). The storage must hold exactly `elementCount(shape)` floats.
    public init(shape: [Int], storage: TensorStorage, requiresGrad: Bool = false) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape must be non-negative, got \(shape)")
        precondition(storage.count == elementCount(shape),
                     "Tensor shape \(shape) needs \(elementCount(shape)) floats, storage has \(storage.count)")
        self.shape = shape
        self.storage = storage
        self.requiresGrad = requiresGrad
    }

    /// A zero tensor.
    public convenience init(zeros shape: [Int], requiresGrad: Bool = false) {
        self.init(shape: shape, storage: TensorStorage(count: elementCount(shape)), requiresGrad: requiresGrad)
    }

    /// A tensor whose values are garbage until written: for op results that write every element.
    convenience init(uninitialized shape: [Int]) {
        self.init(shape: shape, storage: TensorStorage(uninitializedCount: elementCount(shape)))
    }

    /// A scalar (shape `[]`).
    public convenience init(scalar: Float, requiresGrad: Bool = false) {
        self.init(shape: [], scalars: [scalar], requiresGrad: requiresGrad)
    }

    /// A tensor holding a copy of `scalars` (row-major).
    public convenience init(shape: [Int], scalars: [Float], requiresGrad: Bool = false) {
        precondition(scalars.count == elementCount(shape),
                     "Tensor shape \(shape) needs \(elementCount(shape)) values, got \(scalars.count)")
        self.init(zeros: shape, requiresGrad: requiresGrad)
        scalars.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: scalars.count) }
    }

    /// A tensor filled with one value.
    public convenience init(repeating value: Float, shape: [Int], requiresGrad: Bool = false) {
        self.init(zeros: shape, requiresGrad: requiresGrad)
        storage.pointer.update(repeating: value, count: storage.count)
    }

    public var count: Int { storage.count }
    public var rank: Int { shape.count }
    public var pointer: UnsafeMutablePointer<Float> { storage.pointer }

    /// The single value of a one-element tensor (a loss).
    public var item: Float {
        precondition(count == 1, "item needs a one-element tensor, shape is \(shape)")
        return storage.pointer[0]
    }

    /// The values as an array (a copy).
    public var scalars: [Float] { Array(UnsafeBufferPointer(start: storage.pointer, count: storage.count)) }

    /// Flat (row-major) element access.
    public subscript(flat i: Int) -> Float {
        get { precondition(i >= 0 && i < count, "index \(i) out of range 0..<\(count)"); return storage.pointer[i] }
        set { precondition(i >= 0 && i < count, "index \(i) out of range 0..<\(count)"); storage.pointer[i] = newValue }
    }

    /// Element access by multi-index.
    public subscript(_ index: Int...) -> Float {
        get { storage.pointer[offset(index)] }
        set { storage.pointer[offset(index)] = newValue }
    }

    func offset(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) has rank \(index.count), tensor has shape \(shape)")
        var o = 0
        for (i, n) in zip(index, shape) {
            precondition(i >= 0 && i < n, "index \(index) out of range for shape \(shape)")
            o = o * n + i
        }
        return o
    }
}
