import Autodiff
import Networks
import Tensors

/// The section of a network between two node layers with its biases folded in: a function of
/// the start layer's activation `f` and a constant coordinate `c` that multiplies every bias
/// (and BatchNorm's running mean) inside the section, as if each bias were a weight on a
/// constant input `c = 1`.
///
/// Activations are `[B, P, n]` on both sides (``NodeLayer``'s view of the sites).
struct FoldedSection: Sendable {
  let network: Network<Double>
  let start: NodeLayer
  let end: NodeLayer
  private let unit: [String: Variable<Double>]

  init(network: Network<Double>, from start: NodeLayer, to end: NodeLayer) {
    self.network = network
    self.start = start
    self.end = end
    self.unit = network.parameterVariables(trainable: [])
  }

  /// Whether a parameter is a bias-like shift that the constant coordinate multiplies.
  static func isShift(_ name: String) -> Bool { name.hasSuffix(".bias") || name.hasSuffix(".running_mean") }

  /// The parameters with every shift multiplied by `c`.
  func parameters(constant c: Double) -> [String: Variable<Double>] {
    if c == 1 { return unit }
    var scaled = unit
    for (name, value) in unit where FoldedSection.isShift(name) { scaled[name] = Variable(value.value * c) }
    return scaled
  }

  /// The section's output `[B, P', n']` for an input `[B, P, n]` and constant `c`.
  func callAsFunction(_ x: Variable<Double>, constant c: Double = 1) throws -> Variable<Double> {
    let batch = x.shape[0]
    let options = ForwardOptions<Double>(startSite: start.site, stopSite: end.site)
    let y = try network.forward(x.reshaped([batch] + start.shape), parameters: parameters(constant: c), options: options)
    return y.output.reshaped([batch, end.positions, end.width])
  }

  /// The derivative of the output along the constant direction, `d/dc g(mu c + (f - mu), c)`
  /// at `c = 1`, by a central difference with step `h` (exact up to `O(h^2)`), `[B, P', n']`.
  ///
  /// This is the Jacobian-vector product for the constant feature: the mean moves with `c`
  /// at every position and every bias of the section is scaled by it.
  func constantDerivative(_ f: Tensor<Double>, mean: Tensor<Double>, step h: Double) throws -> Tensor<Double> {
    let plus = try self(Variable(f + mean * h), constant: 1 + h).value
    let minus = try self(Variable(f - mean * h), constant: 1 - h).value
    return (plus - minus) / (2 * h)
  }
}
