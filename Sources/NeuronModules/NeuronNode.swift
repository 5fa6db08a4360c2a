/// One node of a ``NeuronGraph``: a unit (neuron or channel) of a network layer.
public struct NeuronNode: Sendable, Hashable, Codable {
  /// The layer's position in the network, 0 for the input. It is kept when a builder leaves
  /// layers out, so it always refers to the same network layer.
  public var layer: Int
  /// The unit's index within its layer (a row of the layer's weight matrix or kernel).
  public var unit: Int
  /// The layer's name, e.g. "input", "layers.0" (units computed by the module `layers.0`,
  /// whose pre-activations are the site "layers.0.pre") or "conv.1".
  public var layerName: String

  public init(layer: Int, unit: Int, layerName: String) {
    self.layer = layer
    self.unit = unit
    self.layerName = layerName
  }
}
