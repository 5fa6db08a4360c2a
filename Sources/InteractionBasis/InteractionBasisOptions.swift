/// Which basis a node layer is expressed in.
public enum BasisKind: String, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
  /// The Local Interaction Basis: `C = U D^-1/2 V Lambda^1/2` (PCA, whitening, alignment
  /// with the next layer's Jacobian, scaling by importance).
  case lib
  /// The PCA baseline: `C = U`, a centred rotation (no whitening, no scaling).
  case pca
}

/// Which ablation experiments to run.
public enum AblationKind: String, Codable, Sendable, CaseIterable {
  /// Keep the top m directions of a node layer, mean-ablate the rest.
  case node
  /// Keep the k strongest edges of a section; bisect for the fewest within tolerance.
  case edge
}

/// The options of a Local Interaction Basis analysis (rib's `basis_formula: jacobian`,
/// `edge_formula: squared`, `center: true`).
public struct InteractionBasisOptions: Codable, Sendable, Hashable {
  /// Main-path sites in forward order; nil takes ``NodeLayers/defaults(for:)``.
  public var nodeLayers: [String]?
  /// The bases to build (LIB, PCA or both).
  public var bases: [BasisKind]
  /// Samples per batch for the Gram matrix and the Jacobian passes.
  public var batchSize: Int
  /// Cotangent rows per backward pass (the batch is replicated this many times).
  public var cotangentChunk: Int
  /// Eigenvalues of the Gram matrix D and of M (Lambda) at or below this are dropped.
  public var threshold: Double
  /// Also drop eigenvalues below this fraction of the largest one (nil: absolute only).
  public var relativeThreshold: Double?
  /// Random ±1 sources over output positions instead of one cotangent per output position
  /// (sequence models; rib's stochastic sources); nil computes every position exactly.
  public var stochasticSources: Int?
  /// Seed for stochastic sources.
  public var seed: UInt64
  /// Ablation experiments to run.
  public var ablations: [AblationKind]
  /// Accuracy tolerance for "fewest directions" and "edges required".
  public var accuracyTolerance: Double
  /// The step h of the central difference along the constant direction.
  public var constantStep: Double
  /// For modular-addition inputs `[a, b, =]`: the modulus for the Fourier view (nil: none).
  public var fourierModulus: Int?
  /// Worker threads for the Jacobian passes over sample batches (0: all cores).
  public var threads: Int

  public init(
    nodeLayers: [String]? = nil, bases: [BasisKind] = [.lib, .pca], batchSize: Int = 256, cotangentChunk: Int = 32,
    threshold: Double = 1e-15, relativeThreshold: Double? = nil, stochasticSources: Int? = nil, seed: UInt64 = 0,
    ablations: [AblationKind] = [.node, .edge], accuracyTolerance: Double = 0.001, constantStep: Double = 1e-5,
    fourierModulus: Int? = nil, threads: Int = 0
  ) {
    self.nodeLayers = nodeLayers
    self.bases = bases
    self.batchSize = batchSize
    self.cotangentChunk = cotangentChunk
    self.threshold = threshold
    self.relativeThreshold = relativeThreshold
    self.stochasticSources = stochasticSources
    self.seed = seed
    self.ablations = ablations
    self.accuracyTolerance = accuracyTolerance
    self.constantStep = constantStep
    self.fourierModulus = fourierModulus
    self.threads = threads
  }

  /// Throws ``InteractionBasisError/invalidOption(_:)`` for impossible values.
  public func validate() throws {
    func fail(_ message: String) -> InteractionBasisError { .invalidOption(message) }
    guard !bases.isEmpty else { throw fail("at least one basis (lib or pca) is needed") }
    guard batchSize >= 1 else { throw fail("the batch size must be at least 1, got \(batchSize)") }
    guard cotangentChunk >= 1 else { throw fail("the cotangent chunk must be at least 1, got \(cotangentChunk)") }
    guard threshold.isFinite, threshold > 0 else { throw fail("the threshold must be a positive number, got \(threshold)") }
    if let r = relativeThreshold, !(r.isFinite && r > 0 && r < 1) {
      throw fail("the relative threshold must lie in (0, 1), got \(r)")
    }
    if let r = stochasticSources, r < 1 { throw fail("stochastic sources must be at least 1, got \(r)") }
    guard accuracyTolerance.isFinite, accuracyTolerance >= 0 else {
      throw fail("the accuracy tolerance must be a non-negative number, got \(accuracyTolerance)")
    }
    guard constantStep.isFinite, constantStep > 0, constantStep < 0.1 else {
      throw fail("the constant step must lie in (0, 0.1), got \(constantStep)")
    }
    if let p = fourierModulus, p < 2 { throw fail("the Fourier modulus must be at least 2, got \(p)") }
    guard threads >= 0 else { throw fail("threads must be 0 (all cores) or more, got \(threads)") }
  }
}
