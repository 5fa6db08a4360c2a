import Tensors

/// Vector-Jacobian products of a batched function for many cotangents per sample.
///
/// `f` maps a batch `[B, ...input]` to `[B, ...output]` and must treat the samples
/// independently. For cotangent rows `r` in `0..<rows` (each a per-sample cotangent of the
/// output), this computes `g[r, b] = v[r, b]^T J_f(x_b)` in chunks of `chunkSize` rows: the
/// batch is replicated once per row of the chunk, the replicas are run through `f` together,
/// and one backward pass yields every row of the chunk for every sample. The number of
/// backward passes is `ceil(rows / chunkSize)`, not `rows`.
///
/// - Parameters:
///   - cotangents: for a range of rows and the per-sample output shape, the cotangents
///     `[rows.count, B, ...output]` (row-major over rows, then samples).
///   - body: receives each chunk's rows and the products `[rows.count, B, ...input]`.
public func forEachVectorJacobianProduct<Scalar>(
  of f: (Variable<Scalar>) throws -> Variable<Scalar>, at x: Tensor<Scalar>, rows: Int, chunkSize: Int = 32,
  cotangents: (_ rows: Range<Int>, _ outputShape: [Int]) throws -> Tensor<Scalar>,
  _ body: (_ rows: Range<Int>, _ products: Tensor<Scalar>) throws -> Void
) rethrows {
  precondition(x.rank >= 1, "forEachVectorJacobianProduct needs a leading batch axis")
  precondition(chunkSize >= 1, "chunkSize must be positive")
  let batch = x.shape[0]
  let inputShape = Array(x.shape.dropFirst())
  var start = 0
  while start < rows {
    let end = Swift.min(rows, start + chunkSize)
    let chunk = end - start
    let replicated = chunk == 1 ? x : Tensor.concatenate(Array(repeating: x, count: chunk), axis: 0)
    let input = Variable(replicated, requiresGradient: true)
    let y = try f(input)
    precondition(y.shape.first == batch * chunk, "f changed the batch size")
    let outputShape = Array(y.shape.dropFirst())
    let v = try cotangents(start..<end, outputShape)
    precondition(
      v.shape == [chunk, batch] + outputShape, "cotangents \(v.shape) for rows \(start)..<\(end) do not fit \(outputShape)")
    let g = vectorJacobianProduct(of: y, cotangent: v.reshaped(y.shape), withRespectTo: [input])[0]
    try body(start..<end, g.reshaped([chunk, batch] + inputShape))
    start = end
  }
}
