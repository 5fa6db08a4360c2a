import Autodiff
import Networks
import Tensors

/// A layer of units (neurons, or channels of a convolution) and the site holding their
/// pre-activations, named and numbered as in the weight graphs (see ``NeuronNode``).
public struct UnitLayerSite: Sendable, Hashable {
  /// The layer: index (0 for the input), name ("layers.0", "conv.1", "dense.0") and width.
  public var layer: GraphLayer
  /// The site of the units' pre-activations: "layers.k.pre", "conv.k.norm" (after BatchNorm,
  /// before the activation) or "conv.k.pre", "dense.j.pre", and "logits" for the output layer.
  public var site: String
  /// Whether the site holds `[C, H, W]` maps; a channel's value for one input is then the
  /// Euclidean norm of its map over space.
  public var isSpatial: Bool
  /// False for the output layer (the logits).
  public var isHidden: Bool
}

/// The unit layers of an MLP or CNN after the input, in forward order: every hidden layer,
/// then the output layer.
///
/// - Throws: ``NeuronModulesError/unsupportedArchitecture(_:)`` for a transformer.
public func unitLayerSites<Scalar: TensorScalar>(of network: Network<Scalar>) throws -> [UnitLayerSite] {
  switch network.architecture {
  case .mlp(let architecture):
    let widths = architecture.widths
    return (1..<widths.count).map { k in
      let isHidden = k < widths.count - 1
      return UnitLayerSite(
        layer: GraphLayer(index: k, name: "layers.\(k - 1)", width: widths[k]),
        site: isHidden ? "layers.\(k - 1).pre" : "logits", isSpatial: false, isHidden: isHidden)
    }
  case .cnn(let architecture):
    var layers: [UnitLayerSite] = []
    for (k, conv) in architecture.convolutions.enumerated() {
      layers.append(
        UnitLayerSite(
          layer: GraphLayer(index: k + 1, name: "conv.\(k)", width: conv.channels),
          site: conv.batchNorm ? "conv.\(k).norm" : "conv.\(k).pre", isSpatial: true, isHidden: true))
    }
    let firstDense = architecture.convolutions.count + 1
    for (j, width) in architecture.denseWidths.enumerated() {
      let isHidden = j < architecture.denseWidths.count - 1
      layers.append(
        UnitLayerSite(
          layer: GraphLayer(index: firstDense + j, name: "dense.\(j)", width: width),
          site: isHidden ? "dense.\(j).pre" : "logits", isSpatial: false, isHidden: isHidden))
    }
    return layers
  case .transformer:
    throw NeuronModulesError.unsupportedArchitecture(network.architecture.summary)
  }
}

/// Each layer's unit values on `inputs` (`[n, ...inputShape]`): one `[n, width]` matrix per
/// layer, in the order given; spatial maps are reduced to their Euclidean norm over space.
/// The forward passes run `batchSize` inputs at a time.
///
/// - Throws: ``NeuronModulesError/invalidShape(_:)`` for inputs of the wrong shape, or errors
///   of the forward pass.
func capturedUnitValues<Scalar: TensorScalar>(
  of network: Network<Scalar>, inputs: Tensor<Scalar>, layers: [UnitLayerSite], batchSize: Int = 512
) throws -> [Tensor<Double>] {
  guard inputs.rank >= 1, Array(inputs.shape.dropFirst()) == network.architecture.inputShape else {
    throw NeuronModulesError.invalidShape(
      "inputs \(inputs.shape) do not match the network's input shape [n] + \(network.architecture.inputShape)")
  }
  let n = inputs.shape[0]
  var values = layers.map { [Double](repeating: 0, count: n * $0.layer.width) }
  let sites = Set(layers.map(\.site))
  var start = 0
  while start < n {
    let end = Swift.min(n, start + Swift.max(1, batchSize))
    let batch = start == 0 && end == n ? inputs : inputs.slice(axis: 0, start..<end)
    let result = try network.forward(Variable(batch), options: ForwardOptions(capture: sites))
    for (l, layer) in layers.enumerated() {
      guard let captured = result.captured[layer.site]?.value else {
        throw NeuronModulesError.invalidShape("site \(layer.site) was not captured")
      }
      let width = layer.layer.width
      let perSample = captured.count / Swift.max(1, end - start)
      guard captured.shape.count >= 2, captured.shape[0] == end - start, captured.shape[1] == width,
        perSample % width == 0
      else {
        throw NeuronModulesError.invalidShape(
          "site \(layer.site) has shape \(captured.shape), expected [\(end - start), \(width), ...]")
      }
      let area = perSample / width
      let scalars = doubleScalars(captured.scalars)
      for b in 0..<(end - start) {
        let row = (start + b) * width
        for u in 0..<width {
          let base = b * perSample + u * area
          if layer.isSpatial {
            var sum = 0.0
            for p in 0..<area {
              let x = scalars[base + p]
              sum += x * x
            }
            values[l][row + u] = sum.squareRoot()
          } else {
            values[l][row + u] = scalars[base]
          }
        }
      }
    }
    start = end
  }
  return zip(layers, values).map { Tensor(shape: [n, $0.layer.width], scalars: $1) }
}

/// The elements as `Double`, converted by a concrete (specialized) loop for `Float`.
private func doubleScalars<Scalar: TensorScalar>(_ scalars: [Scalar]) -> [Double] {
  if Scalar.self == Double.self { return unsafeBitCast(scalars, to: [Double].self) }
  if Scalar.self == Float.self { return unsafeBitCast(scalars, to: [Float].self).map(Double.init) }
  return scalars.map { Double($0) }
}
