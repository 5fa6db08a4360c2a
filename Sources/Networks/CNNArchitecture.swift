import Autodiff
import Tensors

/// A small convolutional network: convolution stages (conv, optional BatchNorm, activation,
/// optional pooling) followed by a dense head. Input `[channels, height, width]`.
///
/// Sites: "input"; per stage k: "conv.k.pre", "conv.k.norm" (with BatchNorm), "conv.k.post",
/// "conv.k.pool" (with pooling); "flatten"; per hidden dense layer j: "dense.j.pre",
/// "dense.j.post"; "logits".
public struct CNNArchitecture: ArchitectureDefinition {
  /// Spatial pooling after a convolution stage.
  public struct Pooling: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable { case max, average }
    public var kind: Kind
    public var size: Int
    public var stride: Int
    public init(kind: Kind, size: Int, stride: Int? = nil) {
      self.kind = kind
      self.size = size
      self.stride = stride ?? size
    }
  }

  /// One convolution stage.
  public struct Convolution: Codable, Sendable, Hashable {
    public var channels: Int
    public var kernelSize: Int
    public var stride: Int
    public var padding: Int
    public var batchNorm: Bool
    public var pooling: Pooling?
    public init(
      channels: Int, kernelSize: Int = 3, stride: Int = 1, padding: Int = 1, batchNorm: Bool = false, pooling: Pooling? = nil
    ) {
      self.channels = channels
      self.kernelSize = kernelSize
      self.stride = stride
      self.padding = padding
      self.batchNorm = batchNorm
      self.pooling = pooling
    }
  }

  public var inputShape: [Int]
  public var convolutions: [Convolution]
  /// Hidden dense widths followed by the number of classes.
  public var denseWidths: [Int]
  public var activation: Activation

  public init(inputShape: [Int], convolutions: [Convolution], denseWidths: [Int], activation: Activation = .relu) {
    self.inputShape = inputShape
    self.convolutions = convolutions
    self.denseWidths = denseWidths
    self.activation = activation
  }

  /// Feature-map shapes `[C, H, W]` after each stage.
  var mapShapes: [[Int]] {
    var shape = inputShape
    var shapes: [[Int]] = []
    for conv in convolutions {
      var h = (shape[1] + 2 * conv.padding - conv.kernelSize) / conv.stride + 1
      var w = (shape[2] + 2 * conv.padding - conv.kernelSize) / conv.stride + 1
      if let pool = conv.pooling {
        h = (h - pool.size) / pool.stride + 1
        w = (w - pool.size) / pool.stride + 1
      }
      shape = [conv.channels, h, w]
      shapes.append(shape)
    }
    return shapes
  }

  var flattenedWidth: Int { (mapShapes.last ?? inputShape).reduce(1, *) }

  var parameterSpecs: [ParameterSpec] {
    var specs: [ParameterSpec] = []
    var channels = inputShape[0]
    for (k, conv) in convolutions.enumerated() {
      let fanIn = channels * conv.kernelSize * conv.kernelSize
      let bound = 1 / Double(fanIn).squareRoot()
      specs.append(
        ParameterSpec("conv.\(k).weight", [conv.channels, channels, conv.kernelSize, conv.kernelSize], .uniform(bound: bound)))
      specs.append(ParameterSpec("conv.\(k).bias", [conv.channels], .uniform(bound: bound)))
      if conv.batchNorm {
        specs.append(ParameterSpec("conv.\(k).bn.weight", [conv.channels], .ones))
        specs.append(ParameterSpec("conv.\(k).bn.bias", [conv.channels], .zeros))
        specs.append(ParameterSpec("conv.\(k).bn.running_mean", [conv.channels], .zeros, isTrainable: false))
        specs.append(ParameterSpec("conv.\(k).bn.running_var", [conv.channels], .ones, isTrainable: false))
      }
      channels = conv.channels
    }
    let widths = [flattenedWidth] + denseWidths
    for j in 0..<(widths.count - 1) {
      specs += ParameterSpec.linear("dense.\(j)", inputs: widths[j], outputs: widths[j + 1])
    }
    return specs
  }

  func stages<Scalar: TensorScalar>() -> [Stage<Scalar>] {
    var stages: [Stage<Scalar>] = []
    let activation = self.activation
    for (k, conv) in convolutions.enumerated() {
      stages.append(Stage(site: "conv.\(k).pre") { x, c in c.conv2d(x, "conv.\(k)", stride: conv.stride, padding: conv.padding) })
      if conv.batchNorm {
        stages.append(Stage(site: "conv.\(k).norm") { x, c in c.batchNorm(x, "conv.\(k).bn") })
      }
      stages.append(Stage(site: "conv.\(k).post") { x, _ in activation(x) })
      if let pool = conv.pooling {
        stages.append(
          Stage(site: "conv.\(k).pool") { x, _ in
            switch pool.kind {
            case .max: x.maxPool2d(size: pool.size, stride: pool.stride)
            case .average: x.avgPool2d(size: pool.size, stride: pool.stride)
            }
          })
      }
    }
    stages.append(Stage(site: "flatten") { x, _ in x.reshaped([x.shape[0], -1]) })
    for j in 0..<(denseWidths.count - 1) {
      stages.append(Stage(site: "dense.\(j).pre") { x, c in c.linear(x, "dense.\(j)") })
      stages.append(Stage(site: "dense.\(j).post") { x, _ in activation(x) })
    }
    let last = denseWidths.count - 1
    stages.append(Stage(site: "logits") { x, c in c.linear(x, "dense.\(last)") })
    return stages
  }

  func validate() throws {
    guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
      throw NetworkError.invalidArchitecture("CNN input shape must be [channels, height, width], got \(inputShape)")
    }
    guard !denseWidths.isEmpty, denseWidths.allSatisfy({ $0 > 0 }) else {
      throw NetworkError.invalidArchitecture("CNN dense widths must end with the number of classes, got \(denseWidths)")
    }
    var shape = inputShape
    for (k, conv) in convolutions.enumerated() {
      guard conv.channels > 0, conv.kernelSize > 0, conv.stride > 0, conv.padding >= 0 else {
        throw NetworkError.invalidArchitecture("convolution \(k) has a non-positive size")
      }
      let h = (shape[1] + 2 * conv.padding - conv.kernelSize) / conv.stride + 1
      let w = (shape[2] + 2 * conv.padding - conv.kernelSize) / conv.stride + 1
      guard h > 0, w > 0, (conv.pooling.map { $0.size <= h && $0.size <= w && $0.size > 0 && $0.stride > 0 } ?? true) else {
        throw NetworkError.invalidArchitecture("convolution stage \(k) leaves no spatial extent from input \(shape)")
      }
      shape = mapShapes[k]
    }
  }
}
