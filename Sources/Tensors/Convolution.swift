// 2-D convolution on NCHW tensors by im2col + GEMM, and its two adjoints.
//
// Layouts follow PyTorch: input `[N, C, H, W]`, kernel `[O, C, kh, kw]` (OIHW), output
// `[N, O, Ho, Wo]` with `Ho = (H + 2 * padding.0 - kh) / stride.0 + 1` (likewise `Wo`), so
// PyTorch `Conv2d` weights can be used as they are. The operation is cross-correlation (the
// kernel is not flipped), like every deep-learning framework's "convolution".
//
// The im2col matrix of a group of images is `[C * kh * kw, images * Ho * Wo]`: row
// `(c * kh + i) * kw + j` holds input channel `c` shifted by kernel offset `(i, j)`, one run of
// `Ho * Wo` columns per image. Images are processed in groups, each costing one im2col and one
// GEMM with the whole group in the GEMM's `n` dimension. Groups are sized so that the im2col
// buffer stays within `convolutionColumnBudget` bytes: written by im2col and read right away by
// the GEMM, it then stays in the L2 cache, and on [64, 16, 28, 28] inputs one image per GEMM
// (Float) measured about 1.7x faster single-threaded than one GEMM over the whole batch. Small
// images are grouped so that the GEMMs stay large.
//
// The per-element loops are generic functions marked `@inline(__always)` that each public entry
// point calls with `Float` or `Double` pointers (see `withConcreteScalar`), so they are compiled
// specialized even when the caller is itself generic over the scalar type (as `Autodiff` is).

/// The largest im2col buffer built at once, in bytes (an image whose buffer is larger is still
/// processed alone). 512 KiB fits a typical L2 cache next to the GEMM's packing buffers.
let convolutionColumnBudget = 1 << 19

extension Tensor {
  /// 2-D convolution (cross-correlation) of an NCHW batch with an OIHW kernel, zero padded.
  ///
  /// - Parameters:
  ///   - kernel: Weights `[O, C, kh, kw]` (PyTorch's `Conv2d.weight` layout), where `C`
  ///     matches the input's channel count.
  ///   - stride: The window step `(vertical, horizontal)`, each at least 1.
  ///   - padding: Zero rows added above and below, zero columns added left and right.
  /// - Returns: `[N, O, Ho, Wo]` with `Ho = (H + 2 * padding.0 - kh) / stride.0 + 1` and
  ///   `Wo = (W + 2 * padding.1 - kw) / stride.1 + 1`. There is no bias term; add one with a
  ///   broadcast `[1, O, 1, 1]` tensor.
  /// - Precondition: `self` has rank 4, `kernel` has rank 4 with as many input channels as
  ///   `self`, and the padded input is at least as large as the kernel.
  ///
  /// Computed as im2col followed by one BLAS GEMM per group of images.
  public func conv2d(_ kernel: Tensor, stride: (Int, Int), padding: (Int, Int) = (0, 0)) -> Tensor {
    let geometry = SlidingWindowGeometry(
      convolutionInput: shape, kernel: kernel.shape, stride: stride, padding: padding, operation: "conv2d")
    let outputShape = geometry.outputShape(channels: kernel.shape[0])
    guard outputShape.reduce(1, *) > 0 else { return .zeros(outputShape) }
    // An empty input (H or W of zero, only padding left) or an empty kernel gives zeros.
    guard count > 0, kernel.count > 0 else { return .zeros(outputShape) }
    return scalars.withUnsafeBufferPointer { x in
      kernel.scalars.withUnsafeBufferPointer { k in
        Tensor(shape: outputShape) { y in
          guard let x = x.baseAddress, let k = k.baseAddress, let y = y.baseAddress else { return }
          Self.withConcreteScalar(
            float: { convolutionForwardKernel($0(x), $0(k), $0(y), geometry, outputChannels: outputShape[1]) },
            double: { convolutionForwardKernel($0(x), $0(k), $0(y), geometry, outputChannels: outputShape[1]) },
            other: { convolutionForwardKernel(x, k, y, geometry, outputChannels: outputShape[1]) })
        }
      }
    }
  }

