// Reverse-mode automatic differentiation: the tape, the backward pass, gradient accumulation and grad mode.
//
// Every op (Ops+*.swift) computes its forward result and, when grad mode is on and some input requires a gradient,
// records on the result its `parents` and a `backwardFn` closure that, given the result's gradient, *adds* the
// inputs' gradients into their `.grad` (micrograd style: each op's backward sits right under its forward).
// `loss.backward()` orders the graph topologically from the loss, seeds dL/dL = 1 and runs the closures in reverse
// order; a tensor used twice receives both contributions because every closure accumulates (+=).
// By default the graph is freed as it is consumed (PyTorch's `retain_graph=False`) and the gradients of
// intermediate (non-leaf) results are dropped; leaf tensors (parameters) keep theirs until `zeroGrad()`.
//
// Leaves out: higher-order gradients (backward closures do not build graphs), in-place ops on graph tensors.

/// Whether ops record the graph. On by default; `withNoGrad { … }` turns it off for inference (no closures, no
/// saved activations). Task-local, so concurrent tasks (and the threads of a synchronous caller) see their own mode.
public enum GradMode {
    @TaskLocal public static var isEnabled: Bool = true
}

/// Runs `body` with grad mode off: ops build no graph and dropout is the identity.
@discardableResult
public func withNoGrad<T>(_ body: () throws -> T) rethrows -> T {
    try GradMode.$isEnabled.withValue(false) { try body() }
}

/// Runs `body` with grad mode on (inside a `withNoGrad` scope).
@discardableResult
public func withGrad<T>(_ body: () throws -> T) rethrows -> T {
    try GradMode.$isEnabled.withValue(true) { try body() }
}

extension Tensor {
    /// True when an op applied to these inputs must record a backward closure.
    @inline(__always)
    static func recording(_ inputs: Tensor...) -> Bool {
        guard GradMode.isEnabled else { return false }
        for t in inputs where t.requiresGrad { return true }
        return false
    }

    /// Marks `self` (an op result) as depending on `parents` through `backward`.
    @inline(__always)
    func record(_ parents: [Tensor], _ backward: @escaping (Tensor) -> Void) {
        requiresGrad = true
        self.parents = parents
        backwardFn = backward
    }

    /// A leaf is a tensor not produced by a recorded op (a parameter or an input).
    public var isLeaf: Bool { backwardFn == nil && !graphReleased }

    // MARK: gradient accumulation helpers (used by the backward closures)

    /// Adds into this tensor's gradient through `body(pointer)`, which must *add* (+=) into the buffer.
    /// Allocates a zero gradient on first use. Ignored when `self` does not require a gradient.
    @inline(__always)
    func accumulateGrad(_ body: (UnsafeMutablePointer<Float>) -> Void) {
        guard requiresGrad else { return }
        if let g = grad {
            body(g.pointer)
            gradTouchedRows = nil   // a dense write: any row may now be non-zero
        } else {
            let g = Tensor(zeros: shape)
            body(g.pointer)
            grad = g
        }
    }

    /// Adds into this tensor's gradient a value that `body(pointer)` *writes* (=) into a buffer of `count` floats.
    /// On first use the gradient is written directly (no extra pass); otherwise through a scratch buffer and an add.
    @inline(__always)
    func writeOrAccumulateGrad(_ body: (UnsafeMutablePointer<Float>) -> Void) {
        guard requiresGrad else { return }
        if let g = grad {
            let scratch = TensorStorage(uninitializedCount: count)
            body(scratch.pointer)
            let dst = g.pointer, src = scratch.pointer
            for i in 0..<count { dst[i] += src[i] }
            gradTouchedRows = nil
        } else {
            let g = Tensor(uninitialized: shape)
            body(g.pointer)
            grad = g
        }
    }

    /// This tensor's gradient buffer for a kernel that accumulates (+=) into it, allocated (zero) on first use.
    /// The caller must only add. Requires `requiresGrad`.
    func gradBufferForAccumulation() -> UnsafeMutablePointer<Float> {
        precondition(requiresGrad, "gradient buffer requested for a tensor that requires no gradient")
        if grad == nil { grad = Tensor(zeros: shape) }
        gradTouchedRows = nil
        return grad!.pointer
    }

