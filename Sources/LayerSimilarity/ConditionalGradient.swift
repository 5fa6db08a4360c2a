import Dispatch
import Tensors

extension GromovWasserstein {
  /// Exact Gromov-Wasserstein by conditional gradient (Frank-Wolfe) from several starts.
  ///
  /// Each iteration linearizes `f(T) = sum (C1_ik - C2_jl)^2 T_ij T_kl` at the current coupling
  /// `T` (gradient `2 constC - 4 C1 T C2^T`, where `constC` only adds row and column terms that
  /// do not change the linear program), solves the linear program exactly, and moves towards its
  /// solution with the exact line search on the quadratic (closed form, as POT's
  /// `solve_gromov_linesearch`). The linear program is solved exactly: for uniform weights of equal
  /// size by Jonker-Volgenant assignment (each start's first step from the prices of an
  /// epsilon-scaled auction, later steps from the previous step's prices), otherwise by the
  /// network simplex warm-started from the previous basis (see ``LinearSubproblemSolver``); at
  /// the product start the gradient is rank one and the comonotone coupling solves it exactly in
  /// `O(n log n)`. Because the linear solution `T'` is a vertex (at most `n + m - 1` entries),
  /// `C1 T' C2^T` costs one GEMM of `2 n m R` flops for the `R` rows holding entries of `T'`, or
  /// of its difference from the previous solution when that has fewer, and `C1 T C2^T` is updated
  /// as a convex combination: one GEMM per iteration.
  /// It stops like POT: when the value changes by less than `relativeTolerance` relative or
  /// `absoluteTolerance` absolute, or after `maxIterations`.
  ///
  /// The problem is not convex; POT's only start, `p q^T`, often stops after one or two
  /// iterations. The solver runs every start selected in `options` and keeps the lowest value.
  ///
  /// - Returns: the best value (POT's convention), its coupling, which start won and every
  ///   start's value.
  /// - Throws: ``LayerSimilarityError`` for invalid options, or when `samplesAreShared` is set
  ///   but the spaces differ in size or weights.
  public static func conditionalGradient(
    _ source: MetricMeasureSpace, _ target: MetricMeasureSpace, options: ConditionalGradientOptions = .init()
  ) throws -> GromovWassersteinResult {
    try options.validate()
    if options.samplesAreShared {
      guard source.count == target.count else {
        throw LayerSimilarityError.sampleCountMismatch(
          first: source.layer, firstCount: source.count, second: target.layer, secondCount: target.count)
      }
      guard zip(source.weightValues, target.weightValues).allSatisfy({ Swift.abs($0 - $1) <= 1e-12 }) else {
        throw LayerSimilarityError.invalidWeights(
          layer: target.layer, reason: "the identity start needs the same weights as layer '\(source.layer)'")
      }
    }
    let permutationsSuffice = source.hasUniformWeights && target.hasUniformWeights && source.count == target.count
    if options.linearSolver == .assignment && !permutationsSuffice {
      throw LayerSimilarityError.invalidOption(
        "the assignment solver needs uniform weights and equal sample counts; use the network simplex")
    }
    var solver = ConditionalGradientSolver(
      objective: SquareLossObjective(source, target), options: options, permutationsSuffice: permutationsSuffice,
      linearSolver: options.linearSolver ?? (permutationsSuffice ? .assignment : .networkSimplex))
    var generator = SeededGenerator(seed: options.seed)
    var randomGenerators = generator.split(into: options.randomStarts)
    var outcomes: [GromovWassersteinStartOutcome] = []
    // The winning coupling: its entries, or dense when it still has every entry of `p q^T`.
    var denseWinner: [Double] = []
    var best: (value: Double, coupling: SparseCoupling?, iterations: Int, start: GromovWassersteinStart)?
    for start in options.starts {
      let coupling: ConditionalGradientSolver.Start
      switch start {
      case .identity: coupling = .sparse(.diagonal(source.weightValues))
      case .product: coupling = .product
      case .random(let index): coupling = .sparse(solver.randomVertex(using: &randomGenerators[index]))
      }
      let run = solver.solve(from: coupling)
      outcomes.append(
        GromovWassersteinStartOutcome(start: start, initialValue: run.initialValue, value: run.value, iterations: run.iterations))
      if best == nil || run.value < best!.value {
        best = (run.value, solver.coupling.support == nil ? nil : solver.coupling.entries, run.iterations, start)
        if best!.coupling == nil { denseWinner = solver.coupling.dense }
      }
    }
    let winner = best!
    var result = GromovWassersteinResult(
      value: winner.value,
      coupling: Tensor(
        shape: [source.count, target.count],
        scalars: winner.coupling.map { $0.dense(n: source.count, m: target.count) } ?? denseWinner),
      iterations: winner.iterations, winningStart: winner.start, starts: outcomes,
      linearSolver: solver.linearSolver)
    result.productFlops = solver.productFlops
    result.productSeconds = solver.productSeconds
    return result
  }
}

