import Tensors

extension Variable {
  /// Sum of all elements.
  public func sum() -> Variable {
    let shape = self.shape
    return Variable.recording(value.sum(), from: [self]) { g, _ in [Tensor(repeating: g.scalar, shape: shape)] }
  }

  /// Mean of all elements.
  public func mean() -> Variable { sum() / Scalar(Swift.max(value.count, 1)) }

  /// Sum along an axis.
  public func sum(axis: Int, keepingDimension: Bool = false) -> Variable {
    let a = value.axisIndex(axis)
    let shape = self.shape
    return Variable.recording(value.sum(axis: a, keepingDimension: keepingDimension), from: [self]) { g, _ in
      [(keepingDimension ? g : g.expandingDimension(at: a)).broadcast(to: shape)]
    }
  }

  /// Mean along an axis.
  public func mean(axis: Int, keepingDimension: Bool = false) -> Variable {
    sum(axis: axis, keepingDimension: keepingDimension) / Scalar(shape[value.axisIndex(axis)])
  }

  /// Maximum along an axis; the cotangent goes to the first maximal element.
  public func max(axis: Int, keepingDimension: Bool = false) -> Variable {
    let a = value.axisIndex(axis)
    let shape = self.shape
    let indices = value.argmax(axis: a)
    let y = value.max(axis: a, keepingDimension: keepingDimension)
    return Variable.recording(y, from: [self]) { g, _ in
      let outer = shape[..<a].reduce(1, *)
      let inner = shape[(a + 1)...].reduce(1, *)
      let extent = shape[a]
      var grad = [Scalar](repeating: 0, count: shape.reduce(1, *))
      for o in 0..<outer {
        for i in 0..<inner {
          grad[(o * extent + indices[o * inner + i]) * inner + i] = g.scalars[o * inner + i]
        }
      }
      return [Tensor(shape: shape, scalars: grad)]
    }
  }

  /// Variance along an axis (`correction` 0: population, 1: sample).
  public func variance(axis: Int, correction: Int = 0, keepingDimension: Bool = false) -> Variable {
    let a = value.axisIndex(axis)
    let centered = self - mean(axis: a, keepingDimension: true)
    return centered.squared().sum(axis: a, keepingDimension: keepingDimension) / Scalar(shape[a] - correction)
  }
}