  /// 2-D convolution with the same stride and padding along both spatial axes; see
  /// `conv2d(_:stride:padding:)`.
  public func conv2d(_ kernel: Tensor, stride: Int = 1, padding: Int = 0) -> Tensor {
    conv2d(kernel, stride: (stride, stride), padding: (padding, padding))
  }

  /// The cotangent of a convolution's input given the cotangent of its output (the adjoint of
  /// `conv2d(_:stride:padding:)` in its input, a transposed convolution).
  ///
  /// Computed as the GEMM `kernel^T * outputGradient` into im2col layout, then col2im, which
  /// adds every column back onto the input pixel it was read from.
  ///
  /// - Parameters:
  ///   - outputGradient: `[N, O, Ho, Wo]`, the cotangent of the convolution's output.
  ///   - kernel: The `[O, C, kh, kw]` kernel of the forward convolution.
  ///   - inputShape: The forward input's shape `[N, C, H, W]` (with a stride above 1, `H` and
  ///     `W` cannot be recovered from the output size).
  ///   - stride: The forward convolution's stride.
  ///   - padding: The forward convolution's padding.
  /// - Returns: A tensor of shape `inputShape`.
  public static func conv2dInputGradient(
    _ outputGradient: Tensor, kernel: Tensor, inputShape: [Int], stride: (Int, Int), padding: (Int, Int)
  ) -> Tensor {
    let geometry = SlidingWindowGeometry(
      convolutionInput: inputShape, kernel: kernel.shape, stride: stride, padding: padding,
      operation: "conv2dInputGradient")
    let expected = geometry.outputShape(channels: kernel.shape[0])
    precondition(
      outputGradient.shape == expected,
      "conv2dInputGradient: output gradient has shape \(outputGradient.shape), expected \(expected) for input \(inputShape) and kernel \(kernel.shape)"
    )
    guard inputShape.reduce(1, *) > 0, outputGradient.count > 0, kernel.count > 0 else {
      return .zeros(inputShape)
    }
    return outputGradient.scalars.withUnsafeBufferPointer { g in
      kernel.scalars.withUnsafeBufferPointer { k in
        Tensor(shape: inputShape) { dx in
          guard let g = g.baseAddress, let k = k.baseAddress, let dx = dx.baseAddress else { return }
          Self.withConcreteScalar(
            float: { convolutionInputGradientKernel($0(g), $0(k), $0(dx), geometry, outputChannels: expected[1]) },
            double: { convolutionInputGradientKernel($0(g), $0(k), $0(dx), geometry, outputChannels: expected[1]) },
            other: { convolutionInputGradientKernel(g, k, dx, geometry, outputChannels: expected[1]) })
        }
      }
    }
  }

  /// The cotangent of a convolution's kernel given the cotangent of its output (the adjoint
  /// of `conv2d(_:stride:padding:)` in its kernel).
  ///
  /// Computed as the GEMM `outputGradient * im2col(input)^T`, accumulated over groups of images.
  ///
  /// - Parameters:
  ///   - outputGradient: `[N, O, Ho, Wo]`, the cotangent of the convolution's output.
  ///   - input: The `[N, C, H, W]` input of the forward convolution.
  ///   - kernelShape: The forward kernel's shape `[O, C, kh, kw]`.
  ///   - stride: The forward convolution's stride.
  ///   - padding: The forward convolution's padding.
  /// - Returns: A tensor of shape `kernelShape`.
  public static func conv2dKernelGradient(
    _ outputGradient: Tensor, input: Tensor, kernelShape: [Int], stride: (Int, Int), padding: (Int, Int)
  ) -> Tensor {
    let geometry = SlidingWindowGeometry(
      convolutionInput: input.shape, kernel: kernelShape, stride: stride, padding: padding,
      operation: "conv2dKernelGradient")
    let expected = geometry.outputShape(channels: kernelShape[0])
    precondition(
      outputGradient.shape == expected,
      "conv2dKernelGradient: output gradient has shape \(outputGradient.shape), expected \(expected) for input \(input.shape) and kernel \(kernelShape)"
    )
    guard kernelShape.reduce(1, *) > 0, outputGradient.count > 0, input.count > 0 else {
      return .zeros(kernelShape)
    }
    return outputGradient.scalars.withUnsafeBufferPointer { g in
      input.scalars.withUnsafeBufferPointer { x in
        Tensor(shape: kernelShape) { dk in
          guard let g = g.baseAddress, let x = x.baseAddress, let dk = dk.baseAddress else { return }
          Self.withConcreteScalar(
            float: { convolutionKernelGradientKernel($0(g), $0(x), $0(dk), geometry, outputChannels: expected[1]) },
            double: { convolutionKernelGradientKernel($0(g), $0(x), $0(dk), geometry, outputChannels: expected[1]) },
            other: { convolutionKernelGradientKernel(g, x, dk, geometry, outputChannels: expected[1]) })
        }
      }
    }
  }
}

