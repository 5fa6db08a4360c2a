extension Tensor {
  /// Applies a unary elementwise operation.
  public func map(_ operation: UnaryOperation) -> Tensor {
    scalars.withUnsafeBufferPointer { x in
      Tensor(shape: shape) { y in Scalar.apply(operation, x, into: y) }
    }
  }

  /// Applies a binary elementwise operation with NumPy broadcasting.
  public func combined(with other: Tensor, _ operation: BinaryOperation) -> Tensor {
    let plan = BroadcastPlan(shape, other.shape)
    return scalars.withUnsafeBufferPointer { a in
      other.scalars.withUnsafeBufferPointer { b in
        Tensor(shape: plan.shape) { y in Scalar.apply(operation, a, b, plan: plan, into: y) }
      }
    }
  }

  public static func + (a: Tensor, b: Tensor) -> Tensor { a.combined(with: b, .add) }
  public static func - (a: Tensor, b: Tensor) -> Tensor { a.combined(with: b, .subtract) }
  public static func * (a: Tensor, b: Tensor) -> Tensor { a.combined(with: b, .multiply) }
  public static func / (a: Tensor, b: Tensor) -> Tensor { a.combined(with: b, .divide) }
  public static func + (a: Tensor, b: Scalar) -> Tensor { a.combined(with: Tensor(b), .add) }
  public static func - (a: Tensor, b: Scalar) -> Tensor { a.combined(with: Tensor(b), .subtract) }
  public static func * (a: Tensor, b: Scalar) -> Tensor { a.combined(with: Tensor(b), .multiply) }
  public static func / (a: Tensor, b: Scalar) -> Tensor { a.combined(with: Tensor(b), .divide) }
  public static func + (a: Scalar, b: Tensor) -> Tensor { Tensor(a).combined(with: b, .add) }
  public static func - (a: Scalar, b: Tensor) -> Tensor { Tensor(a).combined(with: b, .subtract) }
  public static func * (a: Scalar, b: Tensor) -> Tensor { Tensor(a).combined(with: b, .multiply) }
  public static func / (a: Scalar, b: Tensor) -> Tensor { Tensor(a).combined(with: b, .divide) }
  public static prefix func - (a: Tensor) -> Tensor { a.map(.negate) }

  public static func += (a: inout Tensor, b: Tensor) { a = a + b }
  public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
  public static func *= (a: inout Tensor, b: Tensor) { a = a * b }

  /// `self ** exponent` elementwise.
  public func pow(_ exponent: Scalar) -> Tensor { combined(with: Tensor(exponent), .power) }

  public func exp() -> Tensor { map(.exp) }
  public func log() -> Tensor { map(.log) }
  public func sqrt() -> Tensor { map(.sqrt) }
  public func abs() -> Tensor { map(.abs) }
  public func squared() -> Tensor { map(.square) }
  public func tanh() -> Tensor { map(.tanh) }
  public func sigmoid() -> Tensor { map(.sigmoid) }
  public func relu() -> Tensor { map(.relu) }
  /// The exact GELU, x * Phi(x), as PyTorch's default.
  public func gelu() -> Tensor { map(.gelu) }

  /// Elementwise maximum with broadcasting.
  public func maximum(_ other: Tensor) -> Tensor { combined(with: other, .maximum) }
  /// Elementwise minimum with broadcasting.
  public func minimum(_ other: Tensor) -> Tensor { combined(with: other, .minimum) }

  /// Mask (1 or 0) of `self > other`.
  public func greater(_ other: Tensor) -> Tensor { combined(with: other, .greater) }
  /// Mask (1 or 0) of `self >= other`.
  public func greaterOrEqual(_ other: Tensor) -> Tensor { combined(with: other, .greaterOrEqual) }
  /// Mask (1 or 0) of `self < other`.
  public func less(_ other: Tensor) -> Tensor { combined(with: other, .less) }
  /// Mask (1 or 0) of `self <= other`.
  public func lessOrEqual(_ other: Tensor) -> Tensor { combined(with: other, .lessOrEqual) }
  /// Mask (1 or 0) of `self == other`.
  public func equal(_ other: Tensor) -> Tensor { combined(with: other, .equal) }

  /// Picks `self` where `mask` is nonzero and `other` elsewhere (all three broadcast).
  public func replacing(with other: Tensor, where mask: Tensor) -> Tensor {
    let keep = mask.equal(Tensor(0))
    return self * keep + other * (1 - keep)
  }

  /// Clamps every element into `[lower, upper]`.
  public func clamped(to range: ClosedRange<Scalar>) -> Tensor {
    maximum(Tensor(range.lowerBound)).minimum(Tensor(range.upperBound))
  }

  /// Sums a broadcast result back to `shape` (the adjoint of broadcasting to `self.shape`).
  public func summed(toShape target: [Int]) -> Tensor {
    if shape == target { return self }
    var result = self
    let extra = rank - target.count
    precondition(extra >= 0, "cannot reduce shape \(shape) to \(target)")
    for _ in 0..<extra { result = result.sum(axis: 0) }
    for axis in 0..<target.count where target[axis] == 1 && result.shape[axis] != 1 {
      result = result.sum(axis: axis, keepingDimension: true)
    }
    return result.reshaped(target)
  }
}
