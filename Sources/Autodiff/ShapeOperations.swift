import Tensors

extension Variable {
  /// The same elements with a new shape (one extent may be -1).
  public func reshaped(_ newShape: [Int]) -> Variable {
    let shape = self.shape
    return Variable.recording(value.reshaped(newShape), from: [self]) { g, _ in [g.reshaped(shape)] }
  }

  /// Swaps the last two axes.
  public func transposed() -> Variable {
    Variable.recording(value.transposed(), from: [self]) { g, _ in [g.transposed()] }
  }

  /// Reorders axes (result axis k is input axis `permutation[k]`).
  public func permuted(_ permutation: [Int]) -> Variable {
    var inversePermutation = [Int](repeating: 0, count: permutation.count)
    for (k, p) in permutation.enumerated() { inversePermutation[p] = k }
    let inverse = inversePermutation
    return Variable.recording(value.permuted(permutation), from: [self]) { g, _ in [g.permuted(inverse)] }
  }

  /// Inserts an axis of extent 1.
  public func expandingDimension(at axis: Int) -> Variable {
    reshaped(value.expandingDimension(at: axis).shape)
  }

  /// Removes an axis of extent 1.
  public func squeezingDimension(at axis: Int) -> Variable {
    reshaped(value.squeezingDimension(at: axis).shape)
  }

  /// Materializes broadcasting to a larger shape.
  public func broadcast(to target: [Int]) -> Variable {
    let shape = self.shape
    return Variable.recording(value.broadcast(to: target), from: [self]) { g, _ in [g.summed(toShape: shape)] }
  }

  /// Elements `range` along `axis`.
  public func slice(axis: Int, _ range: Range<Int>) -> Variable {
    let a = value.axisIndex(axis)
    let shape = self.shape
    return Variable.recording(value.slice(axis: a, range), from: [self]) { g, _ in
      [g.placed(in: shape, axis: a, at: range)]
    }
  }

  /// Joins variables along an axis.
  public static func concatenate(_ parts: [Variable], axis: Int) -> Variable {
    let a = parts[0].value.axisIndex(axis)
    let extents = parts.map { $0.shape[a] }
    return recording(Tensor.concatenate(parts.map(\.value), axis: a), from: parts) { g, needed in
      var start = 0
      return extents.indices.map { k in
        defer { start += extents[k] }
        return needed[k] ? g.slice(axis: a, start..<(start + extents[k])) : nil
      }
    }
  }

  /// Picks entries along `axis` by index; with axis 0 this is an embedding lookup
  /// (repeated indices accumulate their gradients).
  public func gathering(_ indices: [Int], axis: Int = 0) -> Variable {
    let a = value.axisIndex(axis)
    let extent = shape[a]
    return Variable.recording(value.gathering(indices, axis: a), from: [self]) { g, _ in
      [g.scatterAdding(indices, axis: a, extent: extent)]
    }
  }
}