/// The conditional gradient iterations from one start, with buffers reused across starts.
struct ConditionalGradientSolver {
  enum Start {
    case product
    case sparse(SparseCoupling)
  }

  let objective: SquareLossObjective
  let options: ConditionalGradientOptions
  /// Uniform weights of equal size: random starts are permutations.
  let permutationsSuffice: Bool
  let linearSolver: LinearSubproblemSolver
  /// The network simplex with the basis of the previous linear step (warm start).
  private var simplex: NetworkSimplex
  /// `C1 p` and `C2 q`, the factors of the rank-one `G` at the product start.
  private let productFactors: (left: [Double], right: [Double])
  /// The current coupling `T` (`n x m`).
  private(set) var coupling: ConvexCombination
  /// `-G = -C1 T C2^T`, the linear program's costs (up to row and column terms).
  private var negatedProduct: [Double]
  /// `C1 V C2^T` for the latest linear step's solution `V`, updated by the difference of
  /// consecutive solutions when that has fewer rows than the solution itself.
  private var vertexProduct: [Double]
  private var scratch = ProductScratch()
  /// Flops and wall seconds of the sparse products `C1 V C2^T`, accumulated over starts.
  private(set) var productFlops = 0.0
  private(set) var productSeconds = 0.0

  init(
    objective: SquareLossObjective, options: ConditionalGradientOptions, permutationsSuffice: Bool,
    linearSolver: LinearSubproblemSolver
  ) {
    self.objective = objective
    self.options = options
    self.permutationsSuffice = permutationsSuffice
    self.linearSolver = linearSolver
    simplex = NetworkSimplex(n: objective.n, m: objective.m, p: objective.p, q: objective.q)
    productFactors = objective.independentCouplingFactors()
    let size = objective.n * objective.m
    coupling = ConvexCombination(n: objective.n, m: objective.m)
    negatedProduct = [Double](repeating: 0, count: size)
    vertexProduct = [Double](repeating: 0, count: size)
  }

  /// A random permutation coupling (uniform weights, equal sizes) or the exact transport plan
  /// for uniformly random costs, a random vertex of the transport polytope.
  func randomVertex(using generator: inout SeededGenerator) -> SparseCoupling {
    if permutationsSuffice { return .permutation(generator.permutation(objective.n)) }
    let costs = (0..<(objective.n * objective.m)).map { _ in generator.nextUniform(as: Double.self) }
    let plan = costs.withUnsafeBufferPointer {
      NetworkSimplex.solve(cost: $0.baseAddress!, n: objective.n, m: objective.m, p: objective.p, q: objective.q)
    }
    return SparseCoupling(rows: plan.rows, columns: plan.columns, masses: plan.masses)
  }

