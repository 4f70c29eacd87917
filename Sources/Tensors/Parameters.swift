// Parameter registry and initialisers: models list their trainable tensors by name, in a fixed order, so that the
// optimiser, checkpoints and safetensors files all agree ("encoder.layer.0.attention.self.query.weight").

/// A named trainable tensor.
public typealias NamedParameter = (name: String, tensor: Tensor)

/// Collects named parameters; `add` marks the tensor as requiring a gradient and names it.
public struct ParameterList: Sendable {
    public private(set) var items: [NamedParameter] = []
    public init() {}

    /// Registers `tensor` under `name` (names must be unique) and returns it.
    @discardableResult
    public mutating func add(_ name: String, _ tensor: Tensor) -> Tensor {
        precondition(!items.contains { $0.name == name }, "parameter name \(name) registered twice")
        tensor.requiresGrad = true
        tensor.name = name
        items.append((name, tensor))
        return tensor
    }

    /// Registers every parameter of `other` with `prefix.` prepended to its name.
    public mutating func add(prefix: String, _ other: [NamedParameter]) {
        for p in other { add(prefix.isEmpty ? p.name : "\(prefix).\(p.name)", p.tensor) }
    }

    public var tensors: [Tensor] { items.map(\.tensor) }
    public var count: Int { items.count }
    /// Total number of scalars.
    public var scalarCount: Int { items.reduce(0) { $0 + $1.tensor.count } }
    public subscript(name: String) -> Tensor? { items.first { $0.name == name }?.tensor }
}

extension Tensor {
    /// Values drawn from N(0, std²) (BERT initialises weights with std 0.02).
    public static func randomNormal(_ shape: [Int], std: Float = 1, rng: inout Xoshiro256,
                                    requiresGrad: Bool = false) -> Tensor {
        let t = Tensor(zeros: shape, requiresGrad: requiresGrad)
        let p = t.pointer
        for i in 0..<t.count { p[i] = rng.nextGaussian() * std }
        return t
    }

    /// Values drawn from U[low, high).
    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1, rng: inout Xoshiro256,
                                     requiresGrad: Bool = false) -> Tensor {
        let t = Tensor(zeros: shape, requiresGrad: requiresGrad)
        let p = t.pointer
        for i in 0..<t.count { p[i] = low + (high - low) * rng.nextFloat() }
        return t
    }
}