// MARK: - Geometry

/// The sliding-window geometry shared by convolution and pooling on NCHW tensors.
struct SlidingWindowGeometry: Sendable {
  let batch: Int
  let channels: Int
  let height: Int
  let width: Int
  let windowHeight: Int
  let windowWidth: Int
  let strideHeight: Int
  let strideWidth: Int
  let paddingHeight: Int
  let paddingWidth: Int
  let outputHeight: Int
  let outputWidth: Int

  /// Validates and records a window over an NCHW input of shape `input`.
  init(input: [Int], window: (Int, Int), stride: (Int, Int), padding: (Int, Int), operation: String) {
    precondition(input.count == 4, "\(operation) needs an NCHW input of rank 4, got shape \(input)")
    precondition(input.allSatisfy { $0 >= 0 }, "\(operation): negative extent in input shape \(input)")
    precondition(
      window.0 >= 1 && window.1 >= 1, "\(operation): window size \(window) must be at least 1 in each direction")
    precondition(stride.0 >= 1 && stride.1 >= 1, "\(operation): stride \(stride) must be at least 1 in each direction")
    precondition(padding.0 >= 0 && padding.1 >= 0, "\(operation): padding \(padding) must not be negative")
    let paddedHeight = input[2] + 2 * padding.0
    let paddedWidth = input[3] + 2 * padding.1
    precondition(
      paddedHeight >= window.0 && paddedWidth >= window.1,
      "\(operation): padded input \(paddedHeight)x\(paddedWidth) is smaller than the \(window.0)x\(window.1) window")
    batch = input[0]
    channels = input[1]
    height = input[2]
    width = input[3]
    (windowHeight, windowWidth) = window
    (strideHeight, strideWidth) = stride
    (paddingHeight, paddingWidth) = padding
    outputHeight = (paddedHeight - window.0) / stride.0 + 1
    outputWidth = (paddedWidth - window.1) / stride.1 + 1
  }

  /// Validates a convolution's input `[N, C, H, W]` against its kernel `[O, C, kh, kw]`.
  init(convolutionInput input: [Int], kernel: [Int], stride: (Int, Int), padding: (Int, Int), operation: String) {
    precondition(kernel.count == 4, "\(operation) needs an OIHW kernel of rank 4, got shape \(kernel)")
    precondition(kernel.allSatisfy { $0 >= 0 }, "\(operation): negative extent in kernel shape \(kernel)")
    precondition(input.count == 4, "\(operation) needs an NCHW input of rank 4, got shape \(input)")
    precondition(
      kernel[1] == input[1],
      "\(operation): kernel \(kernel) expects \(kernel[1]) input channels, but the input \(input) has \(input[1])")
    self.init(input: input, window: (kernel[2], kernel[3]), stride: stride, padding: padding, operation: operation)
  }

  /// `[N, channels, Ho, Wo]`.
  func outputShape(channels: Int) -> [Int] { [batch, channels, outputHeight, outputWidth] }

  var inputPlane: Int { height * width }
  var outputPlane: Int { outputHeight * outputWidth }
  /// Rows of the im2col matrix: `C * kh * kw`.
  var patchSize: Int { channels * windowHeight * windowWidth }

