import Tensors

extension Variable {
  /// A binary broadcasting operation whose pullback reduces each cotangent to its operand's shape.
  private static func broadcasting(
    _ a: Variable, _ b: Variable, _ operation: BinaryOperation,
    _ partials:
      @escaping @Sendable (_ a: Tensor<Scalar>, _ b: Tensor<Scalar>, _ y: Tensor<Scalar>, _ g: Tensor<Scalar>, _ needed: [Bool])
      -> (Tensor<Scalar>?, Tensor<Scalar>?)
  ) -> Variable {
    let (av, bv) = (a.value, b.value)
    let y = av.combined(with: bv, operation)
    return recording(y, from: [a, b]) { g, needed in
      let (ga, gb) = partials(av, bv, y, g, needed)
      return [ga?.summed(toShape: av.shape), gb?.summed(toShape: bv.shape)]
    }
  }

  public static func + (a: Variable, b: Variable) -> Variable {
    broadcasting(a, b, .add) { _, _, _, g, _ in (g, g) }
  }

  public static func - (a: Variable, b: Variable) -> Variable {
    broadcasting(a, b, .subtract) { _, _, _, g, needed in (g, needed[1] ? -g : nil) }
  }

  public static func * (a: Variable, b: Variable) -> Variable {
    broadcasting(a, b, .multiply) { av, bv, _, g, needed in
      (needed[0] ? g * bv : nil, needed[1] ? g * av : nil)
    }
  }

  public static func / (a: Variable, b: Variable) -> Variable {
    broadcasting(a, b, .divide) { _, bv, y, g, needed in
      (needed[0] ? g / bv : nil, needed[1] ? -(g * y / bv) : nil)
    }
  }

  public static func + (a: Variable, b: Scalar) -> Variable { a + Variable(Tensor(b)) }
  public static func - (a: Variable, b: Scalar) -> Variable { a - Variable(Tensor(b)) }
  public static func * (a: Variable, b: Scalar) -> Variable { a * Variable(Tensor(b)) }
  public static func / (a: Variable, b: Scalar) -> Variable { a * Variable(Tensor(1 / b)) }
  public static func + (a: Scalar, b: Variable) -> Variable { Variable(Tensor(a)) + b }
  public static func - (a: Scalar, b: Variable) -> Variable { Variable(Tensor(a)) - b }
  public static func * (a: Scalar, b: Variable) -> Variable { Variable(Tensor(a)) * b }
  public static func / (a: Scalar, b: Variable) -> Variable { Variable(Tensor(a)) / b }
  public static func + (a: Variable, b: Tensor<Scalar>) -> Variable { a + Variable(b) }
  public static func - (a: Variable, b: Tensor<Scalar>) -> Variable { a - Variable(b) }
  public static func * (a: Variable, b: Tensor<Scalar>) -> Variable { a * Variable(b) }
  public static func / (a: Variable, b: Tensor<Scalar>) -> Variable { a / Variable(b) }

  /// Elementwise maximum; the cotangent goes to the larger operand (to `a` on ties).
  public func maximum(_ other: Variable) -> Variable {
    Variable.broadcasting(self, other, .maximum) { av, bv, _, g, needed in
      let mask = av.greaterOrEqual(bv)
      return (needed[0] ? g * mask : nil, needed[1] ? g * (1 - mask) : nil)
    }
  }

  /// `self ** exponent` for a constant exponent.
  public func pow(_ exponent: Scalar) -> Variable {
    let x = value
    return Variable.recording(x.pow(exponent), from: [self]) { g, _ in
      [g * x.pow(exponent - 1) * exponent]
    }
  }

  /// A unary operation with pullback `g * derivative(x, y)`.
  private func unary(
    _ operation: UnaryOperation, derivative: @escaping @Sendable (_ x: Tensor<Scalar>, _ y: Tensor<Scalar>) -> Tensor<Scalar>
  ) -> Variable {
    let x = value
    let y = x.map(operation)
    return Variable.recording(y, from: [self]) { g, _ in [g * derivative(x, y)] }
  }

  public static prefix func - (a: Variable) -> Variable {
    recording(-a.value, from: [a]) { g, _ in [-g] }
  }

  public func exp() -> Variable { unary(.exp) { _, y in y } }
  public func log() -> Variable { unary(.log) { x, _ in x.map(.reciprocal) } }
  public func sqrt() -> Variable { unary(.sqrt) { _, y in 0.5 / y } }
  public func squared() -> Variable { unary(.square) { x, _ in x * 2 } }
  public func abs() -> Variable { unary(.abs) { x, _ in x.map(.sign) } }
  public func tanh() -> Variable { unary(.tanh) { _, y in 1 - y.squared() } }
  public func sigmoid() -> Variable { unary(.sigmoid) { _, y in y * (1 - y) } }
  public func relu() -> Variable {
    let x = value
    return Variable.recording(x.relu(), from: [self]) { g, _ in [g.combined(with: x, .reluGradient)] }
  }
  /// The exact GELU, x * Phi(x).
  public func gelu() -> Variable { unary(.gelu) { x, _ in x.map(.geluDerivative) } }
  public func sin() -> Variable { unary(.sin) { x, _ in x.map(.cos) } }
  public func cos() -> Variable { unary(.cos) { x, _ in -x.map(.sin) } }

  /// Multiplies by a constant mask (zeroing units, dropout, attention masks).
  public func masked(by mask: Tensor<Scalar>) -> Variable { self * Variable(mask) }
}
