// libm entry points for the autograd ops, under a namespace so they never collide with `Kernels.exp` & co.
// Used only where tensors are small (scores, losses, TK kernel outputs); large element-wise work goes to `Kernels`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

enum LibM {
    @inline(__always) static func exp(_ x: Float) -> Float { libmExpf(x) }
    @inline(__always) static func log(_ x: Float) -> Float { libmLogf(x) }
    @inline(__always) static func log1p(_ x: Float) -> Float { libmLog1pf(x) }
    @inline(__always) static func pow(_ x: Float, _ y: Float) -> Float { libmPowf(x, y) }
    @inline(__always) static func exp(_ x: Double) -> Double { libmExp(x) }
    @inline(__always) static func log(_ x: Double) -> Double { libmLog(x) }
}

@inline(__always) private func libmExpf(_ x: Float) -> Float { expf(x) }
@inline(__always) private func libmLogf(_ x: Float) -> Float { logf(x) }
@inline(__always) private func libmLog1pf(_ x: Float) -> Float { log1pf(x) }
@inline(__always) private func libmPowf(_ x: Float, _ y: Float) -> Float { powf(x, y) }
@inline(__always) private func libmExp(_ x: Double) -> Double { exp(x) }
@inline(__always) private func libmLog(_ x: Double) -> Double { log(x) }
