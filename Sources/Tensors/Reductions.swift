extension Tensor {
  private func reduced(_ operation: ReductionOperation, axis: Int, keepingDimension: Bool) -> Tensor {
    let a = axisIndex(axis)
    let outer = shape[..<a].reduce(1, *)
    let inner = shape[(a + 1)...].reduce(1, *)
    let extent = shape[a]
    precondition(extent > 0 || operation == .sum, "reduction over an empty axis")
    var outShape = shape
    if keepingDimension { outShape[a] = 1 } else { outShape.remove(at: a) }
    if extent == 0 { return Tensor.zeros(outShape) }
    return scalars.withUnsafeBufferPointer { x in
      Tensor(shape: outShape) { y in Scalar.reduce(operation, x, outer: outer, axis: extent, inner: inner, into: y) }
    }
  }

  /// Sum along an axis.
  public func sum(axis: Int, keepingDimension: Bool = false) -> Tensor {
    reduced(.sum, axis: axis, keepingDimension: keepingDimension)
  }

  /// Sum along several axes.
  public func sum(axes: [Int], keepingDimensions: Bool = false) -> Tensor {
    var result = self
    for a in axes.map(axisIndex).sorted(by: >) { result = result.sum(axis: a, keepingDimension: keepingDimensions) }
    return result
  }

  /// Sum of all elements, accumulated in Double.
  public func sum() -> Tensor {
    var total = 0.0
    for v in scalars { total += Double(v) }
    return Tensor(Scalar(total))
  }

  /// Mean along an axis.
  public func mean(axis: Int, keepingDimension: Bool = false) -> Tensor {
    sum(axis: axis, keepingDimension: keepingDimension) / Scalar(shape[axisIndex(axis)])
  }

  /// Mean of all elements.
  public func mean() -> Tensor { sum() / Scalar(Swift.max(count, 1)) }

  /// Maximum along an axis.
  public func max(axis: Int, keepingDimension: Bool = false) -> Tensor {
    reduced(.max, axis: axis, keepingDimension: keepingDimension)
  }

  /// Minimum along an axis.
  public func min(axis: Int, keepingDimension: Bool = false) -> Tensor {
    reduced(.min, axis: axis, keepingDimension: keepingDimension)
  }

  /// Maximum of all elements.
  public func max() -> Scalar { scalars.max() ?? -.infinity }

  /// Minimum of all elements.
  public func min() -> Scalar { scalars.min() ?? .infinity }

  /// Variance along an axis; `correction` 0 is the population variance, 1 the sample variance.
  public func variance(axis: Int, correction: Int = 0, keepingDimension: Bool = false) -> Tensor {
    let a = axisIndex(axis)
    let centered = self - mean(axis: a, keepingDimension: true)
    let n = shape[a] - correction
    precondition(n > 0, "variance needs more than \(correction) elements along axis \(axis)")
    return centered.squared().sum(axis: a, keepingDimension: keepingDimension) / Scalar(n)
  }

  /// Index of the maximum along an axis (the first one on ties), as an Int array in the
  /// reduced shape's row-major order.
  public func argmax(axis: Int) -> [Int] {
    let a = axisIndex(axis)
    let outer = shape[..<a].reduce(1, *)
    let inner = shape[(a + 1)...].reduce(1, *)
    let extent = shape[a]
    precondition(extent > 0, "argmax over an empty axis")
    var result = [Int](repeating: 0, count: outer * inner)
    scalars.withUnsafeBufferPointer { x in
      for o in 0..<outer {
        for i in 0..<inner {
          var best = x[o * extent * inner + i]
          var bestIndex = 0
          for k in 1..<extent {
            let v = x[(o * extent + k) * inner + i]
            if v > best {
              best = v
              bestIndex = k
            }
          }
          result[o * inner + i] = bestIndex
        }
      }
    }
    return result
  }
}