    /// Adds `g` (same element count) into this tensor's gradient: a copy on first use, one fused add afterwards.
    @inline(__always)
    func addGrad(_ g: Tensor) {
        guard requiresGrad else { return }
        precondition(g.count == count, "gradient of \(g.count) values for a tensor of shape \(shape)")
        if let existing = grad {
            let d = existing.pointer, s = g.pointer
            for i in 0..<count { d[i] += s[i] }
            gradTouchedRows = nil
        } else {
            grad = Tensor(shape: shape, storage: g.storage.copy())
        }
    }

    // MARK: backward

    /// Back-propagates from this tensor: accumulates d(self)/d(leaf) · seed into the `.grad` of every leaf that
    /// requires a gradient. `gradient` is the seed (same shape as `self`); omitted, `self` must hold one element and
    /// the seed is 1. With `retainGraph` false (default) the graph is released as it is used and intermediate
    /// gradients are dropped, so a second `backward()` through the same graph is a precondition failure.
    public func backward(gradient: Tensor? = nil, retainGraph: Bool = false) {
        if let g = gradient {
            precondition(g.shape == shape, "backward seed shape \(g.shape) must equal the tensor's shape \(shape)")
        } else {
            precondition(count == 1, "backward() without a seed needs a one-element tensor, shape is \(shape)")
        }
        precondition(!graphReleased, "backward() twice through the same graph; pass retainGraph: true to the first")
        precondition(requiresGrad, "backward() on a tensor that does not require a gradient (built under no-grad?)")
        let order = topologicalOrder()
        let seed = gradient.map { Tensor(shape: shape, storage: $0.storage.copy()) }
            ?? Tensor(repeating: 1, shape: shape)
        if let existing = grad, isLeaf {
            for i in 0..<count { existing.pointer[i] += seed.pointer[i] }
            gradTouchedRows = nil
        } else {
            grad = seed
        }
        // Reverse topological order: a node runs only after every consumer has added its contribution.
        for node in order.reversed() {
            guard let fn = node.backwardFn else { continue }
            guard let g = node.grad else { continue }   // no path from the loss reached it (cannot happen)
            fn(g)
            node.grad = nil   // intermediate gradients are not kept (PyTorch: only leaves keep .grad)
            if !retainGraph {
                node.backwardFn = nil
                node.parents = []
                node.graphReleased = true
            }
        }
    }

    /// The nodes reachable from `self` through `parents`, each after all of its parents (iterative DFS, so deep
    /// graphs do not overflow the stack).
    func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Int)] = [(self, 0)]
        visited.insert(ObjectIdentifier(self))
        while let (node, n0) = stack.popLast() {
            precondition(!node.graphReleased,
                         "backward through a graph that an earlier backward() released; pass retainGraph: true to the first")
            var next = n0
            if next < node.parents.count {
                let p = node.parents[next]
                next += 1
                stack.append((node, next))
                if p.requiresGrad && visited.insert(ObjectIdentifier(p)).inserted { stack.append((p, 0)) }
            } else {
                order.append(node)
            }
        }
        return order
    }

    /// Sets the gradient to zero, keeping its allocation. For an embedding table whose gradient only the
    /// embedding op has written since the last reset, only the touched rows are cleared (O(used rows)).
    public func zeroGrad() {
        guard let g = grad else { return }
        if let rows = gradTouchedRows, shape.count >= 1, shape[0] > 0 {
            let width = count / shape[0]
            for r in rows { (g.pointer + r * width).update(repeating: 0, count: width) }
        } else {
            g.pointer.update(repeating: 0, count: count)
        }
        gradTouchedRows = []   // all zero now: row tracking is valid again
    }

    /// A tensor with the same values and no graph: gradients do not flow through it (shares storage).
    public func detached() -> Tensor { Tensor(shape: shape, storage: storage) }
}

/// Zeroes the gradients of all `parameters`.
public func zeroGrad(_ parameters: [Tensor]) { for p in parameters { p.zeroGrad() } }
