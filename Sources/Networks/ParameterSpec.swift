import Tensors

/// One named parameter or buffer of a network, its shape and how it is initialized.
public struct ParameterSpec: Sendable, Hashable, Codable {
  /// How a fresh network fills the tensor.
  public enum Initialization: Sendable, Hashable, Codable {
    /// Uniform in [-bound, bound] (PyTorch's default for Linear and Conv2d: 1/sqrt(fan_in)).
    case uniform(bound: Double)
    /// Normal with mean 0.
    case normal(standardDeviation: Double)
    case zeros
    case ones
  }

  public var name: String
  public var shape: [Int]
  public var initialization: Initialization
  /// False for buffers such as BatchNorm running statistics, which optimizers leave alone.
  public var isTrainable: Bool

  public init(_ name: String, _ shape: [Int], _ initialization: Initialization, isTrainable: Bool = true) {
    self.name = name
    self.shape = shape
    self.initialization = initialization
    self.isTrainable = isTrainable
  }

  /// A Linear layer's weight `[out, in]` and bias `[out]`.
  static func linear(_ prefix: String, inputs: Int, outputs: Int, bias: Bool = true) -> [ParameterSpec] {
    let bound = 1 / Double(inputs).squareRoot()
    var specs = [ParameterSpec("\(prefix).weight", [outputs, inputs], .uniform(bound: bound))]
    if bias { specs.append(ParameterSpec("\(prefix).bias", [outputs], .uniform(bound: bound))) }
    return specs
  }

  func initialValue<Scalar: TensorScalar>(using generator: inout SeededGenerator) -> Tensor<Scalar> {
    switch initialization {
    case .uniform(let bound):
      return Tensor.uniform(shape: shape, in: Scalar(-bound)..<Scalar(bound), using: &generator)
    case .normal(let sd):
      return Tensor.normal(shape: shape, mean: 0, standardDeviation: Scalar(sd), using: &generator)
    case .zeros: return Tensor.zeros(shape)
    case .ones: return Tensor.ones(shape)
    }
  }
}
