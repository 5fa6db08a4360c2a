import Tensors

/// The cotangents of `targets` given the cotangent of `output` (a vector-Jacobian product).
///
/// Gradients from every path accumulate, so a value used twice gets the sum. Targets that
/// `output` does not depend on get zeros. Only the part of the graph between `targets` and
/// `output` is traversed, and pullbacks skip cotangents nobody needs.
public func vectorJacobianProduct<Scalar>(
  of output: Variable<Scalar>, cotangent: Tensor<Scalar>, withRespectTo targets: [Variable<Scalar>]
) -> [Tensor<Scalar>] {
  precondition(
    cotangent.shape == output.shape,
    "cotangent shape \(cotangent.shape) does not match output shape \(output.shape)")
  guard let root = output.node else { return targets.map { Tensor.zeros($0.shape) } }
  let targetIDs = Set(targets.compactMap { $0.node.map(ObjectIdentifier.init) })

  // Post-order over the graph, marking nodes that lead to a target.
  var order: [GradientNode<Scalar>] = []
  var leadsToTarget: [ObjectIdentifier: Bool] = [:]
  var stack: [(GradientNode<Scalar>, Int)] = [(root, 0)]
  var visited: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
  while let (node, next) = stack.popLast() {
    if next < node.inputs.count {
      stack.append((node, next + 1))
      let child = node.inputs[next]
      if visited.insert(ObjectIdentifier(child)).inserted { stack.append((child, 0)) }
    } else {
      let id = ObjectIdentifier(node)
      leadsToTarget[id] = targetIDs.contains(id) || node.inputs.contains { leadsToTarget[ObjectIdentifier($0)] == true }
      order.append(node)
    }
  }

  var cotangents: [ObjectIdentifier: Tensor<Scalar>] = [ObjectIdentifier(root): cotangent]
  for node in order.reversed() {
    let id = ObjectIdentifier(node)
    guard leadsToTarget[id] == true, !node.inputs.isEmpty, let upstream = cotangents[id] else { continue }
    if !targetIDs.contains(id) { cotangents[id] = nil }
    let needed = node.inputs.map { leadsToTarget[ObjectIdentifier($0)] == true }
    let results = node.pullback(upstream, needed)
    for (input, result) in zip(node.inputs, results) {
      guard let result else { continue }
      let inputID = ObjectIdentifier(input)
      if let existing = cotangents[inputID] {
        cotangents[inputID] = existing + result
      } else {
        cotangents[inputID] = result
      }
    }
  }
  return targets.map { target in
    guard let node = target.node, let g = cotangents[ObjectIdentifier(node)] else { return Tensor.zeros(target.shape) }
    return g
  }
}

extension Variable {
  /// Gradients of this scalar (one-element) variable with respect to `targets`.
  public func gradients(withRespectTo targets: [Variable]) -> [Tensor<Scalar>] {
    precondition(value.count == 1, "gradients(withRespectTo:) needs a scalar output, got shape \(shape)")
    return vectorJacobianProduct(of: self, cotangent: Tensor.ones(shape), withRespectTo: targets)
  }

  /// The gradient of this scalar variable with respect to one target.
  public func gradient(withRespectTo target: Variable) -> Tensor<Scalar> {
    gradients(withRespectTo: [target])[0]
  }
}

/// The value of `f` at `x` and its gradient (for a scalar-valued `f`).
public func valueWithGradient<Scalar>(
  at x: Tensor<Scalar>, of f: (Variable<Scalar>) -> Variable<Scalar>
) -> (value: Tensor<Scalar>, gradient: Tensor<Scalar>) {
  let input = Variable(x, requiresGradient: true)
  let y = f(input)
  return (y.value, y.gradient(withRespectTo: input))
}
