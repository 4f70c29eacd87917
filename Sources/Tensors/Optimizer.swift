// Adam and AdamW with bias correction, global gradient-norm clipping, per-group learning-rate scales, and a state
// that can be saved and restored for resumable training. The update itself is `Kernels.adamStep`.
//
// For each parameter p with gradient g, at step t (from 1), learning rate η (schedule × group scale):
//   clip:   if maxGradNorm c is set and N = √(Σ_all g²) > c:  g ← g · c / (N + 1e-6)      (torch clip_grad_norm_)
//   Adam:   g ← g + λ·p                                   (coupled L2, torch.optim.Adam weight_decay)
//   m ← β1·m + (1−β1)·g;   v ← β2·v + (1−β2)·g²;   m̂ = m/(1−β1ᵗ);   v̂ = v/(1−β2ᵗ)
//   p ← p − η·(m̂/(√v̂ + ε) + λ_decoupled·p)               (AdamW: λ_decoupled = λ; Adam: 0)
// Parameters whose gradient was never allocated are skipped (as PyTorch skips grad = None). Gradients are zeroed
// in place by `zeroGrad()`, so a parameter that was reached once keeps being updated afterwards (PyTorch with
// `zero_grad(set_to_none=False)`). Embedding tables are updated densely (every row), as `torch.optim.Adam`.

/// Which weight decay the optimiser applies.
public enum WeightDecayMode: String, Sendable, Codable {
    /// Coupled L2: λ·p is added to the gradient before the moments (torch.optim.Adam).
    case adam
    /// Decoupled: p ← p − η·λ·p beside the Adam step (Loshchilov & Hutter; torch.optim.AdamW).
    case adamW
}

/// Hyper-parameters of Adam / AdamW (defaults: PyTorch's, with AdamW's weight decay 0.01).
public struct AdamConfig: Sendable, Codable, Equatable {
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var eps: Float = 1e-8
    public var weightDecay: Float = 0.01
    public var mode: WeightDecayMode = .adamW
    /// Global L2 norm limit for the gradients (nil: no clipping).
    public var maxGradNorm: Float? = nil
    public init(beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 0.01,
                mode: WeightDecayMode = .adamW, maxGradNorm: Float? = nil) {
        self.beta1 = beta1; self.beta2 = beta2; self.eps = eps; self.weightDecay = weightDecay
        self.mode = mode; self.maxGradNorm = maxGradNorm
    }
}

/// Parameters that share a learning-rate scale and weight decay (e.g. TK's kernel scalers at 10× the rate,
/// or biases and LayerNorm weights without decay).
public struct ParameterGroup: Sendable {
    public var parameters: [NamedParameter]
    public var learningRateScale: Float
    /// nil: the optimiser's `config.weightDecay`.
    public var weightDecay: Float?
    public init(_ parameters: [NamedParameter], learningRateScale: Float = 1, weightDecay: Float? = nil) {
        self.parameters = parameters; self.learningRateScale = learningRateScale; self.weightDecay = weightDecay
    }
}

/// The optimiser's resumable state: the step count and the two moment tensors of every parameter, by name.
public struct OptimizerState: Sendable {
    public var step: Int
    public var names: [String]
    public var m: [Tensor]
    public var v: [Tensor]

    /// Flat list for a tensor file: "adam.m.<name>" and "adam.v.<name>" (the step is stored by the caller).
    public var namedTensors: [(name: String, tensor: Tensor)] {
        zip(names, zip(m, v)).flatMap { n, mv in [("adam.m.\(n)", mv.0), ("adam.v.\(n)", mv.1)] }
    }

    public init(step: Int, names: [String], m: [Tensor], v: [Tensor]) {
        self.step = step; self.names = names; self.m = m; self.v = v
    }

    /// Rebuilds a state from `namedTensors` output and a step.
    public init(step: Int, namedTensors: [(name: String, tensor: Tensor)]) {
        var ms: [String: Tensor] = [:], vs: [String: Tensor] = [:], order: [String] = []
        for (n, t) in namedTensors {
            if n.hasPrefix("adam.m.") { let k = String(n.dropFirst(7)); ms[k] = t; order.append(k) }
            if n.hasPrefix("adam.v.") { vs[String(n.dropFirst(7))] = t }
        }
        self.init(step: step, names: order, m: order.map { ms[$0]! }, v: order.map { vs[$0] ?? Tensor(zeros: ms[$0]!.shape) })
    }
}

/// Why an optimiser state could not be restored.
public struct OptimizerStateError: Error, CustomStringConvertible {
    public let description: String
}

