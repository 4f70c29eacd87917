// A short printable form of a tensor for debugging and test messages: shape, then up to 8 leading values.

extension Tensor: CustomStringConvertible {
    public var description: String {
        let n = Swift.min(count, 8)
        let vals = (0..<n).map { "\(pointer[$0])" }.joined(separator: ", ")
        let more = count > n ? ", … (\(count) values)" : ""
        let tag = name.map { " \($0)" } ?? ""
        return "Tensor\(tag)\(shape) [\(vals)\(more)]\(requiresGrad ? " requiresGrad" : "")"
    }
}
