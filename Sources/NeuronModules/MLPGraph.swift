import Networks
import Tensors

/// What an MLP's weight graph includes.
public struct MLPGraphOptions: Sendable, Hashable {
  /// Include the input units (layer 0); on by default, as in the papers.
  public var includeInputUnits: Bool
  /// Include the output units (the logits); on by default, as in the papers.
  public var includeOutputUnits: Bool

  public init(includeInputUnits: Bool = true, includeOutputUnits: Bool = true) {
    self.includeInputUnits = includeInputUnits
    self.includeOutputUnits = includeOutputUnits
  }
}

extension NeuronGraph {
  /// The weight graph of an MLP: nodes are the units of every layer, the edge between unit
  /// `u` of layer `k` and unit `o` of layer `k + 1` is `|W_k[o, u]|` ("layers.k.weight").
  /// Biases are ignored, and so are residual connections (they carry no weights).
  ///
  /// Layer `k > 0` is named "layers.{k-1}" after the module computing it (its pre-activations
  /// are the site "layers.{k-1}.pre"; the last one is the logits); layer 0 is "input".
  ///
  /// - Throws: ``NeuronModulesError/unsupportedArchitecture(_:)`` for a non-MLP network,
  ///   ``NeuronModulesError/invalidParameter(name:reason:)`` for a NaN or infinite weight.
  public init<Scalar: TensorScalar>(mlpWeightsOf network: Network<Scalar>, options: MLPGraphOptions = .init()) throws {
    guard case .mlp(let architecture) = network.architecture else {
      throw NeuronModulesError.unsupportedArchitecture("\(network.architecture.summary) (expected an MLP)")
    }
    let widths = architecture.widths
    var layers = widths.enumerated().map { k, width in
      GraphLayer(index: k, name: k == 0 ? "input" : "layers.\(k - 1)", width: width)
    }
    var connections = try (0..<(widths.count - 1)).map { k in
      try absoluteWeights(of: network, named: "layers.\(k).weight", shape: [widths[k + 1], widths[k]])
    }
    if !options.includeOutputUnits && layers.count > 1 {
      layers.removeLast()
      connections.removeLast()
    }
    if !options.includeInputUnits && layers.count > 1 {
      layers.removeFirst()
      connections.removeFirst()
    }
    try self.init(layers: layers, connections: connections)
  }

  /// The weight graph of a supported network with default options: an MLP's units
  /// (``init(mlpWeightsOf:options:)``) or a CNN's channels (``init(cnnWeightsOf:options:)``).
  public init<Scalar: TensorScalar>(weightsOf network: Network<Scalar>) throws {
    switch network.architecture {
    case .mlp: try self.init(mlpWeightsOf: network)
    case .cnn: try self.init(cnnWeightsOf: network)
    case .transformer: throw NeuronModulesError.unsupportedArchitecture(network.architecture.summary)
    }
  }
}

/// `|W|` in `Double`, after checking the parameter's presence, shape and finiteness.
func absoluteWeights<Scalar: TensorScalar>(of network: Network<Scalar>, named name: String, shape: [Int]) throws
  -> Tensor<Double>
{
  let tensor = try parameter(of: network, named: name, shape: shape)
  return Tensor(shape: tensor.shape, scalars: tensor.scalars.map { Swift.abs(Double($0)) })
}

/// A parameter after checking its presence, shape and finiteness.
func parameter<Scalar: TensorScalar>(of network: Network<Scalar>, named name: String, shape: [Int]) throws
  -> Tensor<Scalar>
{
  guard let tensor = network.parameters[name] else {
    throw NeuronModulesError.invalidParameter(name: name, reason: "missing")
  }
  guard tensor.shape == shape else {
    throw NeuronModulesError.invalidParameter(name: name, reason: "has shape \(tensor.shape), expected \(shape)")
  }
  guard tensor.isFinite else { throw NeuronModulesError.invalidParameter(name: name, reason: "contains NaN or infinity") }
  return tensor
}