/// Adam / AdamW over named parameter groups.
public final class AdamW: @unchecked Sendable {
    public let config: AdamConfig
    public let groups: [ParameterGroup]
    /// Number of updates taken so far (t of the last update).
    public private(set) var step = 0
    private var m: [TensorStorage]
    private var v: [TensorStorage]

    public init(groups: [ParameterGroup], config: AdamConfig = AdamConfig()) {
        self.groups = groups
        self.config = config
        let all = groups.flatMap(\.parameters)
        precondition(Set(all.map(\.name)).count == all.count, "optimiser parameter names must be unique")
        m = all.map { TensorStorage(count: $0.tensor.count) }
        v = all.map { TensorStorage(count: $0.tensor.count) }
    }

    public convenience init(_ parameters: [NamedParameter], config: AdamConfig = AdamConfig()) {
        self.init(groups: [ParameterGroup(parameters)], config: config)
    }

    public var parameters: [NamedParameter] { groups.flatMap(\.parameters) }

    /// Zeroes every parameter's gradient (in place; embedding tables only in their touched rows).
    public func zeroGrad() { for p in parameters { p.tensor.zeroGrad() } }

    /// Global L2 norm of all gradients, √(Σ g²), accumulated in Double.
    public func gradientNorm() -> Float {
        var s = 0.0
        for p in parameters {
            guard let g = p.tensor.grad else { continue }
            let pg = g.pointer
            var part: Float = 0
            for i in 0..<g.count { part += pg[i] * pg[i] }
            s += Double(part)
        }
        return Float(s.squareRoot())
    }

    /// One update with learning rate `learningRate` (times each group's scale). Returns the global gradient
    /// norm before clipping.
    @discardableResult
    public func step(learningRate: Float) -> Float {
        let norm = gradientNorm()
        var clip: Float = 1
        if let c = config.maxGradNorm, norm > c { clip = c / (norm + 1e-6) }
        step += 1
        var k = 0
        for group in groups {
            let lr = learningRate * group.learningRateScale
            let wd = group.weightDecay ?? config.weightDecay
            for p in group.parameters {
                defer { k += 1 }
                guard let g = p.tensor.grad else { continue }
                let n = p.tensor.count
                var gp = UnsafePointer(g.pointer)
                var scratch: TensorStorage?
                if clip != 1 || (config.mode == .adam && wd != 0) {
                    let s = TensorStorage(uninitializedCount: n)
                    let src = g.pointer, dst = s.pointer, w = p.tensor.pointer
                    let coupled: Float = config.mode == .adam ? wd : 0
                    for i in 0..<n { dst[i] = src[i] * clip + coupled * w[i] }
                    scratch = s
                    gp = UnsafePointer(s.pointer)
                }
                Kernels.adamStep(param: p.tensor.pointer, grad: gp, m: m[k].pointer, v: v[k].pointer, count: n,
                                 lr: lr, beta1: config.beta1, beta2: config.beta2, eps: config.eps,
                                 decoupledWeightDecay: config.mode == .adamW ? wd : 0, step: step)
                withExtendedLifetime(scratch) {}
            }
        }
        return norm
    }

    /// A copy of the moments and step, for a checkpoint.
    public func state() -> OptimizerState {
        let ps = parameters
        return OptimizerState(step: step, names: ps.map(\.name),
                              m: zip(ps, m).map { Tensor(shape: $0.tensor.shape, storage: $1.copy()) },
                              v: zip(ps, v).map { Tensor(shape: $0.tensor.shape, storage: $1.copy()) })
    }

    /// Restores a state saved by `state()`: names and shapes must match this optimiser's parameters.
    public func load(_ state: OptimizerState) throws {
        let ps = parameters
        guard state.names == ps.map(\.name) else {
            throw OptimizerStateError(description: "optimiser state has parameters \(state.names.prefix(3))… (\(state.names.count)), expected \(ps.map(\.name).prefix(3))… (\(ps.count))")
        }
        for (i, p) in ps.enumerated() where state.m[i].shape != p.tensor.shape || state.v[i].shape != p.tensor.shape {
            throw OptimizerStateError(description: "optimiser state for \(p.name) has shape \(state.m[i].shape), expected \(p.tensor.shape)")
        }
        for i in 0..<ps.count {
            m[i].pointer.update(from: state.m[i].pointer, count: m[i].count)
            v[i].pointer.update(from: state.v[i].pointer, count: v[i].count)
        }
        step = state.step
    }
}
