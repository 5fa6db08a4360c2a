import Autodiff
import Tensors

/// Deterministic test inputs (a small LCG, so the tests need nothing else).
struct TestNumbers {
  var state: UInt64
  init(seed: UInt64) { state = seed &* 6_364_136_223_846_793_005 &+ 1 }
  mutating func next() -> Double {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Double(state >> 11) / Double(1 << 53)
  }
  /// Uniform in [-1, 1) scaled.
  mutating func tensor(_ shape: [Int], scale: Double = 1, offset: Double = 0) -> Tensor<Double> {
    Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in offset + scale * (2 * next() - 1) })
  }
}

/// Checks the reverse-mode VJP of `f` against central finite differences in Double.
///
/// With a random cotangent `c`, the scalar `g(x) = <c, f(x)>` has gradient `J^T c` for each
/// input; each entry is compared with `(g(x + h e) - g(x - h e)) / 2h`. Returns the largest
/// norm-wise relative error over the inputs.
func gradientError(
  of f: ([Variable<Double>]) -> Variable<Double>, at inputs: [Tensor<Double>], step: Double = 1e-6, seed: UInt64 = 7
) -> Double {
  var numbers = TestNumbers(seed: seed)
  let variables = inputs.map { Variable($0, requiresGradient: true) }
  let output = f(variables)
  let cotangent = numbers.tensor(output.shape)
  let analytic = vectorJacobianProduct(of: output, cotangent: cotangent, withRespectTo: variables)

  func g(_ xs: [Tensor<Double>]) -> Double {
    let y = f(xs.map { Variable($0) }).value
    var total = 0.0
    for i in 0..<y.count { total += y[flat: i] * cotangent[flat: i] }
    return total
  }
  var worst = 0.0
  for k in inputs.indices {
    var numeric = [Double](repeating: 0, count: inputs[k].count)
    for i in 0..<inputs[k].count {
      var plus = inputs
      var minus = inputs
      plus[k][flat: i] += step
      minus[k][flat: i] -= step
      numeric[i] = (g(plus) - g(minus)) / (2 * step)
    }
    var difference = 0.0
    var norm = 0.0
    for i in numeric.indices {
      let d = analytic[k][flat: i] - numeric[i]
      difference += d * d
      norm += numeric[i] * numeric[i]
    }
    worst = max(worst, difference.squareRoot() / max(norm.squareRoot(), 1e-12))
  }
  return worst
}
