import Networks
import Tensors

/// How a convolution kernel slice `|K[out, in, :, :]|` becomes one edge weight.
public enum KernelNorm: String, Sendable, Hashable, Codable, CaseIterable {
  /// The sum of the absolute entries (what the papers' text describes); the default.
  case entrywiseL1
  /// The induced matrix 1-norm of the `[kh, kw]` slice: the largest column sum of absolute
  /// values, `max_w sum_h |K[out, in, h, w]|` (numpy's `norm(·, 1)`, what the authors' code used).
  case maxColumnSum
}

/// What a CNN's channel graph includes.
///
/// The defaults reproduce the authors' code: nodes are the output channels of every
/// convolution stage, edges join consecutive stages, the input channels and the dense head
/// are left out.
public struct CNNGraphOptions: Sendable, Hashable {
  /// How a kernel slice becomes an edge weight.
  public var kernelNorm: KernelNorm
  /// Include the input image channels (layer 0) and the first convolution's edges to them.
  public var includeInputChannels: Bool
  /// Include the dense layers' units. The edge between channel `c` of the last stage (or of the
  /// input, without convolutions) and unit `j` of the first dense layer is the sum of
  /// `|W[j, f]|` over the flattened features `f` of that channel, whatever ``kernelNorm`` says.
  public var includeDenseHead: Bool
  /// With the dense head, include its last layer (the logits).
  public var includeOutputUnits: Bool
  /// The BatchNorm epsilon used when folding (PyTorch's default; the authors' Keras models used 1e-3).
  public var batchNormEpsilon: Double

  public init(
    kernelNorm: KernelNorm = .entrywiseL1, includeInputChannels: Bool = false, includeDenseHead: Bool = false,
    includeOutputUnits: Bool = true, batchNormEpsilon: Double = 1e-5
  ) {
    self.kernelNorm = kernelNorm
    self.includeInputChannels = includeInputChannels
    self.includeDenseHead = includeDenseHead
    self.includeOutputUnits = includeOutputUnits
    self.batchNormEpsilon = batchNormEpsilon
  }
}

