import Tensors

/// Namespace of the Gromov-Wasserstein solvers between metric-measure spaces `(C1, p)` and
/// `(C2, q)`.
///
/// Every value is in POT's convention, the squared loss summed over all quadruples:
/// `GW = min_T sum_{i,j,k,l} (C1_ik - C2_jl)^2 T_ij T_kl` over couplings `T` (`T 1 = p`,
/// `T^T 1 = q`, `T >= 0`). Memoli's distance is `0.5 * sqrt(GW)` (``GromovWassersteinResult/distance``).
public enum GromovWasserstein {}

/// A starting coupling of the conditional gradient solver.
public enum GromovWassersteinStart: Sendable, Hashable, CustomStringConvertible {
  /// `T = diag(p)`, that is `I/n` for uniform weights: sample `i` matched to sample `i`, meaningful
  /// when both spaces describe the same samples. Its value is `mean((C1 - C2)^2)` for uniform
  /// weights, the RSM norm difference.
  case identity
  /// The independent coupling `T = p q^T` (POT's default start).
  case product
  /// The `index`-th seeded random start: a random permutation `/ n` for uniform weights of equal
  /// size, otherwise a random vertex of the transport polytope (an exact transport plan for
  /// random costs).
  case random(Int)

  public var description: String {
    switch self {
    case .identity: return "identity"
    case .product: return "product"
    case .random(let index): return "random \(index)"
    }
  }
}

/// The exact solver of the linear program in each conditional-gradient step.
public enum LinearSubproblemSolver: String, Sendable, Codable {
  /// Jonker-Volgenant assignment: only for uniform weights and `n == m`, where a permutation is
  /// optimal; the default there. Each start's first step begins from the prices of an
  /// epsilon-scaled forward auction (``JonkerVolgenant/auctionPrices(_:n:scaling:finalRelativeEpsilon:bidLimitPerRow:)``,
  /// about 4 times faster at `n = 1000` than the network simplex from the start's permutation),
  /// later steps from the previous step's prices.
  case assignment
  /// Network simplex exact transport, warm-started from the previous step's basis (each start's
  /// first step from the start's own permutation when weights are uniform): any weights.
  case networkSimplex
}

/// Options of ``GromovWasserstein/conditionalGradient(_:_:options:)``.
public struct ConditionalGradientOptions: Sendable, Equatable {
  /// Whether both spaces describe the same samples in the same order, which adds the identity
  /// start `diag(p)` (first, so it wins ties). Requires `n == m` and `p == q`.
  public var samplesAreShared: Bool
  /// Whether to start from the product coupling `p q^T`.
  public var includesProductStart: Bool
  /// The number of seeded random starts.
  public var randomStarts: Int
  /// The seed of the random starts.
  public var seed: UInt64
  /// The maximum number of conditional-gradient iterations per start.
  public var maxIterations: Int
  /// Stop when `|f_new - f_old| / |f_new|` falls below this (POT's `tol_rel`).
  public var relativeTolerance: Double
  /// Stop when `|f_new - f_old|` falls below this (POT's `tol_abs`).
  public var absoluteTolerance: Double
  /// The exact solver of the linear steps; `nil` means
  /// ``LinearSubproblemSolver/assignment`` for uniform weights and `n == m`, otherwise
  /// ``LinearSubproblemSolver/networkSimplex``. The assignment solvers need uniform weights and
  /// `n == m`.
  public var linearSolver: LinearSubproblemSolver?

  /// Creates options; the defaults match POT's `gromov_wasserstein` stop rule
  /// (`max_iter = 10000`, `tol_rel = tol_abs = 1e-9`) plus three random starts.
  public init(
    samplesAreShared: Bool = false, includesProductStart: Bool = true, randomStarts: Int = 3, seed: UInt64 = 0,
    maxIterations: Int = 10_000, relativeTolerance: Double = 1e-9, absoluteTolerance: Double = 1e-9,
    linearSolver: LinearSubproblemSolver? = nil
  ) {
    self.linearSolver = linearSolver
    self.samplesAreShared = samplesAreShared
    self.includesProductStart = includesProductStart
    self.randomStarts = randomStarts
    self.seed = seed
    self.maxIterations = maxIterations
    self.relativeTolerance = relativeTolerance
    self.absoluteTolerance = absoluteTolerance
  }

  /// POT's `gromov_wasserstein2` with its defaults: the product start only.
  public static var productStartOnly: ConditionalGradientOptions {
    ConditionalGradientOptions(includesProductStart: true, randomStarts: 0)
  }

  /// The starts in the order they are run.
  var starts: [GromovWassersteinStart] {
    (samplesAreShared ? [.identity] : []) + (includesProductStart ? [.product] : [])
      + (0..<Swift.max(0, randomStarts)).map { .random($0) }
  }

  func validate() throws {
    guard randomStarts >= 0 else { throw LayerSimilarityError.invalidOption("randomStarts must be >= 0, got \(randomStarts)") }
    guard !starts.isEmpty else { throw LayerSimilarityError.invalidOption("no starting coupling selected") }
    guard maxIterations >= 1 else {
      throw LayerSimilarityError.invalidOption("maxIterations must be >= 1, got \(maxIterations)")
    }
    guard relativeTolerance >= 0, absoluteTolerance >= 0 else {
      throw LayerSimilarityError.invalidOption("tolerances must be non-negative")
    }
  }
}

/// The outcome of one start of the conditional gradient solver.
public struct GromovWassersteinStartOutcome: Sendable, Equatable {
  /// The starting coupling.
  public let start: GromovWassersteinStart
  /// The value at the starting coupling.
  public let initialValue: Double
  /// The value reached (POT convention).
  public let value: Double
  /// The conditional-gradient iterations run.
  public let iterations: Int
}

/// The result of ``GromovWasserstein/conditionalGradient(_:_:options:)``.
public struct GromovWassersteinResult: Sendable {
  /// The best value found, `sum_{i,j,k,l} (C1_ik - C2_jl)^2 T_ij T_kl` (POT's convention).
  public let value: Double
  /// The coupling `T` reaching ``value``, `[n, m]`.
  public let coupling: Tensor<Double>
  /// The iterations of the winning start.
  public let iterations: Int
  /// The start that reached the lowest value (the earliest one on ties).
  public let winningStart: GromovWassersteinStart
  /// Every start's outcome, in the order run.
  public let starts: [GromovWassersteinStartOutcome]
  /// The linear program solver used in each step.
  public let linearSolver: LinearSubproblemSolver
  /// Floating-point operations of the `C1 T' C2^T` products (the GEMMs), over all starts.
  public var productFlops: Double = 0
  /// Wall seconds spent in those products, over all starts.
  public var productSeconds: Double = 0

  /// Memoli's Gromov-Wasserstein distance `0.5 * sqrt(value)`.
  public var distance: Double { 0.5 * Swift.max(value, 0).squareRoot() }

  /// For each row `i` of ``coupling``, the column holding its largest mass (the matching when
  /// the coupling is a permutation).
  public var matching: [Int] {
    let m = coupling.shape[1]
    return (0..<coupling.shape[0]).map { i in
      var best = 0
      for j in 1..<m where coupling.scalars[i * m + j] > coupling.scalars[i * m + best] { best = j }
      return best
    }
  }
}
