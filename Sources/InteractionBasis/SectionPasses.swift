import Autodiff
import Foundation
import Tensors

/// The Jacobian passes through one section: for every batch of samples, the gradients of the
/// next layer's features with respect to the start layer's activation, chunk by chunk of
/// cotangent rows (``forEachVectorJacobianProduct(of:at:rows:chunkSize:cotangents:_:)``).
/// Batches run in parallel (OpenBLAS at one thread meanwhile); partial sums are added in batch
/// order, so results do not depend on the thread count.
struct SectionPasses: Sendable {
  let section: FoldedSection
  let batches: ActivationBatches
  let rows: OutputRows
  let chunk: Int
  let threads: Int
  let constantStep: Double

  /// `S = (1/N) sum_x sum_rows w sum_s g g^T` in the start layer's coordinates (`[n, n]`),
  /// where `g = d (C'_i^T f'_t) / d f_s`, and the constant feature's metric
  /// `Lambda_0 = (1/N) sum_x sum_{t,i} (d f'^_{t,i} / d c)^2`.
  func metric(mean: Tensor<Double>) throws -> (gram: Tensor<Double>, constant: Double) {
    let n = section.start.width
    let parts = try ParallelWork.map(batches.batchCount, threads: threads) { b -> (Tensor<Double>, Double) in
      let f = try batches.activations(b, layers: [section.start])[0]
      var s = Tensor<Double>.zeros([n, n])
      try forEachGradient(f, batch: b) { _, g in
        let flat = g.reshaped([-1, n])
        s += flat.matmul(flat, transposeSelf: true)
      }
      let projected = try constantProjection(f, mean: mean)
      return (s * rows.weight, (projected * projected).sum().scalar)
    }
    var total = Tensor<Double>.zeros([n, n])
    var constant = 0.0
    for (s, c) in parts {
      total += s
      constant += c
    }
    let count = Double(batches.sampleCount)
    guard total.isFinite, constant.isFinite else {
      throw InteractionBasisError.nonFinite("Jacobians of section \(section.start.site) -> \(section.end.site)")
    }
    return (total / count, constant / count)
  }

  /// The interaction graph `E_ij = (1/N) sum_x sum_t (sum_s df'^_{t,i}/df^_{s,j} f^_{s,j})^2`,
  /// `[k', k + 1]`, column 0 the constant feature (`sum_s df'/df^_{s,0} f^_{s,0} = df'/dc`).
  func edges(start basis: LayerBasis) throws -> Tensor<Double> {
    let (n, k, kOut) = (section.start.width, basis.size, rows.features)
    let parts = try ParallelWork.map(batches.batchCount, threads: threads) { b -> Tensor<Double> in
      let f = try batches.activations(b, layers: [section.start])[0]
      let batch = f.shape[0]
      let p = section.start.positions
      let features = basis.features(f.reshaped([-1, n])).reshaped([1, batch, p, k])
      var e = [Double](repeating: 0, count: kOut * (k + 1))
      try forEachGradient(f, batch: b) { range, g in
        let gFeatures = g.reshaped([-1, n]).matmul(basis.inverse, transposeOther: true).reshaped([range.count, batch, p, k])
        let inner = (gFeatures * features).sum(axis: 2)
        let strength = (inner * inner).sum(axis: 1)
        for (offset, r) in range.enumerated() {
          let i = rows.feature(ofRow: r)
          for j in 0..<k { e[i * (k + 1) + j + 1] += rows.weight * strength[flat: offset * k + j] }
        }
      }
      let projected = try constantProjection(f, mean: basis.mean)
      let constant = (projected * projected).sum(axis: 0).sum(axis: 0)
      for i in 0..<kOut { e[i * (k + 1)] += constant[flat: i] }
      return Tensor(shape: [kOut, k + 1], scalars: e)
    }
    var total = Tensor<Double>.zeros([kOut, k + 1])
    for part in parts { total += part }
    guard total.isFinite else {
      throw InteractionBasisError.nonFinite("edges of section \(section.start.site) -> \(section.end.site)")
    }
    return total / Double(batches.sampleCount)
  }

  /// Gradients `[rows, B, P, n]` of the next layer's features for one batch's activations.
  private func forEachGradient(
    _ f: Tensor<Double>, batch: Int, _ body: (Range<Int>, Tensor<Double>) throws -> Void
  ) throws {
    let size = f.shape[0]
    try forEachVectorJacobianProduct(
      of: { try section($0) }, at: f, rows: rows.count, chunkSize: chunk,
      cotangents: { range, _ in rows.cotangents(range, batch: batch, batchSize: size) }
    ) { range, g in
      // A NaN or Inf in g reaches the accumulated S or E, which are checked once at the end.
      try body(range, g)
    }
  }

  /// `d f'^ / dc = C'^T (d f' / dc - mu')` for one batch, `[B, P', k']`: the next layer's
  /// centring `f' - c mu'` moves with the constant too, so a linear section has no constant edges.
  private func constantProjection(_ f: Tensor<Double>, mean: Tensor<Double>) throws -> Tensor<Double> {
    let d = try section.constantDerivative(f, mean: mean, step: constantStep)
    let batch = f.shape[0]
    return (d.reshaped([-1, rows.width]) - rows.mean).matmul(rows.basis).reshaped([batch, section.end.positions, rows.features])
  }
}
