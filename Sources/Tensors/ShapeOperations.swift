extension Tensor {
  /// The same elements with a new shape; one extent may be -1 and is inferred.
  public func reshaped(_ newShape: [Int]) -> Tensor {
    var target = newShape
    if let inferred = newShape.firstIndex(of: -1) {
      let known = newShape.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
      precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
      target[inferred] = count / known
    }
    precondition(target.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
    return Tensor(shape: target, scalars: scalars)
  }

  /// Inserts an axis of extent 1.
  public func expandingDimension(at axis: Int) -> Tensor {
    var s = shape
    s.insert(1, at: axis < 0 ? axis + rank + 1 : axis)
    return Tensor(shape: s, scalars: scalars)
  }

  /// Removes an axis of extent 1.
  public func squeezingDimension(at axis: Int) -> Tensor {
    let a = axisIndex(axis)
    precondition(shape[a] == 1, "axis \(axis) of \(shape) is not 1")
    var s = shape
    s.remove(at: a)
    return Tensor(shape: s, scalars: scalars)
  }

  /// Materializes broadcasting to a larger shape.
  public func broadcast(to target: [Int]) -> Tensor {
    if shape == target { return self }
    precondition(BroadcastPlan.broadcastShape(shape, target) == target, "cannot broadcast \(shape) to \(target)")
    return combined(with: Tensor.zeros(target), .add)
  }

  /// Swaps the last two axes (matrix transpose, batched over leading axes).
  public func transposed() -> Tensor {
    precondition(rank >= 2, "transpose needs rank >= 2, got \(shape)")
    let rows = shape[rank - 2]
    let cols = shape[rank - 1]
    let batch = count / Swift.max(rows * cols, 1)
    var outShape = shape
    outShape.swapAt(rank - 2, rank - 1)
    return scalars.withUnsafeBufferPointer { x in
      Tensor(shape: outShape) { y in
        guard let px = x.baseAddress, let py = y.baseAddress else { return }
        for b in 0..<batch {
          let base = b * rows * cols
          for i in 0..<rows {
            Scalar.copy(count: cols, from: px + base + i * cols, stride: 1, to: py + base + i, stride: rows)
          }
        }
      }
    }
  }

  /// Reorders axes: result axis k is input axis `permutation[k]`.
  public func permuted(_ permutation: [Int]) -> Tensor {
    precondition(
      permutation.count == rank && Set(permutation) == Set(0..<rank),
      "\(permutation) is not a permutation of the \(rank) axes")
    if permutation == Array(0..<rank) { return self }
    let inStrides = strides
    let outShape = permutation.map { shape[$0] }
    let mappedStrides = permutation.map { inStrides[$0] }
    return scalars.withUnsafeBufferPointer { x in
      Tensor(shape: outShape) { y in
        guard !y.isEmpty else { return }
        let last = rank - 1
        let innerExtent = outShape[last]
        let innerStride = mappedStrides[last]
        var index = [Int](repeating: 0, count: rank)
        var source = 0
        var out = 0
        while out < y.count {
          Scalar.copy(count: innerExtent, from: x.baseAddress! + source, stride: innerStride, to: y.baseAddress! + out, stride: 1)
          out += innerExtent
          var k = last - 1
          while k >= 0 {
            index[k] += 1
            source += mappedStrides[k]
            if index[k] < outShape[k] { break }
            source -= mappedStrides[k] * outShape[k]
            index[k] = 0
            k -= 1
          }
          if k < 0 { break }
        }
      }
    }
  }

  /// Elements `range` along `axis`.
  public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
    let a = axisIndex(axis)
    precondition(range.lowerBound >= 0 && range.upperBound <= shape[a], "slice \(range) out of bounds for axis \(a) of \(shape)")
    let outer = shape[..<a].reduce(1, *)
    let inner = shape[(a + 1)...].reduce(1, *)
    var outShape = shape
    outShape[a] = range.count
    return scalars.withUnsafeBufferPointer { x in
      Tensor(shape: outShape) { y in
        let run = range.count * inner
        guard run > 0, let px = x.baseAddress, let py = y.baseAddress else { return }
        for o in 0..<outer {
          let src = (o * shape[a] + range.lowerBound) * inner
          Scalar.copy(count: run, from: px + src, stride: 1, to: py + o * run, stride: 1)
        }
      }
    }
  }

  /// Joins tensors along an axis; all other extents must match.
  public static func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
    precondition(!tensors.isEmpty, "concatenate needs at least one tensor")
    let first = tensors[0]
    let a = first.axisIndex(axis)
    for t in tensors {
      precondition(
        t.rank == first.rank && (0..<first.rank).allSatisfy { $0 == a || t.shape[$0] == first.shape[$0] },
        "cannot concatenate \(t.shape) with \(first.shape) along axis \(a)")
    }
    let outer = first.shape[..<a].reduce(1, *)
    let inner = first.shape[(a + 1)...].reduce(1, *)
    var outShape = first.shape
    outShape[a] = tensors.reduce(0) { $0 + $1.shape[a] }
    let outRun = outShape[a] * inner
    return Tensor(shape: outShape) { y in
      var offset = 0
      for t in tensors {
        let run = t.shape[a] * inner
        if run > 0 {
          t.scalars.withUnsafeBufferPointer { x in
            for o in 0..<outer {
              Scalar.copy(
                count: run, from: x.baseAddress! + o * run, stride: 1, to: y.baseAddress! + o * outRun + offset, stride: 1)
            }
          }
        }
        offset += run
      }
    }
  }

  /// The adjoint of ``slice(axis:_:)``: a zero tensor of `shape` with `self` placed at
  /// `range` along `axis`.
  public func placed(in shape: [Int], axis: Int, at range: Range<Int>) -> Tensor {
    var result = Tensor.zeros(shape)
    let a = axisIndex(axis)
    precondition(
      self.shape[a] == range.count && range.upperBound <= shape[a], "cannot place \(self.shape) at \(range) of \(shape)")
    let outer = shape[..<a].reduce(1, *)
    let inner = shape[(a + 1)...].reduce(1, *)
    let run = range.count * inner
    guard run > 0 else { return result }
    scalars.withUnsafeBufferPointer { x in
      result.scalars.withUnsafeMutableBufferPointer { y in
        for o in 0..<outer {
          Scalar.copy(
            count: run, from: x.baseAddress! + o * run, stride: 1,
            to: y.baseAddress! + (o * shape[a] + range.lowerBound) * inner, stride: 1)
        }
      }
    }
    return result
  }

  /// Picks entries along `axis` by index (an embedding lookup when `axis` is 0):
  /// the result has `shape[axis]` replaced by `indices.count`.
  public func gathering(_ indices: [Int], axis: Int = 0) -> Tensor {
    let a = axisIndex(axis)
    let outer = shape[..<a].reduce(1, *)
    let inner = shape[(a + 1)...].reduce(1, *)
    let extent = shape[a]
    for i in indices { precondition(i >= 0 && i < extent, "index \(i) out of range 0..<\(extent) on axis \(a)") }
    var outShape = shape
    outShape[a] = indices.count
    return scalars.withUnsafeBufferPointer { x in
      Tensor(shape: outShape) { y in
        guard inner > 0, let px = x.baseAddress, let py = y.baseAddress else { return }
        var out = 0
        for o in 0..<outer {
          for i in indices {
            Scalar.copy(count: inner, from: px + (o * extent + i) * inner, stride: 1, to: py + out, stride: 1)
            out += inner
          }
        }
      }
    }
  }

  /// The adjoint of ``gathering(_:axis:)``: adds each slice of `self` into a zero tensor of
  /// extent `extent` along `axis` at its index (repeated indices accumulate).
  public func scatterAdding(_ indices: [Int], axis: Int = 0, extent: Int) -> Tensor {
    let a = axisIndex(axis)
    precondition(shape[a] == indices.count, "scatter: \(indices.count) indices for axis of \(shape[a])")
    let outer = shape[..<a].reduce(1, *)
    let inner = shape[(a + 1)...].reduce(1, *)
    var outShape = shape
    outShape[a] = extent
    var result = [Scalar](repeating: 0, count: outShape.reduce(1, *))
    guard inner > 0, !indices.isEmpty else { return Tensor(shape: outShape, scalars: result) }
    scalars.withUnsafeBufferPointer { x in
      result.withUnsafeMutableBufferPointer { y in
        var src = 0
        for o in 0..<outer {
          for i in indices {
            precondition(i >= 0 && i < extent, "index \(i) out of range 0..<\(extent)")
            Scalar.accumulate(
              count: inner, from: x.baseAddress! + src, stride: 1, into: y.baseAddress! + (o * extent + i) * inner, stride: 1)
            src += inner
          }
        }
      }
    }
    return Tensor(shape: outShape, scalars: result)
  }

  /// Elements `[i]` of the leading axis (a row of a matrix, an image of a batch).
  public subscript(row i: Int) -> Tensor {
    slice(axis: 0, i..<(i + 1)).squeezingDimension(at: 0)
  }
}
