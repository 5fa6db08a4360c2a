import RealModule

/// Elementwise functions of one tensor.
public enum UnaryOperation: Sendable, CaseIterable {
  case negate, exp, log, sqrt, abs, square, reciprocal, sign
  case tanh, sigmoid, relu, gelu, sin, cos
  /// 1 where x > 0, else 0 (the derivative of ReLU).
  case positiveMask
  /// The derivative of the exact (erf) GELU.
  case geluDerivative
}

/// Elementwise functions of two broadcast tensors. Comparisons return 1 or 0.
public enum BinaryOperation: Sendable, CaseIterable {
  case add, subtract, multiply, divide, maximum, minimum, power
  case greater, greaterOrEqual, less, lessOrEqual, equal, notEqual
}

/// Reductions along one axis.
public enum ReductionOperation: Sendable {
  case sum, max, min
}

@inline(__always)
func unaryKernel<S: TensorScalar>(_ op: UnaryOperation, _ x: UnsafeBufferPointer<S>, _ y: UnsafeMutableBufferPointer<S>) {
  let n = x.count
  @inline(__always) func run(_ f: (S) -> S) {
    for i in 0..<n { y[i] = f(x[i]) }
  }
  switch op {
  case .negate: run { -$0 }
  case .exp: run { S.exp($0) }
  case .log: run { S.log($0) }
  case .sqrt: run { $0.squareRoot() }
  case .abs: run { Swift.abs($0) }
  case .square: run { $0 * $0 }
  case .reciprocal: run { 1 / $0 }
  case .sign: run { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
  case .tanh: run { S.tanh($0) }
  case .sigmoid: run { 1 / (1 + S.exp(-$0)) }
  case .relu: run { $0 > 0 ? $0 : 0 }
  case .gelu: run { 0.5 * $0 * (1 + S.erf($0 * S(0.70710678118654752440))) }
  case .sin: run { S.sin($0) }
  case .cos: run { S.cos($0) }
  case .positiveMask: run { $0 > 0 ? 1 : 0 }
  case .geluDerivative:
    run { v in
      let cdf = 0.5 * (1 + S.erf(v * S(0.70710678118654752440)))
      let pdf = S.exp(-0.5 * v * v) * S(0.39894228040143267794)
      return cdf + v * pdf
    }
  }
}

@inline(__always)
func binaryKernel<S: TensorScalar>(
  _ op: BinaryOperation, _ a: UnsafeBufferPointer<S>, _ b: UnsafeBufferPointer<S>, _ plan: BroadcastPlan,
  _ y: UnsafeMutableBufferPointer<S>
) {
  @inline(__always) func run(_ f: (S, S) -> S) {
    plan.forEachRun { outOffset, aOffset, bOffset, length, aStep, bStep in
      if aStep == 1 && bStep == 1 {
        for i in 0..<length { y[outOffset + i] = f(a[aOffset + i], b[bOffset + i]) }
      } else if aStep == 1 {
        let bv = b[bOffset]
        for i in 0..<length { y[outOffset + i] = f(a[aOffset + i], bv) }
      } else if bStep == 1 {
        let av = a[aOffset]
        for i in 0..<length { y[outOffset + i] = f(av, b[bOffset + i]) }
      } else {
        let v = f(a[aOffset], b[bOffset])
        for i in 0..<length { y[outOffset + i] = v }
      }
    }
  }
  switch op {
  case .add: run { $0 + $1 }
  case .subtract: run { $0 - $1 }
  case .multiply: run { $0 * $1 }
  case .divide: run { $0 / $1 }
  case .maximum: run { $0 >= $1 || $1.isNaN ? ($1.isNaN ? $1 : $0) : $1 }
  case .minimum: run { $0 <= $1 || $1.isNaN ? ($1.isNaN ? $1 : $0) : $1 }
  case .power: run { S.pow($0, $1) }
  case .greater: run { $0 > $1 ? 1 : 0 }
  case .greaterOrEqual: run { $0 >= $1 ? 1 : 0 }
  case .less: run { $0 < $1 ? 1 : 0 }
  case .lessOrEqual: run { $0 <= $1 ? 1 : 0 }
  case .equal: run { $0 == $1 ? 1 : 0 }
  case .notEqual: run { $0 != $1 ? 1 : 0 }
  }
}

@inline(__always)
func reductionKernel<S: TensorScalar>(
  _ op: ReductionOperation, _ x: UnsafeBufferPointer<S>, _ outer: Int, _ axis: Int, _ inner: Int,
  _ y: UnsafeMutableBufferPointer<S>
) {
  for o in 0..<outer {
    let out = o * inner
    let base = o * axis * inner
    for i in 0..<inner { y[out + i] = x[base + i] }
    for k in 1..<max(axis, 1) {
      let row = base + k * inner
      switch op {
      case .sum: for i in 0..<inner { y[out + i] += x[row + i] }
      case .max: for i in 0..<inner where !(x[row + i] <= y[out + i]) { y[out + i] = x[row + i] }
      case .min: for i in 0..<inner where !(x[row + i] >= y[out + i]) { y[out + i] = x[row + i] }
      }
    }
  }
}
