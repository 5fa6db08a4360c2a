import Tensors

/// The basis of one node layer: features `f^ = [s0 * 1, C^T (f - mu)]`, where feature 0 is the
/// constant direction (the folded-in biases and the mean) and `C` is `[n, k]`.
///
/// For the LIB, `C = U D^-1/2 V Lambda^1/2` and `s0 = Lambda_0^1/2`; for PCA, `C = U` and
/// `s0 = 1`. For the last node layer (the logits) the basis is the identity and nothing is
/// centred, so its features are the logits themselves. `inverse` (`C+`, `[k, n]`) maps
/// features back: `f = mu + C+^T f^` on the kept subspace, with `C^T C+^T = I`.
public struct LayerBasis: Sendable {
  /// Which basis this is.
  public var kind: BasisKind
  /// The node layer.
  public var layer: NodeLayer
  /// `mu`, `[n]` (zero for the output layer).
  public var mean: Tensor<Double>
  /// `C`, `[n, k]`.
  public var basis: Tensor<Double>
  /// `C+`, `[k, n]`.
  public var inverse: Tensor<Double>
  /// `s0`, the scale of the constant feature (0 for the output layer, which has none).
  public var constantScale: Double
  /// The eigenvalues that order the features: Lambda for the LIB, D for PCA, descending.
  public var importances: [Double]

  /// The number of non-constant features k.
  public var size: Int { basis.shape[1] }

  /// The features `C^T (f - mu)` of activations `[m, n]`, `[m, k]`.
  public func features(_ activations: Tensor<Double>) -> Tensor<Double> {
    (activations - mean).matmul(basis)
  }

  /// The identity basis of the output layer.
  static func output(_ layer: NodeLayer, kind: BasisKind) -> LayerBasis {
    let n = layer.width
    return LayerBasis(
      kind: kind, layer: layer, mean: Tensor.zeros([n]), basis: Tensor.identity(n), inverse: Tensor.identity(n),
      constantScale: 0, importances: [])
  }
}
