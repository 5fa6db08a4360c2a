import Tensors

/// Per-sample Jacobians of a batched function.
///
/// `f` maps a batch `[B, ...input]` to `[B, ...output]` and must treat the samples
/// independently (no batch statistics). The result has shape `[B, outputCount, inputCount]`
/// with `J[b, i, j] = d f(x)[b, i] / d x[b, j]` over the flattened per-sample axes.
///
/// Rows are computed in chunks: the batch is replicated `chunkSize` times, replica `r`
/// receives the unit cotangent of output row `i0 + r`, and one backward pass yields
/// `chunkSize` rows of every sample's Jacobian. The number of backward passes is
/// `ceil(outputCount / chunkSize)`, not `outputCount`.
public func batchedJacobian<Scalar>(
  of f: (Variable<Scalar>) -> Variable<Scalar>, at x: Tensor<Scalar>, chunkSize: Int = 32
) -> Tensor<Scalar> {
  precondition(x.rank >= 1, "batchedJacobian needs a leading batch axis")
  precondition(chunkSize >= 1, "chunkSize must be positive")
  let batch = x.shape[0]
  let inputCount = x.count / Swift.max(batch, 1)
  // Probe the output shape with the unreplicated batch.
  let probe = f(Variable(x))
  precondition(probe.shape.first == batch, "f changed the batch size from \(batch) to \(probe.shape.first ?? 0)")
  let outputCount = probe.value.count / Swift.max(batch, 1)
  var jacobian = [Scalar](repeating: 0, count: batch * outputCount * inputCount)
  var row = 0
  while row < outputCount {
    let chunk = Swift.min(chunkSize, outputCount - row)
    let replicated = chunk == 1 ? x : Tensor.concatenate(Array(repeating: x, count: chunk), axis: 0)
    let input = Variable(replicated, requiresGradient: true)
    let y = f(input)
    var cotangent = Tensor<Scalar>.zeros(y.shape)
    for r in 0..<chunk {
      for b in 0..<batch {
        let index: Int = (r * batch + b) * outputCount + row + r
        cotangent[flat: index] = 1
      }
    }
    let g = vectorJacobianProduct(of: y, cotangent: cotangent, withRespectTo: [input])[0]
    g.scalars.withUnsafeBufferPointer { gb in
      jacobian.withUnsafeMutableBufferPointer { jb in
        for r in 0..<chunk {
          for b in 0..<batch {
            let src = (r * batch + b) * inputCount
            let dst = (b * outputCount + row + r) * inputCount
            for j in 0..<inputCount { jb[dst + j] = gb[src + j] }
          }
        }
      }
    }
    row += chunk
  }
  return Tensor(shape: [batch, outputCount, inputCount], scalars: jacobian)
}