  /// The output rows whose window row `offset` falls inside the input (not in the padding).
  func validOutputRows(windowRow offset: Int) -> Range<Int> {
    Self.validRange(offset: offset, stride: strideHeight, padding: paddingHeight, extent: height, output: outputHeight)
  }

  /// The output columns whose window column `offset` falls inside the input.
  func validOutputColumns(windowColumn offset: Int) -> Range<Int> {
    Self.validRange(offset: offset, stride: strideWidth, padding: paddingWidth, extent: width, output: outputWidth)
  }

  /// Output positions `o` with `0 <= o * stride - padding + offset < extent`.
  private static func validRange(offset: Int, stride: Int, padding: Int, extent: Int, output: Int) -> Range<Int> {
    let lower = Swift.min(offset < padding ? (padding - offset + stride - 1) / stride : 0, output)
    let last = extent - 1 + padding - offset
    let upper = last < 0 ? 0 : Swift.min(output, last / stride + 1)
    return lower..<Swift.max(lower, upper)
  }

  /// How many images fit in one im2col buffer of at most `convolutionColumnBudget` bytes of
  /// elements of `elementSize` bytes (at least one image).
  func imagesPerGroup(elementSize: Int) -> Int {
    let imageBytes = Swift.max(patchSize * outputPlane * elementSize, 1)
    return Swift.max(1, Swift.min(batch, convolutionColumnBudget / imageBytes))
  }
}

// MARK: - Scalar specialization

/// Reinterprets a typed pointer as pointing to `T`; the caller guarantees the memory holds `T`.
struct PointerCast<T> {
  @inline(__always) func callAsFunction<U>(_ p: UnsafePointer<U>) -> UnsafePointer<T> {
    UnsafeRawPointer(p).assumingMemoryBound(to: T.self)
  }
  @inline(__always) func callAsFunction<U>(_ p: UnsafeMutablePointer<U>) -> UnsafeMutablePointer<T> {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: T.self)
  }
}

extension Tensor {
  /// Runs `float` when `Scalar` is `Float`, `double` when it is `Double` (each receiving a
  /// pointer cast to that type), and `other` for any other scalar type. Calling the generic
  /// kernels from the first two closures compiles them specialized, whatever the caller.
  @inline(__always)
  static func withConcreteScalar(
    float: (PointerCast<Float>) -> Void, double: (PointerCast<Double>) -> Void, other: () -> Void
  ) {
    if Scalar.self == Float.self {
      float(PointerCast())
    } else if Scalar.self == Double.self {
      double(PointerCast())
    } else {
      other()
    }
  }
}

// MARK: - Kernels

/// Fills the im2col matrix `[C * kh * kw, images.count * Ho * Wo]` for `images` of `x`.
@inline(__always)
func im2col<S: TensorScalar>(
  _ x: UnsafePointer<S>, _ g: SlidingWindowGeometry, images: Range<Int>, into col: UnsafeMutablePointer<S>
) {
  let plane = g.inputPlane
  let outPlane = g.outputPlane
  let outWidth = g.outputWidth
  let rowLength = images.count * outPlane
  var row = col
  for c in 0..<g.channels {
    for i in 0..<g.windowHeight {
      let rows = g.validOutputRows(windowRow: i)
      for j in 0..<g.windowWidth {
        let columns = g.validOutputColumns(windowColumn: j)
        let firstColumn = columns.lowerBound * g.strideWidth - g.paddingWidth + j
        for image in 0..<images.count {
          let source = x + ((images.lowerBound + image) * g.channels + c) * plane
          let destination = row + image * outPlane
          zeroElements(destination, count: rows.lowerBound * outWidth)
          for oh in rows {
            let sourceRow = source + (oh * g.strideHeight - g.paddingHeight + i) * g.width + firstColumn
            let destinationRow = destination + oh * outWidth
            zeroElements(destinationRow, count: columns.lowerBound)
            let run = destinationRow + columns.lowerBound
            if g.strideWidth == 1 {
              for k in 0..<columns.count { run[k] = sourceRow[k] }
            } else {
              let step = g.strideWidth
              for k in 0..<columns.count { run[k] = sourceRow[k * step] }
            }
            zeroElements(destinationRow + columns.upperBound, count: outWidth - columns.upperBound)
          }
          zeroElements(destination + rows.upperBound * outWidth, count: (g.outputHeight - rows.upperBound) * outWidth)
        }
        row += rowLength
      }
    }
  }
}

