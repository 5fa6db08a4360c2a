import Tensors

/// A node of the reverse-mode graph: the inputs an operation read and its pullback, which
/// maps the cotangent of the output to the cotangents of the inputs.
public final class GradientNode<Scalar: TensorScalar>: Sendable {
  /// The nodes of the operation's differentiable inputs, in argument order.
  let inputs: [GradientNode]
  /// Maps the output cotangent to one cotangent per input (nil where `needed` is false).
  let pullback: @Sendable (_ cotangent: Tensor<Scalar>, _ needed: [Bool]) -> [Tensor<Scalar>?]

  init(
    inputs: [GradientNode],
    pullback: @escaping @Sendable (_ cotangent: Tensor<Scalar>, _ needed: [Bool]) -> [Tensor<Scalar>?]
  ) {
    self.inputs = inputs
    self.pullback = pullback
  }
}

/// A tensor value that remembers how it was computed, so that gradients can flow back to
/// the variables it depends on (reverse-mode automatic differentiation).
///
/// A variable created with `requiresGradient: true` is a leaf (a parameter or an input).
/// Operations on variables return variables; when none of the operands depends on a leaf,
/// no graph is recorded and the operation costs the same as on plain tensors.
/// Variables are values and `Sendable`; the graph they reference is immutable.
public struct Variable<Scalar: TensorScalar>: Sendable {
  /// The computed value.
  public let value: Tensor<Scalar>
  /// The graph node, nil for constants.
  let node: GradientNode<Scalar>?

  /// A constant (`requiresGradient: false`) or a leaf that gradients can be taken with
  /// respect to (`requiresGradient: true`).
  public init(_ value: Tensor<Scalar>, requiresGradient: Bool = false) {
    self.value = value
    self.node = requiresGradient ? GradientNode(inputs: [], pullback: { _, _ in [] }) : nil
  }

  init(value: Tensor<Scalar>, node: GradientNode<Scalar>?) {
    self.value = value
    self.node = node
  }

  /// Whether gradients flow through this variable.
  public var requiresGradient: Bool { node != nil }

  /// The shape of the value.
  public var shape: [Int] { value.shape }

  /// The rank of the value.
  public var rank: Int { value.rank }

  /// The same value cut off from the graph (a constant).
  public var detached: Variable { Variable(value) }

  /// Records an operation: `value` computed from `operands` with the given pullback.
  /// Operands that carry no graph are left out of the node; the pullback still receives one
  /// `needed` flag per operand, in the order given.
  public static func recording(
    _ value: Tensor<Scalar>, from operands: [Variable],
    pullback: @escaping @Sendable (_ cotangent: Tensor<Scalar>, _ needed: [Bool]) -> [Tensor<Scalar>?]
  ) -> Variable {
    let tracked = operands.indices.filter { operands[$0].node != nil }
    if tracked.isEmpty { return Variable(value) }
    if tracked.count == operands.count {
      return Variable(value: value, node: GradientNode(inputs: operands.map { $0.node! }, pullback: pullback))
    }
    let count = operands.count
    let node = GradientNode(inputs: tracked.map { operands[$0].node! }) { cotangent, needed in
      var full = [Bool](repeating: false, count: count)
      for (k, index) in tracked.enumerated() { full[index] = needed[k] }
      let all = pullback(cotangent, full)
      return tracked.map { all[$0] }
    }
    return Variable(value: value, node: node)
  }
}

extension Variable: CustomStringConvertible {
  public var description: String {
    "Variable(\(value)\(requiresGradient ? ", requiresGradient" : ""))"
  }
}
