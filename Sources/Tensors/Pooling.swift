// Max and average pooling on NCHW tensors, their adjoints, and global average pooling.
//
// Window geometry matches PyTorch's `max_pool2d` / `avg_pool2d` with `ceil_mode = False` and no
// dilation: `Ho = (H + 2 * padding.0 - size.0) / stride.0 + 1` (likewise `Wo`), the stride
// defaults to the window size, and padding may be at most half the window so that every window
// overlaps the input.

extension Tensor {
  /// Max pooling over sliding windows of an NCHW tensor.
  ///
  /// Padding counts as negative infinity, so it is never selected. Within a window the first
  /// maximum in row-major order wins, and a NaN wins over any number (as in PyTorch).
  ///
  /// - Parameters:
  ///   - size: The window `(height, width)`.
  ///   - stride: The window step; `nil` means `size` (non-overlapping windows).
  ///   - padding: Rows above and below, columns left and right; at most half the window.
  /// - Returns: The maxima `[N, C, Ho, Wo]`, and for each of them the flat index `ih * W + iw`
  ///   of the chosen element within its `[H, W]` plane (PyTorch's `return_indices` convention),
  ///   which ``maxPool2dInputGradient(_:indices:inputShape:)`` uses to route cotangents.
  /// - Precondition: `self` has rank 4; size and stride are at least 1; padding is between 0
  ///   and half the window; the padded input is at least as large as the window.
  public func maxPool2d(
    size: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)
  ) -> (values: Tensor, indices: [Int]) {
    let geometry = SlidingWindowGeometry(pooling: shape, size: size, stride: stride, padding: padding, operation: "maxPool2d")
    let outputShape = geometry.outputShape(channels: geometry.channels)
    let outputCount = outputShape.reduce(1, *)
    guard outputCount > 0 else { return (.zeros(outputShape), []) }
    var indices = [Int](repeating: 0, count: outputCount)
    let values = scalars.withUnsafeBufferPointer { x in
      indices.withUnsafeMutableBufferPointer { index in
        Tensor(shape: outputShape) { y in
          guard let x = x.baseAddress, let y = y.baseAddress, let index = index.baseAddress else { return }
          Self.withConcreteScalar(
            float: { maxPoolKernel($0(x), $0(y), index, geometry) },
            double: { maxPoolKernel($0(x), $0(y), index, geometry) },
            other: { maxPoolKernel(x, y, index, geometry) })
        }
      }
    }
    return (values, indices)
  }

  /// Max pooling with square windows; see `maxPool2d(size:stride:padding:)`.
  public func maxPool2d(size: Int, stride: Int? = nil, padding: Int = 0) -> (values: Tensor, indices: [Int]) {
    maxPool2d(size: (size, size), stride: stride.map { ($0, $0) }, padding: (padding, padding))
  }

  /// The cotangent of a max pooling's input: each output cotangent is added to the input
  /// element its window selected.
  ///
  /// - Parameters:
  ///   - outputGradient: `[N, C, Ho, Wo]`, the cotangent of the pooled values.
  ///   - indices: The indices returned by `maxPool2d(size:stride:padding:)`, one per output.
  ///   - inputShape: The pooled tensor's shape `[N, C, H, W]`.
  /// - Returns: A tensor of shape `inputShape`.
  public static func maxPool2dInputGradient(_ outputGradient: Tensor, indices: [Int], inputShape: [Int]) -> Tensor {
    precondition(
      inputShape.count == 4 && outputGradient.rank == 4 && outputGradient.shape[0] == inputShape[0]
        && outputGradient.shape[1] == inputShape[1],
      "maxPool2dInputGradient: output gradient \(outputGradient.shape) does not pool input \(inputShape)")
    precondition(
      indices.count == outputGradient.count,
      "maxPool2dInputGradient: \(indices.count) indices for \(outputGradient.count) output elements")
    let plane = inputShape[2] * inputShape[3]
    let outputPlane = outputGradient.shape[2] * outputGradient.shape[3]
    for index in indices {
      precondition(index >= 0 && index < plane, "maxPool2dInputGradient: index \(index) outside an input plane of \(plane)")
    }
    guard inputShape.reduce(1, *) > 0, outputGradient.count > 0 else { return .zeros(inputShape) }
    return outputGradient.scalars.withUnsafeBufferPointer { g in
      indices.withUnsafeBufferPointer { index in
        Tensor(shape: inputShape) { dx in
          guard let g = g.baseAddress, let index = index.baseAddress, let dx = dx.baseAddress else { return }
          let planes = inputShape[0] * inputShape[1]
          Self.withConcreteScalar(
            float: { maxPoolBackwardKernel($0(g), index, $0(dx), planes: planes, plane: plane, outputPlane: outputPlane) },
            double: { maxPoolBackwardKernel($0(g), index, $0(dx), planes: planes, plane: plane, outputPlane: outputPlane) },
            other: { maxPoolBackwardKernel(g, index, dx, planes: planes, plane: plane, outputPlane: outputPlane) })
        }
      }
    }
  }

  /// Average pooling over sliding windows of an NCHW tensor.
  ///
  /// Padding counts as zeros that are included in the average: every window is divided by
  /// `size.0 * size.1`, even where it overlaps the padding. This is PyTorch's default
  /// `count_include_pad=True` (with `ceil_mode=False`).
  ///
  /// - Parameters:
  ///   - size: The window `(height, width)`.
  ///   - stride: The window step; `nil` means `size` (non-overlapping windows).
  ///   - padding: Rows above and below, columns left and right; at most half the window.
  /// - Returns: `[N, C, Ho, Wo]`.
  /// - Precondition: As for `maxPool2d(size:stride:padding:)`.
  public func avgPool2d(size: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) -> Tensor {
    let geometry = SlidingWindowGeometry(pooling: shape, size: size, stride: stride, padding: padding, operation: "avgPool2d")
    let outputShape = geometry.outputShape(channels: geometry.channels)
    guard outputShape.reduce(1, *) > 0 else { return .zeros(outputShape) }
    return scalars.withUnsafeBufferPointer { x in
      Tensor(shape: outputShape) { y in
        guard let x = x.baseAddress, let y = y.baseAddress else { return }
        Self.withConcreteScalar(
          float: { avgPoolKernel($0(x), $0(y), geometry) },
          double: { avgPoolKernel($0(x), $0(y), geometry) },
          other: { avgPoolKernel(x, y, geometry) })
      }
    }
  }

  /// Average pooling with square windows; see `avgPool2d(size:stride:padding:)`.
  public func avgPool2d(size: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
    avgPool2d(size: (size, size), stride: stride.map { ($0, $0) }, padding: (padding, padding))
  }

  /// The cotangent of an average pooling's input: each output cotangent, divided by the
  /// window area, is added to every input element of its window (padding absorbs its share).
  ///
  /// - Parameters:
  ///   - outputGradient: `[N, C, Ho, Wo]`, the cotangent of the pooled values.
  ///   - inputShape: The pooled tensor's shape `[N, C, H, W]`.
  ///   - size: The forward window size.
  ///   - stride: The forward stride; `nil` means `size`.
  ///   - padding: The forward padding.
  /// - Returns: A tensor of shape `inputShape`.
  public static func avgPool2dInputGradient(
    _ outputGradient: Tensor, inputShape: [Int], size: (Int, Int), stride: (Int, Int)? = nil,
    padding: (Int, Int) = (0, 0)
  ) -> Tensor {
    let geometry = SlidingWindowGeometry(
      pooling: inputShape, size: size, stride: stride, padding: padding, operation: "avgPool2dInputGradient")
    let expected = geometry.outputShape(channels: geometry.channels)
    precondition(
      outputGradient.shape == expected,
      "avgPool2dInputGradient: output gradient has shape \(outputGradient.shape), expected \(expected) for input \(inputShape)")
    guard inputShape.reduce(1, *) > 0, outputGradient.count > 0 else { return .zeros(inputShape) }
    return outputGradient.scalars.withUnsafeBufferPointer { g in
      Tensor(shape: inputShape) { dx in
        guard let g = g.baseAddress, let dx = dx.baseAddress else { return }
        Self.withConcreteScalar(
          float: { avgPoolBackwardKernel($0(g), $0(dx), geometry) },
          double: { avgPoolBackwardKernel($0(g), $0(dx), geometry) },
          other: { avgPoolBackwardKernel(g, dx, geometry) })
      }
    }
  }

  /// The mean over the spatial axes of an NCHW tensor: `[N, C, H, W] -> [N, C]`.
  ///
  /// - Precondition: `self` has rank 4.
  public func globalAveragePool() -> Tensor {
    precondition(rank == 4, "globalAveragePool needs an NCHW input of rank 4, got shape \(shape)")
    return reshaped([shape[0], shape[1], shape[2] * shape[3]]).mean(axis: 2)
  }
}