/// Adds every entry of the im2col-layout matrix `col` onto the pixel of `dx` it came from.
@inline(__always)
func col2imAccumulating<S: TensorScalar>(
  _ col: UnsafePointer<S>, _ g: SlidingWindowGeometry, images: Range<Int>, into dx: UnsafeMutablePointer<S>
) {
  let plane = g.inputPlane
  let outPlane = g.outputPlane
  let outWidth = g.outputWidth
  let rowLength = images.count * outPlane
  for image in 0..<images.count {
    for c in 0..<g.channels {
      let target = dx + ((images.lowerBound + image) * g.channels + c) * plane
      for i in 0..<g.windowHeight {
        let rows = g.validOutputRows(windowRow: i)
        for j in 0..<g.windowWidth {
          let columns = g.validOutputColumns(windowColumn: j)
          if columns.isEmpty { continue }
          let firstColumn = columns.lowerBound * g.strideWidth - g.paddingWidth + j
          let source = col + ((c * g.windowHeight + i) * g.windowWidth + j) * rowLength + image * outPlane
          for oh in rows {
            let targetRow = target + (oh * g.strideHeight - g.paddingHeight + i) * g.width + firstColumn
            let sourceRow = source + oh * outWidth + columns.lowerBound
            if g.strideWidth == 1 {
              for k in 0..<columns.count { targetRow[k] += sourceRow[k] }
            } else {
              let step = g.strideWidth
              for k in 0..<columns.count { targetRow[k * step] += sourceRow[k] }
            }
          }
        }
      }
    }
  }
}

/// Sets `count` elements to zero.
@inline(__always)
func zeroElements<S: TensorScalar>(_ p: UnsafeMutablePointer<S>, count: Int) {
  for k in 0..<count { p[k] = 0 }
}

/// Copies images `images` of `y: [N, rows, plane]` into `packed: [rows, images.count * plane]`.
@inline(__always)
func packImages<S: TensorScalar>(
  _ y: UnsafePointer<S>, rows: Int, plane: Int, images: Range<Int>, into packed: UnsafeMutablePointer<S>
) {
  let rowLength = images.count * plane
  for image in 0..<images.count {
    let source = y + (images.lowerBound + image) * rows * plane
    for r in 0..<rows {
      let from = source + r * plane
      let to = packed + r * rowLength + image * plane
      for k in 0..<plane { to[k] = from[k] }
    }
  }
}

/// The inverse of ``packImages(_:rows:plane:images:into:)``.
@inline(__always)
func unpackImages<S: TensorScalar>(
  _ packed: UnsafePointer<S>, rows: Int, plane: Int, images: Range<Int>, into y: UnsafeMutablePointer<S>
) {
  let rowLength = images.count * plane
  for image in 0..<images.count {
    let target = y + (images.lowerBound + image) * rows * plane
    for r in 0..<rows {
      let from = packed + r * rowLength + image * plane
      let to = target + r * plane
      for k in 0..<plane { to[k] = from[k] }
    }
  }
}