  /// `C1 F C2^T` in single precision into `scratch.result`, where `F` is `vertex`, or its
  /// difference from `previous` when that has fewer rows; returns whether it is the difference
  /// (to be added to ``vertexProduct``) or the whole product (to replace it).
  private mutating func vertexProductUpdate(_ vertex: SparseCoupling, previous: SparseCoupling?) -> Bool {
    let started = DispatchTime.now().uptimeNanoseconds
    var factors = vertex
    var isDifference = false
    if let previous {
      let difference = vertex.subtracting(previous, width: objective.m)
      if difference.distinctRowCount < vertex.distinctRowCount {
        factors = difference
        isDifference = true
      }
    }
    let rank = objective.product(factors, scratch: &scratch)
    productFlops += 2 * Double(objective.n) * Double(objective.m) * Double(rank)
    productSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    return isDifference
  }

  /// Runs the iterations from `start`; the final coupling is left in ``coupling``. The values
  /// returned are exact (double precision, ``SquareLossObjective/value(ofSupport:)``).
  ///
  /// Each iteration streams the `n x m` matrices once: the inner products the line search needs
  /// are taken on the supports of `T` and `V` before the matrices are formed, then one pass adds
  /// the new product to `C1 V C2^T` and moves `-G` to the new coupling.
  mutating func solve(from start: Start) -> (initialValue: Double, value: Double, iterations: Int) {
    let n = objective.n
    let m = objective.m
    let size = n * m
    let objective = objective
    var previousVertex: SparseCoupling?
    var assignmentPrices: [Double]? = nil
    var initialValue: Double
    switch start {
    case .product:
      let factors = productFactors
      coupling.resetToProduct(objective.p, objective.q)
      negatedProduct.withUnsafeMutableBufferPointer { g in
        for i in 0..<n {
          for j in 0..<m { g[i * m + j] = -factors.left[i] * factors.right[j] }
        }
      }
      // G is exact (rank one, double precision) here.
      initialValue = objective.constant + 2 * negatedProduct.withUnsafeBufferPointer { coupling.dot($0.baseAddress!) }
    case .sparse(let vertex):
      if permutationsSuffice && linearSolver == .networkSimplex {
        // Each start's first simplex solve begins at its own permutation.
        simplex.resetBasis(toPermutation: vertex.permutationColumns(count: n))
      }
      coupling.reset(to: vertex)
      _ = vertexProductUpdate(vertex, previous: nil)
      scratch.result.withUnsafeBufferPointer { r in
        negatedProduct.withUnsafeMutableBufferPointer { g in
          vertexProduct.withUnsafeMutableBufferPointer { v in
            for k in 0..<size {
              let value = Double(r[k])
              v[k] = value
              g[k] = -value
            }
          }
        }
      }
      previousVertex = vertex
      initialValue = objective.value(ofSupport: vertex)
    }
    var value = initialValue
    var couplingWithNegatedG = negatedProduct.withUnsafeBufferPointer { coupling.dot($0.baseAddress!) }
    var iterations = 0
    while true {
      iterations += 1
      let previous = value
      // Linear step: minimize <gradient, V>, i.e. maximize <G, V>.
      let vertex: SparseCoupling
      if case .product = start, iterations == 1 {
        vertex = .comonotone(left: productFactors.left, right: productFactors.right, p: objective.p, q: objective.q)
        if permutationsSuffice && linearSolver == .networkSimplex {
          // The simplex starts the next solve from the comonotone permutation.
          simplex.resetBasis(toPermutation: vertex.permutationColumns(count: n))
        }
      } else if linearSolver == .assignment {
        // Each start's first exact step from auction prices, later ones from the last prices.
        let solution = negatedProduct.withUnsafeBufferPointer {
          let cost = $0.baseAddress!
          return JonkerVolgenant.solve(cost, n: n, prices: assignmentPrices ?? JonkerVolgenant.auctionPrices(cost, n: n))
        }
        assignmentPrices = solution.prices
        vertex = .permutation(solution.assignment)
      } else {
        let plan = negatedProduct.withUnsafeBufferPointer { simplex.solve(cost: $0.baseAddress!) }
        vertex = SparseCoupling(rows: plan.rows, columns: plan.columns, masses: plan.masses)
      }
      // The new C1 V C2^T is `base + r`: base is the previous one when r is a difference.
      let isDifference = vertexProductUpdate(vertex, previous: previousVertex)
      previousVertex = vertex
      let (couplingWithStep, vertexWithStep, vertexWithG) = scratch.result.withUnsafeBufferPointer { r in
        vertexProduct.withUnsafeBufferPointer { v in
          negatedProduct.withUnsafeBufferPointer { g in
            let base = isDifference ? v.baseAddress! : nil
            var vertexWithStep = 0.0
            for k in vertex.rows.indices {
              let index = vertex.rows[k] * m + vertex.columns[k]
              vertexWithStep += vertex.masses[k] * ((base?[index] ?? 0) + Double(r[index]))
            }
            return (
              coupling.dot(base, plus: r.baseAddress!), vertexWithStep, -vertex.dot(g.baseAddress!, width: m)
            )
          }
        }
      }
      // Exact line search on f(T + alpha (V - T)) = f(T) + b alpha + a alpha^2.
      let couplingWithG = -couplingWithNegatedG
      let a = -2 * (vertexWithStep - couplingWithStep - vertexWithG + couplingWithG)
      let b = -4 * (couplingWithStep - couplingWithG)
      let alpha = quadraticLineSearch(a: a, b: b)
      value += a * alpha * alpha + b * alpha
      // One pass: C1 V C2^T (+)= r, and -G <- (1 - alpha) (-G) - alpha C1 V C2^T.
      let keep = 1 - alpha
      scratch.result.withUnsafeBufferPointer { r in
        vertexProduct.withUnsafeMutableBufferPointer { v in
          negatedProduct.withUnsafeMutableBufferPointer { g in
            if isDifference {
              for k in 0..<size {
                let step = v[k] + Double(r[k])
                v[k] = step
                g[k] = keep * g[k] - alpha * step
              }
            } else {
              for k in 0..<size {
                let step = Double(r[k])
                v[k] = step
                g[k] = keep * g[k] - alpha * step
              }
            }
          }
        }
      }
      if alpha == 1 {
        coupling.reset(to: vertex)
      } else if alpha > 0 {
        coupling.move(toward: vertex, by: alpha)
      }
      couplingWithNegatedG = negatedProduct.withUnsafeBufferPointer { coupling.dot($0.baseAddress!) }
      if iterations >= options.maxIterations { break }
      let change = Swift.abs(value - previous)
      if change < options.absoluteTolerance { break }
      if value != 0 && change / Swift.abs(value) < options.relativeTolerance { break }
    }
    return (initialValue, exactValue(), iterations)
  }

