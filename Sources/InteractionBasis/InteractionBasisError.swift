/// What can go wrong in a Local Interaction Basis analysis; each case names what is wrong.
public enum InteractionBasisError: Error, CustomStringConvertible, Sendable, Equatable {
  /// A node layer that is not a site of the network.
  case unknownNodeLayer(String, available: [String])
  /// A node layer that is a side site (attention pattern, MLP pre-activation inside a block):
  /// a section cannot start there.
  case sideSite(String)
  /// Node layers must follow the forward order of the network.
  case outOfOrder(String, after: String)
  /// At least two node layers are needed (one section).
  case tooFewNodeLayers(Int)
  /// An option outside its range.
  case invalidOption(String)
  /// A NaN or Inf in activations, gradients or a matrix built from them.
  case nonFinite(String)
  /// No inputs were given, or their shape does not fit the network.
  case invalidInputs(String)
  /// Ablations need labels and a classifier or language-model head.
  case noEvaluation(String)
  /// An eigendecomposition failed.
  case linearAlgebra(String)

  public var description: String {
    switch self {
    case .unknownNodeLayer(let name, let available):
      "unknown node layer \"\(name)\"; the network's main-path sites are: \(available.joined(separator: ", "))"
    case .sideSite(let name):
      "node layer \"\(name)\" is a side site (not on the main path), so no section can start there"
    case .outOfOrder(let name, let previous):
      "node layers must follow the forward order: \"\(name)\" comes before \"\(previous)\" in the network"
    case .tooFewNodeLayers(let count): "the Local Interaction Basis needs at least two node layers, got \(count)"
    case .invalidOption(let message): message
    case .nonFinite(let message): "non-finite values: \(message)"
    case .invalidInputs(let message): message
    case .noEvaluation(let message): message
    case .linearAlgebra(let message): "eigendecomposition failed: \(message)"
    }
  }
}