extension SlidingWindowGeometry {
  /// Validates a pooling window; `stride` defaults to `size`.
  init(pooling input: [Int], size: (Int, Int), stride: (Int, Int)?, padding: (Int, Int), operation: String) {
    precondition(
      size.0 >= 1 && size.1 >= 1, "\(operation): window size \(size) must be at least 1 in each direction")
    precondition(
      padding.0 <= size.0 / 2 && padding.1 <= size.1 / 2,
      "\(operation): padding \(padding) must be at most half the window size \(size)")
    self.init(input: input, window: size, stride: stride ?? size, padding: padding, operation: operation)
  }

  /// The input rows `[lower, upper)` covered by output row `oh`, clipped to the input.
  @inline(__always)
  func inputRows(outputRow oh: Int) -> Range<Int> {
    let start = oh * strideHeight - paddingHeight
    return Swift.max(start, 0)..<Swift.min(start + windowHeight, height)
  }

  /// The input columns covered by output column `ow`, clipped to the input.
  @inline(__always)
  func inputColumns(outputColumn ow: Int) -> Range<Int> {
    let start = ow * strideWidth - paddingWidth
    return Swift.max(start, 0)..<Swift.min(start + windowWidth, width)
  }
}

// MARK: - Kernels

@inline(__always)
func maxPoolKernel<S: TensorScalar>(
  _ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ indices: UnsafeMutablePointer<Int>, _ g: SlidingWindowGeometry
) {
  var out = 0
  for plane in 0..<(g.batch * g.channels) {
    let source = x + plane * g.inputPlane
    for oh in 0..<g.outputHeight {
      let rows = g.inputRows(outputRow: oh)
      for ow in 0..<g.outputWidth {
        let columns = g.inputColumns(outputColumn: ow)
        var best = -S.infinity
        var bestIndex = rows.lowerBound * g.width + columns.lowerBound
        for ih in rows {
          for iw in columns {
            let v = source[ih * g.width + iw]
            if v > best || v.isNaN {
              best = v
              bestIndex = ih * g.width + iw
            }
          }
        }
        y[out] = best
        indices[out] = bestIndex
        out += 1
      }
    }
  }
}

