import Tensors

/// Options of ``GromovWasserstein/entropic(_:_:options:)``.
public struct EntropicGromovWassersteinOptions: Sendable, Equatable {
  /// The starting coupling of the entropic iterations.
  public enum Start: String, Sendable, Equatable {
    /// `p q^T`, POT's default.
    case product
    /// `diag(p)`: needs `n == m` and `p == q` (shared samples).
    case identity
  }

  /// The target regularization `eps` (absolute: normalize `C1` and `C2` first).
  public var epsilon: Double
  /// The first `eps` of the annealing schedule; `eps` is multiplied by ``annealingFactor`` until
  /// it reaches ``epsilon``. Equal to ``epsilon`` for no annealing.
  public var initialEpsilon: Double
  /// The factor in `(0, 1)` between successive annealing stages.
  public var annealingFactor: Double
  /// The starting coupling.
  public var start: Start
  /// The maximum outer (projected gradient) iterations per annealing stage (POT's `max_iter`).
  public var maxIterations: Int
  /// Stop a stage when `||T_new - T||_F` falls below this (POT's `tol`); stages before the last
  /// use `max(tolerance, 1e-6)`.
  public var tolerance: Double
  /// The maximum Sinkhorn sweeps per projection.
  public var sinkhornMaxIterations: Int
  /// Stop Sinkhorn when the L1 marginal error falls below this; stages before the last use
  /// `max(sinkhornTolerance, 1e-7)`.
  public var sinkhornTolerance: Double

  /// Creates options; by default `eps` is annealed from `16 eps` by halving.
  public init(
    epsilon: Double, initialEpsilon: Double? = nil, annealingFactor: Double = 0.5, start: Start = .product,
    maxIterations: Int = 1000, tolerance: Double = 1e-9, sinkhornMaxIterations: Int = 10_000,
    sinkhornTolerance: Double = 1e-9
  ) {
    self.epsilon = epsilon
    self.initialEpsilon = initialEpsilon ?? 16 * epsilon
    self.annealingFactor = annealingFactor
    self.start = start
    self.maxIterations = maxIterations
    self.tolerance = tolerance
    self.sinkhornMaxIterations = sinkhornMaxIterations
    self.sinkhornTolerance = sinkhornTolerance
  }

  /// The regularizations of the successive stages, ending at ``epsilon``.
  public var schedule: [Double] {
    var values: [Double] = []
    var current = Swift.max(initialEpsilon, epsilon)
    while current > epsilon * (1 + 1e-12) && values.count < 200 {
      values.append(current)
      current *= annealingFactor
    }
    values.append(epsilon)
    return values
  }

  func validate() throws {
    guard epsilon > 0, epsilon.isFinite, initialEpsilon.isFinite else {
      throw LayerSimilarityError.invalidOption("epsilon must be positive and finite, got \(epsilon)")
    }
    guard annealingFactor > 0, annealingFactor < 1 else {
      throw LayerSimilarityError.invalidOption("annealingFactor must lie in (0, 1), got \(annealingFactor)")
    }
    guard maxIterations >= 1, sinkhornMaxIterations >= 1 else {
      throw LayerSimilarityError.invalidOption("iteration limits must be >= 1")
    }
    guard tolerance >= 0, sinkhornTolerance >= 0 else {
      throw LayerSimilarityError.invalidOption("tolerances must be non-negative")
    }
  }
}

/// The result of ``GromovWasserstein/entropic(_:_:options:)``.
public struct EntropicGromovWassersteinResult: Sendable {
  /// `sum_{i,j,k,l} (C1_ik - C2_jl)^2 T_ij T_kl` at the final plan, computed like POT's
  /// `entropic_gromov_wasserstein2` (`<constC, T> - 2 <C1 T C2^T, T>` with `T`'s actual marginals);
  /// no entropy term.
  public let value: Double
  /// The plan `T`, `[n, m]`, dense.
  public let coupling: Tensor<Double>
  /// `||T 1 - p||_1 + ||T^T 1 - q||_1` of the final plan.
  public let marginalError: Double
  /// The outer iterations run, summed over the stages.
  public let iterations: Int
  /// The regularization of each stage, the last being the target `eps`.
  public let epsilons: [Double]
  /// Whether the last stage met its tolerance before ``EntropicGromovWassersteinOptions/maxIterations``.
  public let converged: Bool

  /// Memoli's distance `0.5 * sqrt(value)` for the entropic plan.
  public var distance: Double { 0.5 * Swift.max(value, 0).squareRoot() }
}

