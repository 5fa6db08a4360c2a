import Tensors

extension Variable {
  /// 2-D convolution (cross-correlation) of an NCHW batch `[N, C, H, W]` with an OIHW kernel
  /// `[O, C, kh, kw]`, zero padded, giving `[N, O, Ho, Wo]`; see `Tensor.conv2d(_:stride:padding:)`.
  ///
  /// The pullback computes only the cotangents that are needed: the input's by a GEMM with the
  /// transposed kernel followed by col2im, the kernel's by a GEMM of the output cotangent with
  /// the im2col matrix of the input.
  public func conv2d(_ kernel: Variable, stride: (Int, Int), padding: (Int, Int) = (0, 0)) -> Variable {
    let x = value
    let k = kernel.value
    let y = x.conv2d(k, stride: stride, padding: padding)
    return Variable.recording(y, from: [self, kernel]) { g, needed in
      let dx =
        needed[0]
        ? Tensor.conv2dInputGradient(g, kernel: k, inputShape: x.shape, stride: stride, padding: padding) : nil
      let dk =
        needed[1]
        ? Tensor.conv2dKernelGradient(g, input: x, kernelShape: k.shape, stride: stride, padding: padding) : nil
      return [dx, dk]
    }
  }

  /// 2-D convolution with the same stride and padding along both spatial axes.
  public func conv2d(_ kernel: Variable, stride: Int = 1, padding: Int = 0) -> Variable {
    conv2d(kernel, stride: (stride, stride), padding: (padding, padding))
  }

  /// Max pooling over sliding windows of an NCHW tensor; see `Tensor.maxPool2d(size:stride:padding:)`.
  ///
  /// The pullback routes each output cotangent to the input element its window selected.
  public func maxPool2d(size: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) -> Variable {
    let (y, indices) = value.maxPool2d(size: size, stride: stride, padding: padding)
    let inputShape = shape
    return Variable.recording(y, from: [self]) { g, needed in
      guard needed[0] else { return [nil] }
      return [Tensor.maxPool2dInputGradient(g, indices: indices, inputShape: inputShape)]
    }
  }

  /// Max pooling with square windows.
  public func maxPool2d(size: Int, stride: Int? = nil, padding: Int = 0) -> Variable {
    maxPool2d(size: (size, size), stride: stride.map { ($0, $0) }, padding: (padding, padding))
  }

  /// Average pooling over sliding windows of an NCHW tensor, with padding counted in the
  /// average (PyTorch's `count_include_pad=True`); see `Tensor.avgPool2d(size:stride:padding:)`.
  ///
  /// The pullback spreads each output cotangent evenly over its window.
  public func avgPool2d(size: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) -> Variable {
    let y = value.avgPool2d(size: size, stride: stride, padding: padding)
    let inputShape = shape
    return Variable.recording(y, from: [self]) { g, needed in
      guard needed[0] else { return [nil] }
      return [Tensor.avgPool2dInputGradient(g, inputShape: inputShape, size: size, stride: stride, padding: padding)]
    }
  }

  /// Average pooling with square windows.
  public func avgPool2d(size: Int, stride: Int? = nil, padding: Int = 0) -> Variable {
    avgPool2d(size: (size, size), stride: stride.map { ($0, $0) }, padding: (padding, padding))
  }

  /// The mean over the spatial axes of an NCHW tensor: `[N, C, H, W] -> [N, C]`.
  public func globalAveragePool() -> Variable {
    let inputShape = shape
    let y = value.globalAveragePool()
    return Variable.recording(y, from: [self]) { g, needed in
      guard needed[0] else { return [nil] }
      let area = inputShape[2] * inputShape[3]
      let spread = (g / Scalar(area)).reshaped([inputShape[0], inputShape[1], 1])
        .broadcast(to: [inputShape[0], inputShape[1], area])
      return [spread.reshaped(inputShape)]
    }
  }
}