/// `y[n] = kernel * im2col(x[n])` for every image, one GEMM per group of images.
@inline(__always)
func convolutionForwardKernel<S: TensorScalar>(
  _ x: UnsafePointer<S>, _ kernel: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, _ g: SlidingWindowGeometry,
  outputChannels: Int
) {
  let patch = g.patchSize
  let outPlane = g.outputPlane
  let group = g.imagesPerGroup(elementSize: MemoryLayout<S>.stride)
  let col = UnsafeMutablePointer<S>.allocate(capacity: patch * group * outPlane)
  defer { col.deallocate() }
  // With more than one image per group the GEMM result is [O, images * P] and is unpacked.
  let staging = group > 1 ? UnsafeMutablePointer<S>.allocate(capacity: outputChannels * group * outPlane) : nil
  defer { staging?.deallocate() }
  for first in stride(from: 0, to: g.batch, by: group) {
    let images = first..<Swift.min(first + group, g.batch)
    let columns = images.count * outPlane
    im2col(x, g, images: images, into: col)
    let target = images.count == 1 ? y + first * outputChannels * outPlane : (staging ?? y)
    S.gemm(
      transposeA: false, transposeB: false, m: outputChannels, n: columns, k: patch,
      alpha: 1, a: kernel, lda: patch, b: col, ldb: columns, beta: 0, c: target, ldc: columns)
    if images.count > 1 {
      unpackImages(target, rows: outputChannels, plane: outPlane, images: images, into: y)
    }
  }
}

/// `dx[n] = col2im(kernel^T * dy[n])`.
@inline(__always)
func convolutionInputGradientKernel<S: TensorScalar>(
  _ dy: UnsafePointer<S>, _ kernel: UnsafePointer<S>, _ dx: UnsafeMutablePointer<S>, _ g: SlidingWindowGeometry,
  outputChannels: Int
) {
  let patch = g.patchSize
  let outPlane = g.outputPlane
  let group = g.imagesPerGroup(elementSize: MemoryLayout<S>.stride)
  zeroElements(dx, count: g.batch * g.channels * g.inputPlane)
  let col = UnsafeMutablePointer<S>.allocate(capacity: patch * group * outPlane)
  defer { col.deallocate() }
  let packed = group > 1 ? UnsafeMutablePointer<S>.allocate(capacity: outputChannels * group * outPlane) : nil
  defer { packed?.deallocate() }
  for first in stride(from: 0, to: g.batch, by: group) {
    let images = first..<Swift.min(first + group, g.batch)
    let columns = images.count * outPlane
    var source = dy + first * outputChannels * outPlane
    if images.count > 1, let packed {
      packImages(dy, rows: outputChannels, plane: outPlane, images: images, into: packed)
      source = UnsafePointer(packed)
    }
    S.gemm(
      transposeA: true, transposeB: false, m: patch, n: columns, k: outputChannels,
      alpha: 1, a: kernel, lda: patch, b: source, ldb: columns, beta: 0, c: col, ldc: columns)
    col2imAccumulating(col, g, images: images, into: dx)
  }
}

/// `dkernel = sum over n of dy[n] * im2col(x[n])^T`.
@inline(__always)
func convolutionKernelGradientKernel<S: TensorScalar>(
  _ dy: UnsafePointer<S>, _ x: UnsafePointer<S>, _ dkernel: UnsafeMutablePointer<S>, _ g: SlidingWindowGeometry,
  outputChannels: Int
) {
  let patch = g.patchSize
  let outPlane = g.outputPlane
  let group = g.imagesPerGroup(elementSize: MemoryLayout<S>.stride)
  let col = UnsafeMutablePointer<S>.allocate(capacity: patch * group * outPlane)
  defer { col.deallocate() }
  let packed = group > 1 ? UnsafeMutablePointer<S>.allocate(capacity: outputChannels * group * outPlane) : nil
  defer { packed?.deallocate() }
  for first in stride(from: 0, to: g.batch, by: group) {
    let images = first..<Swift.min(first + group, g.batch)
    let columns = images.count * outPlane
    im2col(x, g, images: images, into: col)
    var source = dy + first * outputChannels * outPlane
    if images.count > 1, let packed {
      packImages(dy, rows: outputChannels, plane: outPlane, images: images, into: packed)
      source = UnsafePointer(packed)
    }
    S.gemm(
      transposeA: false, transposeB: true, m: outputChannels, n: patch, k: columns,
      alpha: 1, a: source, lda: columns, b: col, ldb: columns, beta: first == 0 ? 0 : 1, c: dkernel, ldc: patch)
  }
}