extension GromovWasserstein {
  /// Entropic Gromov-Wasserstein by projected gradient in the Kullback-Leibler geometry (Peyre,
  /// Cuturi and Solomon 2016; POT's `entropic_gromov_wasserstein`, solver "PGD"):
  /// `T <- Sinkhorn_eps(p, q, M = -4 C1 T C2^T)`, the square-loss gradient up to row and column
  /// terms that the Sinkhorn projection absorbs. Sinkhorn runs in the log domain (see
  /// ``LogDomainSinkhorn``) with potentials warm-started across iterations, and `eps` is
  /// annealed from ``EntropicGromovWassersteinOptions/initialEpsilon`` down to the target,
  /// which avoids many poor fixed points of small `eps`.
  ///
  /// - Throws: ``LayerSimilarityError`` for invalid options or an identity start between spaces
  ///   of different sizes or weights.
  public static func entropic(
    _ source: MetricMeasureSpace, _ target: MetricMeasureSpace, options: EntropicGromovWassersteinOptions
  ) throws -> EntropicGromovWassersteinResult {
    try options.validate()
    let objective = SquareLossObjective(source, target)
    let n = objective.n
    let m = objective.m
    var plan = [Double](repeating: 0, count: n * m)
    switch options.start {
    case .product:
      for i in 0..<n {
        for j in 0..<m { plan[i * m + j] = objective.p[i] * objective.q[j] }
      }
    case .identity:
      guard n == m else {
        throw LayerSimilarityError.sampleCountMismatch(
          first: source.layer, firstCount: n, second: target.layer, secondCount: m)
      }
      guard zip(objective.p, objective.q).allSatisfy({ Swift.abs($0 - $1) <= 1e-12 }) else {
        throw LayerSimilarityError.invalidWeights(
          layer: target.layer, reason: "the identity start needs the same weights as layer '\(source.layer)'")
      }
      for i in 0..<n { plan[i * m + i] = objective.p[i] }
    }
    var sinkhorn = LogDomainSinkhorn(p: objective.p, q: objective.q)
    var next = [Double](repeating: 0, count: n * m)
    var product = [Double](repeating: 0, count: n * m)
    var scratch = [Double](repeating: 0, count: n * m)
    let schedule = options.schedule
    var iterations = 0
    var converged = false
    var marginalError = Double.infinity
    for (stage, epsilon) in schedule.enumerated() {
      let isLast = stage == schedule.count - 1
      let tolerance = isLast ? options.tolerance : Swift.max(options.tolerance, 1e-6)
      let sinkhornTolerance = isLast ? options.sinkhornTolerance : Swift.max(options.sinkhornTolerance, 1e-7)
      converged = false
      for _ in 0..<options.maxIterations {
        iterations += 1
        plan.withUnsafeBufferPointer { t in
          product.withUnsafeMutableBufferPointer { g in
            scratch.withUnsafeMutableBufferPointer { work in
              objective.product(dense: t.baseAddress!, into: g.baseAddress!, scratch: work.baseAddress!)
              for k in 0..<(n * m) { g[k] *= -4 }
            }
          }
        }
        marginalError = product.withUnsafeBufferPointer { costs in
          next.withUnsafeMutableBufferPointer { out in
            sinkhorn.solve(
              costs: costs.baseAddress!, epsilon: epsilon, maxIterations: options.sinkhornMaxIterations,
              tolerance: sinkhornTolerance, plan: out.baseAddress!
            ).marginalError
          }
        }
        var change = 0.0
        for k in 0..<(n * m) {
          let d = next[k] - plan[k]
          change += d * d
        }
        swap(&plan, &next)
        if change.squareRoot() < tolerance {
          converged = true
          break
        }
      }
    }
    let value = plan.withUnsafeBufferPointer { t in
      product.withUnsafeMutableBufferPointer { g in
        scratch.withUnsafeMutableBufferPointer { work in
          objective.product(dense: t.baseAddress!, into: g.baseAddress!, scratch: work.baseAddress!)
          return objective.linearTerm(t.baseAddress!) - 2 * innerProduct(g.baseAddress!, t.baseAddress!, count: n * m)
        }
      }
    }
    return EntropicGromovWassersteinResult(
      value: value, coupling: Tensor(shape: [n, m], scalars: plan), marginalError: marginalError, iterations: iterations,
      epsilons: schedule, converged: converged)
  }
}
