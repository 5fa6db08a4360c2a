import Tensors

/// The architecture of a built-in network, stored as JSON in model files.
public enum Architecture: Codable, Sendable, Hashable {
  case mlp(MLPArchitecture)
  case cnn(CNNArchitecture)
  case transformer(TransformerArchitecture)

  var definition: any ArchitectureDefinition {
    switch self {
    case .mlp(let a): a
    case .cnn(let a): a
    case .transformer(let a): a
    }
  }

  /// The per-sample input shape.
  public var inputShape: [Int] { definition.inputShape }

  /// Parameters and buffers in a fixed order.
  public var parameterSpecs: [ParameterSpec] { definition.parameterSpecs }

  /// A short human-readable summary.
  public var summary: String {
    switch self {
    case .mlp(let a):
      "MLP \(a.widths.map(String.init).joined(separator: "-")) (\(a.activation.rawValue)\(a.residual ? ", residual" : ""))"
    case .cnn(let a): "CNN \(a.convolutions.count) conv stages + dense \(a.denseWidths.map(String.init).joined(separator: "-"))"
    case .transformer(let a):
      "transformer \(a.blocks) block(s), d_model \(a.modelWidth), \(a.heads) heads, d_mlp \(a.mlpWidth), \(a.head.rawValue) head"
    }
  }

  func stages<Scalar: TensorScalar>() -> [Stage<Scalar>] { definition.stages() }

  /// Throws when the configuration is impossible.
  public func validate() throws { try definition.validate() }
}
