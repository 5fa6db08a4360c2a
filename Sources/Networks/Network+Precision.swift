import Tensors

extension Network {
  /// The same network with its parameters converted to another precision.
  public func converted<Other: TensorScalar>(to _: Other.Type) throws -> Network<Other> {
    try Network<Other>(architecture: architecture, parameters: parameters.mapValues { $0.converted(to: Other.self) })
  }
}