extension NeuronGraph {
  /// The channel graph of a CNN ("conv.k.weight" `[out, in, kh, kw]`).
  ///
  /// A stage with BatchNorm is folded in first: kernel slice `K[o]` is multiplied by
  /// `gamma_o / sqrt(running_var_o + eps)`, so the edge between input channel `i` and output
  /// channel `o` is `|gamma_o| / sqrt(running_var_o + eps) * norm(|K[o, i, :, :]|)`.
  ///
  /// Layers are "input" (index 0), "conv.k" (index k + 1) and, with the dense head,
  /// "dense.j" (index convolutions + 1 + j).
  ///
  /// - Throws: ``NeuronModulesError`` for a non-CNN network or a missing or non-finite parameter.
  public init<Scalar: TensorScalar>(cnnWeightsOf network: Network<Scalar>, options: CNNGraphOptions = .init()) throws {
    guard case .cnn(let architecture) = network.architecture else {
      throw NeuronModulesError.unsupportedArchitecture("\(network.architecture.summary) (expected a CNN)")
    }
    guard options.batchNormEpsilon >= 0 else {
      throw NeuronModulesError.invalidOption("BatchNorm epsilon \(options.batchNormEpsilon) is negative")
    }
    var layers = [GraphLayer(index: 0, name: "input", width: architecture.inputShape[0])]
    var connections: [Tensor<Double>] = []
    var channels = architecture.inputShape[0]
    for (k, conv) in architecture.convolutions.enumerated() {
      let prefix = "conv.\(k)"
      let kernel = try parameter(
        of: network, named: "\(prefix).weight", shape: [conv.channels, channels, conv.kernelSize, conv.kernelSize])
      var scales = [Double](repeating: 1, count: conv.channels)
      if conv.batchNorm {
        let gamma = try parameter(of: network, named: "\(prefix).bn.weight", shape: [conv.channels])
        let variance = try parameter(of: network, named: "\(prefix).bn.running_var", shape: [conv.channels])
        for o in 0..<conv.channels {
          let denominator = (Double(variance.scalars[o]) + options.batchNormEpsilon).squareRoot()
          guard denominator > 0 else {
            throw NeuronModulesError.invalidParameter(
              name: "\(prefix).bn.running_var", reason: "channel \(o): running_var + eps is not positive")
          }
          scales[o] = Swift.abs(Double(gamma.scalars[o])) / denominator
        }
      }
      connections.append(
        kernelConnections(
          kernel, outputs: conv.channels, inputs: channels, size: conv.kernelSize, scales: scales, norm: options.kernelNorm))
      layers.append(GraphLayer(index: k + 1, name: prefix, width: conv.channels))
      channels = conv.channels
    }
    if options.includeDenseHead {
      let firstDense = architecture.convolutions.count + 1
      var inputs = -1
      for (j, width) in architecture.denseWidths.enumerated() {
        let name = "dense.\(j).weight"
        guard let weight = network.parameters[name], weight.rank == 2, weight.shape[0] == width else {
          throw NeuronModulesError.invalidParameter(name: name, reason: "missing or not [\(width), in]")
        }
        let matrix = try absoluteWeights(of: network, named: name, shape: [width, j == 0 ? weight.shape[1] : inputs])
        if j == 0 {
          connections.append(try flattenConnections(matrix, channels: channels, name: name))
        } else {
          connections.append(matrix)
        }
        layers.append(GraphLayer(index: firstDense + j, name: "dense.\(j)", width: width))
        inputs = width
      }
      if !options.includeOutputUnits && !architecture.denseWidths.isEmpty {
        layers.removeLast()
        connections.removeLast()
      }
    }
    if !options.includeInputChannels && layers.count > 1 {
      layers.removeFirst()
      connections.removeFirst()
    }
    try self.init(layers: layers, connections: connections)
  }
}

/// `[outputs, inputs]` edge weights from a `[outputs, inputs, size, size]` kernel.
private func kernelConnections<Scalar: TensorScalar>(
  _ kernel: Tensor<Scalar>, outputs: Int, inputs: Int, size: Int, scales: [Double], norm: KernelNorm
) -> Tensor<Double> {
  var result = [Double](repeating: 0, count: outputs * inputs)
  let area = size * size
  for o in 0..<outputs {
    for i in 0..<inputs {
      let base = (o * inputs + i) * area
      var value = 0.0
      switch norm {
      case .entrywiseL1:
        for p in 0..<area { value += Swift.abs(Double(kernel.scalars[base + p])) }
      case .maxColumnSum:
        for w in 0..<size {
          var column = 0.0
          for h in 0..<size { column += Swift.abs(Double(kernel.scalars[base + h * size + w])) }
          value = Swift.max(value, column)
        }
      }
      result[o * inputs + i] = scales[o] * value
    }
  }
  return Tensor(shape: [outputs, inputs], scalars: result)
}

/// `[units, channels]` edge weights from the first dense layer's `|W|` `[units, channels * HW]`:
/// PyTorch flattens `[C, H, W]` channel-major, so channel `c` owns features `c*HW..<(c+1)*HW`.
private func flattenConnections(_ matrix: Tensor<Double>, channels: Int, name: String) throws -> Tensor<Double> {
  let (units, features) = (matrix.shape[0], matrix.shape[1])
  guard channels > 0, features % channels == 0 else {
    throw NeuronModulesError.invalidParameter(name: name, reason: "\(features) inputs do not split into \(channels) channels")
  }
  let positions = features / channels
  var result = [Double](repeating: 0, count: units * channels)
  for j in 0..<units {
    for c in 0..<channels {
      var sum = 0.0
      for p in 0..<positions { sum += matrix.scalars[j * features + c * positions + p] }
      result[j * channels + c] = sum
    }
  }
  return Tensor(shape: [units, channels], scalars: result)
}
