import Tensors

/// The cotangent rows of a section's Jacobian passes: one per output feature and output
/// position (`e_t (x) C'_i`), or with stochastic sources, one per output feature and source
/// (`phi_q (x) C'_i` with random signs `phi_q` over the output positions, drawn per sample), so
/// that summed squares estimate the sum over positions without bias (each scaled by 1/R).
struct OutputRows: Sendable {
  /// The next layer's basis `C'`, `[n', k']`.
  let basis: Tensor<Double>
  /// The next layer's mean `mu'` (its centring moves with the constant coordinate).
  let mean: Tensor<Double>
  /// Output positions P'.
  let positions: Int
  /// R, or nil for exact rows.
  let sources: Int?
  let seed: UInt64

  var features: Int { basis.shape[1] }
  var width: Int { basis.shape[0] }
  /// The number of rows: P' k' (exact) or R k'.
  var count: Int { (sources ?? positions) * features }
  /// The weight of one row's squared contribution: 1, or 1/R.
  var weight: Double { sources.map { 1 / Double($0) } ?? 1 }

  /// The output feature of row `r`.
  func feature(ofRow r: Int) -> Int { r % features }

  /// Cotangents `[rows.count, B, P', n']` for the samples of batch `batch` (size `batchSize`).
  func cotangents(_ rows: Range<Int>, batch: Int, batchSize: Int) -> Tensor<Double> {
    let (n, p, k) = (width, positions, features)
    let c = basis.scalars
    var out = [Double](repeating: 0, count: rows.count * batchSize * p * n)
    out.withUnsafeMutableBufferPointer { out in
      for (offset, r) in rows.enumerated() {
        let (source, feature) = (r / k, r % k)
        var signs: [Double]? = nil
        if sources != nil {
          var generator = SeededGenerator(
            seed: seed &+ UInt64(batch) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(source) &* 0xBF58_476D_1CE4_E5B9)
          signs = (0..<(batchSize * p)).map { _ in Bool.random(using: &generator) ? 1.0 : -1.0 }
        }
        for b in 0..<batchSize {
          for t in 0..<p {
            let sign: Double
            if let signs { sign = signs[b * p + t] } else { sign = t == source ? 1 : 0 }
            if sign == 0 { continue }
            let base = ((offset * batchSize + b) * p + t) * n
            for j in 0..<n { out[base + j] = sign * c[j * k + feature] }
          }
        }
      }
    }
    return Tensor(shape: [rows.count, batchSize, p, n], scalars: out)
  }
}