@inline(__always)
func maxPoolBackwardKernel<S: TensorScalar>(
  _ dy: UnsafePointer<S>, _ indices: UnsafePointer<Int>, _ dx: UnsafeMutablePointer<S>,
  planes: Int, plane: Int, outputPlane: Int
) {
  zeroElements(dx, count: planes * plane)
  for p in 0..<planes {
    let target = dx + p * plane
    let offset = p * outputPlane
    for k in 0..<outputPlane { target[indices[offset + k]] += dy[offset + k] }
  }
}

@inline(__always)
func avgPoolKernel<S: TensorScalar>(_ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ g: SlidingWindowGeometry) {
  let scale = 1 / S(g.windowHeight * g.windowWidth)
  var out = 0
  for plane in 0..<(g.batch * g.channels) {
    let source = x + plane * g.inputPlane
    for oh in 0..<g.outputHeight {
      let rows = g.inputRows(outputRow: oh)
      for ow in 0..<g.outputWidth {
        let columns = g.inputColumns(outputColumn: ow)
        var sum: S = 0
        for ih in rows {
          let row = source + ih * g.width
          for iw in columns { sum += row[iw] }
        }
        y[out] = sum * scale
        out += 1
      }
    }
  }
}

@inline(__always)
func avgPoolBackwardKernel<S: TensorScalar>(_ dy: UnsafePointer<S>, _ dx: UnsafeMutablePointer<S>, _ g: SlidingWindowGeometry) {
  zeroElements(dx, count: g.batch * g.channels * g.inputPlane)
  let scale = 1 / S(g.windowHeight * g.windowWidth)
  var out = 0
  for plane in 0..<(g.batch * g.channels) {
    let target = dx + plane * g.inputPlane
    for oh in 0..<g.outputHeight {
      let rows = g.inputRows(outputRow: oh)
      for ow in 0..<g.outputWidth {
        let columns = g.inputColumns(outputColumn: ow)
        let share = dy[out] * scale
        for ih in rows {
          let row = target + ih * g.width
          for iw in columns { row[iw] += share }
        }
        out += 1
      }
    }
  }
}