  /// The exact value of ``coupling``: the `O(K^2)` sum over its `K` nonzero entries when that is
  /// cheaper than two double-precision GEMMs, otherwise `constC - 2 <C1 T C2^T, T>` by GEMMs.
  private func exactValue() -> Double {
    let n = objective.n
    let m = objective.m
    if let support = coupling.support {
      let count = Double(support.count)
      if count * count <= 2 * Double(n) * Double(m) * Double(n + m) {
        return objective.value(ofSupport: coupling.entries)
      }
    }
    let t = coupling.dense
    var g = [Double](repeating: 0, count: n * m)
    var work = [Double](repeating: 0, count: n * m)
    t.withUnsafeBufferPointer { t in
      g.withUnsafeMutableBufferPointer { gBuffer in
        work.withUnsafeMutableBufferPointer {
          objective.product(dense: t.baseAddress!, into: gBuffer.baseAddress!, scratch: $0.baseAddress!)
        }
      }
    }
    let inner = t.withUnsafeBufferPointer { t in
      g.withUnsafeBufferPointer { innerProduct($0.baseAddress!, t.baseAddress!, count: n * m) }
    }
    return objective.constant - 2 * inner
  }
}

/// The minimizer over `[0, 1]` of `a x^2 + b x` (POT's `solve_1d_linesearch_quad`).
@inline(__always)
func quadraticLineSearch(a: Double, b: Double) -> Double {
  if a > 0 { return Swift.min(1, Swift.max(0, -b / (2 * a))) }
  return a + b < 0 ? 1 : 0
}
