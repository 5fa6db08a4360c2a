import Autodiff
import Tensors

/// A named point in a network's forward pass whose activation can be captured, replaced
/// or differentiated (like a TransformerLens hook point).
public struct Site: Sendable, Hashable, Codable {
  /// The dotted name, e.g. "layers.1.post" or "blocks.0.attn.pattern".
  public var name: String
  /// The activation shape for one sample (the batch axis left out).
  public var shape: [Int]
  /// Whether a section of the network can start here: the site carries the whole state
  /// the rest of the forward pass needs (the residual stream, a layer's output).
  public var isOnMainPath: Bool
}

/// What a forward pass should do besides computing the output.
public struct ForwardOptions<Scalar: TensorScalar>: Sendable {
  /// Sites to record.
  public var capture: Set<String>
  /// Replacement functions applied at sites (the replaced value is what gets captured).
  public var interventions: [String: Intervention<Scalar>]
  /// Use batch statistics in BatchNorm (training) instead of running averages.
  public var training: Bool
  /// Start at this main-path site: the input is then that site's activation.
  public var startSite: String?
  /// Stop once this site has been computed; the output is its activation.
  public var stopSite: String?

  public init(
    capture: Set<String> = [], interventions: [String: Intervention<Scalar>] = [:], training: Bool = false,
    startSite: String? = nil, stopSite: String? = nil
  ) {
    self.capture = capture
    self.interventions = interventions
    self.training = training
    self.startSite = startSite
    self.stopSite = stopSite
  }
}

/// The output of a forward pass and the captured activations.
public struct ForwardResult<Scalar: TensorScalar>: Sendable {
  /// The logits, or the stop site's activation.
  public var output: Variable<Scalar>
  /// Captured activations by site name.
  public var captured: [String: Variable<Scalar>]
  /// BatchNorm running statistics updated by a training pass (parameter name -> value).
  public var updatedBuffers: [String: Tensor<Scalar>]
}

/// Thrown inside a forward pass to stop early at the stop site.
struct StopForward: Error {}

/// The mutable state of one forward pass: applies interventions, records captures, and
/// stops at the stop site.
final class SiteContext<Scalar: TensorScalar> {
  let options: ForwardOptions<Scalar>
  let parameters: [String: Variable<Scalar>]
  var captured: [String: Variable<Scalar>] = [:]
  var updatedBuffers: [String: Tensor<Scalar>] = [:]
  var stopValue: Variable<Scalar>?
  /// When set, every site visited is appended to `order` with its full shape.
  var recordsOrder = false
  var order: [(String, [Int])] = []
  /// With `recordsOrder`: every parameter read, with the number of sites visited before it.
  var parameterReads: [(sitesBefore: Int, name: String)] = []

  init(options: ForwardOptions<Scalar>, parameters: [String: Variable<Scalar>]) {
    self.options = options
    self.parameters = parameters
  }

  /// Passes an activation through the site `name`.
  func site(_ name: String, _ value: Variable<Scalar>) throws -> Variable<Scalar> {
    var v = value
    if recordsOrder { order.append((name, value.shape)) }
    if let intervention = options.interventions[name] { v = intervention.transform(v) }
    if options.capture.contains(name) { captured[name] = v }
    if options.stopSite == name {
      stopValue = v
      throw StopForward()
    }
    return v
  }

  /// The parameter called `name`.
  func parameter(_ name: String) -> Variable<Scalar> {
    guard let p = parameters[name] else { preconditionFailure("network has no parameter \(name)") }
    if recordsOrder { parameterReads.append((order.count, name)) }
    return p
  }
}
