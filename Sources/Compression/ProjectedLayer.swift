// A narrow student layer started from a teacher layer (ours; the paper's narrow students start random): the teacher's
// layer seen through the PCA matrix P = W [k × d] (orthonormal rows), so that a student state h' = P·h meets weights
// that act on it as the teacher's act on h. Design and caveats: Docs/Compression.md, "Next: a narrow student
// initialised from the teacher".
//
//   attention   keep k/headDim of the teacher's heads; per kept head W_q' = W_q[head rows]·Pᵀ (likewise K, V),
//               W_o' = P·W_o[:, kept columns], b_o' = P·b_o
//   FFN         keep f of the teacher's neurons: W_1' = W_1[kept]·Pᵀ, b_1' = b_1[kept]; W_2' = P·W_2[:, kept], b_2' = P·b_2
//   LayerNorm   γ' = diag(P·diag(γ)·Pᵀ) = Σ_j P_ij² γ_j,  β' = P·β  (LayerNorm over d does not commute with P: an
//               approximation; exact when P = I)
//
// Which heads and neurons: a data-free score, the share of the head's (neuron's) output weights that lands in the
// kept subspace, ‖P·W_o[:, head]‖_F (‖P·W_2[:, j]‖ · ‖W_1[j]·Pᵀ‖ for a neuron); ties keep the lower index. With
// P = I and every head and neuron kept, the result equals the teacher layer (tested).
import Tensors
import Student

extension StudentInitialisation {
    /// `teacher` (hidden d, its heads of `headDim`) seen through `p` [k, d]: `heads` heads of headDim (heads·headDim
    /// = k) and `intermediate` feed-forward neurons, chosen as the file comment says.
    public static func projectedLayer(_ teacher: BertLayer, projection p: Tensor, headDim: Int, heads: Int,
                                      intermediate f: Int) throws -> BertLayer {
        let k = p.shape[0], d = p.shape[1]
        let teacherHeads = teacher.query.weight.shape[0] / headDim, teacherF = teacher.intermediate.weight.shape[0]
        guard teacher.query.weight.shape == [d, d], heads * headDim == k, heads <= teacherHeads, f <= teacherF else {
            throw StudentInitialisationError(description:
                "projected layer: teacher hidden \(teacher.query.weight.shape), P \(p.shape), \(heads) heads of "
                + "\(headDim) (need heads·headDim = k ≤ \(teacherHeads)·\(headDim)), \(f) of \(teacherF) neurons")
        }
        let P = p.scalars
        let wo = teacher.attentionOutput.weight.scalars, w1 = teacher.intermediate.weight.scalars
        let w2 = teacher.output.weight.scalars

        // Scores: how much of each head's / neuron's output lands in span(Pᵀ).
        let projectedWo = multiply(P, k, d, wo, d)           // P·W_o [k, d]
        let projectedW2 = multiply(P, k, d, w2, teacherF)    // P·W_2 [k, F]
        let headScore = (0..<teacherHeads).map { h in
            (0..<k).reduce(0.0) { acc, i in
                acc + (0..<headDim).reduce(0.0) { a, j in let x = Double(projectedWo[i * d + h * headDim + j]); return a + x * x }
            }
        }
        let w1P = multiplyTransposed(w1, teacherF, d, P, k)  // W_1·Pᵀ [F, k]
        let neuronScore = (0..<teacherF).map { j -> Double in
            let out = (0..<k).reduce(0.0) { a, i in let x = Double(projectedW2[i * teacherF + j]); return a + x * x }
            let inn = (0..<k).reduce(0.0) { a, i in let x = Double(w1P[j * k + i]); return a + x * x }
            return (out * inn).squareRoot()
        }
        let keptHeads = topIndices(headScore, heads), keptNeurons = topIndices(neuronScore, f)
        let rows = keptHeads.flatMap { h in (h * headDim)..<((h + 1) * headDim) }

        func headLinear(_ l: Linear) -> Linear {   // rows of the kept heads, input seen through Pᵀ
            let w = l.weight.scalars, b = l.bias?.scalars
            let picked = rows.flatMap { r in w[(r * d)..<((r + 1) * d)] }
            return Linear(weight: Tensor(shape: [k, k], scalars: multiplyTransposed(picked, k, d, P, k)),
                          bias: b.map { b in Tensor(shape: [k], scalars: rows.map { b[$0] }) })
        }
        let attentionOutput = Linear(
            weight: Tensor(shape: [k, k], scalars: (0..<k).flatMap { i in rows.map { projectedWo[i * d + $0] } }),
            bias: teacher.attentionOutput.bias.map { Tensor(shape: [k], scalars: multiply(P, k, d, $0.scalars, 1)) })
        let intermediate = Linear(
            weight: Tensor(shape: [f, k], scalars: keptNeurons.flatMap { j in w1P[(j * k)..<((j + 1) * k)] }),
            bias: teacher.intermediate.bias.map { b in let s = b.scalars; return Tensor(shape: [f], scalars: keptNeurons.map { s[$0] }) })
        let output = Linear(
            weight: Tensor(shape: [k, f], scalars: (0..<k).flatMap { i in keptNeurons.map { projectedW2[i * teacherF + $0] } }),
            bias: teacher.output.bias.map { Tensor(shape: [k], scalars: multiply(P, k, d, $0.scalars, 1)) })
        func norm(_ n: LayerNorm) -> LayerNorm {
            let g = n.gamma.scalars, b = n.beta.scalars
            let gamma = (0..<k).map { i in (0..<d).reduce(Float(0)) { a, j in a + P[i * d + j] * P[i * d + j] * g[j] } }
            return LayerNorm(gamma: Tensor(shape: [k], scalars: gamma), beta: Tensor(shape: [k], scalars: multiply(P, k, d, b, 1)))
        }
        return BertLayer(query: headLinear(teacher.query), key: headLinear(teacher.key), value: headLinear(teacher.value),
                         attentionOutput: attentionOutput, attentionNorm: norm(teacher.attentionNorm),
                         intermediate: intermediate, output: output, outputNorm: norm(teacher.outputNorm),
                         activation: teacher.activation)
    }

    /// The `count` largest scores' indices, in increasing index order (ties keep the lower index).
    static func topIndices(_ scores: [Double], _ count: Int) -> [Int] {
        Array(scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }.prefix(count)).sorted()
    }
}

/// A [m × n] · B [n × q] (or · Bᵀ with B stored [q × n] when `transposedB`), row-major: the package's reference
/// product (Double accumulator), exact enough for an initialisation and bit-stable.
private func product(_ a: [Float], _ m: Int, _ n: Int, _ b: [Float], _ q: Int, transposedB: Bool) -> [Float] {
    var c = [Float](repeating: 0, count: m * q)
    Kernels.sgemmReference(transA: false, transB: transposedB, m: m, n: q, k: n, a: a, lda: n, b: b,
                           ldb: transposedB ? n : q, c: &c, ldc: q)
    return c
}

private func multiply(_ a: [Float], _ m: Int, _ n: Int, _ b: [Float], _ q: Int) -> [Float] {
    product(a, m, n, b, q, transposedB: false)
}

private func multiplyTransposed(_ a: [Float], _ m: Int, _ n: Int, _ b: [Float], _ q: Int) -> [Float] {
    product(a, m, n, b, q, transposedB: true)
}
