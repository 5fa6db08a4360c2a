import Autodiff
import Tensors

/// The elementwise nonlinearity of a layer.
public enum Activation: String, Codable, Sendable, CaseIterable {
  case relu, gelu, tanh, sigmoid
  /// No nonlinearity: `x -> x` (a linear network, for tests and baselines).
  case identity

  func callAsFunction<Scalar>(_ x: Variable<Scalar>) -> Variable<Scalar> {
    switch self {
    case .relu: x.relu()
    case .gelu: x.gelu()
    case .tanh: x.tanh()
    case .sigmoid: x.sigmoid()
    case .identity: x
    }
  }
}
