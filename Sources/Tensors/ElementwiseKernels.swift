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
  /// `a` where `b > 0`, else 0: the ReLU pullback of cotangent `a` at pre-activation `b`.
  case reluGradient
}

/// Reductions along one axis.
public enum ReductionOperation: Sendable {
  case sum, max, min
}

@inline(__always)
func unaryKernel<S: TensorScalar>(_ op: UnaryOperation, _ x: UnsafeBufferPointer<S>, _ y: UnsafeMutableBufferPointer<S>) {
  let n = x.count
  guard let px = x.baseAddress, let py = y.baseAddress else { return }
  @inline(__always) func run(_ f: (S) -> S) {
    for i in 0..<n { py[i] = f(px[i]) }
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
  guard let pa = a.baseAddress, let pb = b.baseAddress, let py = y.baseAddress, !y.isEmpty else { return }
  // Inner loops on raw pointers with the operation known at compile time, so they vectorize.
  @inline(__always) func run(_ f: (S, S) -> S) {
    if plan.extents.count <= 1 {
      let n = y.count
      let aStep = plan.stridesA.first ?? 0
      let bStep = plan.stridesB.first ?? 0
      if aStep == 1 && bStep == 1 {
        for i in 0..<n { py[i] = f(pa[i], pb[i]) }
      } else if aStep == 1 {
        let bv = pb[0]
        for i in 0..<n { py[i] = f(pa[i], bv) }
      } else if bStep == 1 {
        let av = pa[0]
        for i in 0..<n { py[i] = f(av, pb[i]) }
      } else {
        let v = f(pa[0], pb[0])
        for i in 0..<n { py[i] = v }
      }
      return
    }
    plan.forEachRun { outOffset, aOffset, bOffset, length, aStep, bStep in
      let yo = py + outOffset
      let ao = pa + aOffset
      let bo = pb + bOffset
      if aStep == 1 && bStep == 1 {
        for i in 0..<length { yo[i] = f(ao[i], bo[i]) }
      } else if aStep == 1 {
        let bv = bo[0]
        for i in 0..<length { yo[i] = f(ao[i], bv) }
      } else if bStep == 1 {
        let av = ao[0]
        for i in 0..<length { yo[i] = f(av, bo[i]) }
      } else {
        let v = f(ao[0], bo[0])
        for i in 0..<length { yo[i] = v }
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
  case .reluGradient: run { $1 > 0 ? $0 : 0 }
  }
}

@inline(__always)
func reductionKernel<S: TensorScalar>(
  _ op: ReductionOperation, _ x: UnsafeBufferPointer<S>, _ outer: Int, _ axis: Int, _ inner: Int,
  _ y: UnsafeMutableBufferPointer<S>
) {
  guard let px = x.baseAddress, let py = y.baseAddress, axis > 0 else { return }
  @inline(__always) func run(_ combine: (S, S) -> S) {
    for o in 0..<outer {
      let out = py + o * inner
      let base = px + o * axis * inner
      if inner == 1 {
        var acc = base[0]
        for k in 1..<axis { acc = combine(acc, base[k]) }
        out[0] = acc
        continue
      }
      for i in 0..<inner { out[i] = base[i] }
      for k in 1..<axis {
        let row = base + k * inner
        for i in 0..<inner { out[i] = combine(out[i], row[i]) }
      }
    }
  }
  switch op {
  case .sum: run { $0 + $1 }
  case .max: run { $1 > $0 || $1.isNaN ? $1 : $0 }
  case .min: run { $1 < $0 || $1.isNaN ? $1 : $0 }
  }
}
