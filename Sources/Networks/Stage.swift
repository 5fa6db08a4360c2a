import Autodiff
import Tensors

/// One step of a network's sequential view: it maps the activation at one main-path site
/// to the next main-path site, possibly passing through side sites on the way.
struct Stage<Scalar: TensorScalar> {
  /// The main-path site this stage ends at.
  let site: String
  let run: (Variable<Scalar>, SiteContext<Scalar>) throws -> Variable<Scalar>
}

/// What every architecture provides: its parameters and its stages.
protocol ArchitectureDefinition: Codable, Sendable, Hashable {
  /// The per-sample input shape.
  var inputShape: [Int] { get }
  /// Parameters and buffers in a fixed order.
  var parameterSpecs: [ParameterSpec] { get }
  /// The forward pass as stages between main-path sites.
  func stages<Scalar: TensorScalar>() -> [Stage<Scalar>]
  /// Throws when the configuration is impossible (zero widths, heads not dividing width, ...).
  func validate() throws
}
