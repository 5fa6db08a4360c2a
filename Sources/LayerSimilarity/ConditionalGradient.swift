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
    var best: (value: Double, coupling: [Double], iterations: Int, start: GromovWassersteinStart)?
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
        best = (run.value, solver.coupling, run.iterations, start)
      }
    }
    let winner = best!
    var result = GromovWassersteinResult(
      value: winner.value, coupling: Tensor(shape: [source.count, target.count], scalars: winner.coupling),
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
  private(set) var coupling: [Double]
  /// `-G = -C1 T C2^T`, the linear program's costs (up to row and column terms).
  private var negatedProduct: [Double]
  /// `C1 V C2^T` for the latest linear step's solution `V`, updated by the difference of
  /// consecutive solutions when that is sparser than the solution itself.
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
    coupling = [Double](repeating: 0, count: size)
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

  /// `C1 V C2^T` into ``vertexProduct``, from the previous solution's product when the two
  /// solutions differ in fewer entries than `V` has; returns `<T, C1 V C2^T>` for the current
  /// coupling `T`, computed in the same pass.
  @discardableResult
  private mutating func updateVertexProduct(_ vertex: SparseCoupling, previous: SparseCoupling?) -> Double {
    let started = DispatchTime.now().uptimeNanoseconds
    let m = objective.m
    var factors = vertex
    var accumulate = false
    if let previous {
      let difference = vertex.subtracting(previous, width: m)
      if difference.distinctRowCount < vertex.distinctRowCount {
        factors = difference
        accumulate = true
      }
    }
    let objective = objective
    let (inner, rank) = coupling.withUnsafeBufferPointer { t in
      vertexProduct.withUnsafeMutableBufferPointer {
        objective.product(
          factors, into: $0.baseAddress!, accumulate: accumulate, scratch: &scratch, innerProductWith: t.baseAddress!)
      }
    }
    productFlops += 2 * Double(objective.n) * Double(m) * Double(rank)
    productSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    return inner
  }

  /// Runs the iterations from `start`; the final coupling is left in ``coupling``. The values
  /// returned are exact (double precision, ``SquareLossObjective/value(ofSupport:)``).
  mutating func solve(from start: Start) -> (initialValue: Double, value: Double, iterations: Int) {
    let n = objective.n
    let m = objective.m
    let size = n * m
    let objective = objective
    let constant = objective.constant
    var previousVertex: SparseCoupling?
    var assignmentPrices: [Double]? = nil
    var initialValue: Double
    switch start {
    case .product:
      let (p, q) = (objective.p, objective.q)
      let factors = productFactors
      for i in 0..<n {
        for j in 0..<m {
          coupling[i * m + j] = p[i] * q[j]
          negatedProduct[i * m + j] = -factors.left[i] * factors.right[j]
        }
      }
      // G is exact (rank one, double precision) here.
      initialValue =
        constant + 2
        * coupling.withUnsafeBufferPointer { t in
          negatedProduct.withUnsafeBufferPointer { innerProduct($0.baseAddress!, t.baseAddress!, count: size) }
        }
    case .sparse(let vertex):
      if permutationsSuffice && linearSolver == .networkSimplex {
        // Each start's first simplex solve begins at its own permutation.
        simplex.resetBasis(toPermutation: vertex.permutationColumns(count: n))
      }
      coupling.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
      for k in vertex.rows.indices { coupling[vertex.rows[k] * m + vertex.columns[k]] += vertex.masses[k] }
      updateVertexProduct(vertex, previous: nil)
      negatedProduct.withUnsafeMutableBufferPointer { g in
        vertexProduct.withUnsafeBufferPointer { v in for k in 0..<size { g[k] = -v[k] } }
      }
      previousVertex = vertex
      initialValue = objective.value(ofSupport: vertex)
    }
    var value = initialValue
    var couplingWithNegatedG = coupling.withUnsafeBufferPointer { t in
      negatedProduct.withUnsafeBufferPointer { innerProduct(t.baseAddress!, $0.baseAddress!, count: size) }
    }
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
      let couplingWithStep = updateVertexProduct(vertex, previous: previousVertex)
      previousVertex = vertex
      // Exact line search on f(T + alpha (V - T)) = f(T) + b alpha + a alpha^2.
      let couplingWithG = -couplingWithNegatedG
      let (vertexWithG, vertexWithStep) = negatedProduct.withUnsafeBufferPointer { g in
        vertexProduct.withUnsafeBufferPointer { gStep in
          (-vertex.dot(g.baseAddress!, width: m), vertex.dot(gStep.baseAddress!, width: m))
        }
      }
      let a = -2 * (vertexWithStep - couplingWithStep - vertexWithG + couplingWithG)
      let b = -4 * (couplingWithStep - couplingWithG)
      let alpha = quadraticLineSearch(a: a, b: b)
      value += a * alpha * alpha + b * alpha
      if alpha == 1 {
        coupling.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        for k in vertex.rows.indices { coupling[vertex.rows[k] * m + vertex.columns[k]] += vertex.masses[k] }
        negatedProduct.withUnsafeMutableBufferPointer { g in
          vertexProduct.withUnsafeBufferPointer { v in for k in 0..<size { g[k] = -v[k] } }
        }
        couplingWithNegatedG = negatedProduct.withUnsafeBufferPointer { vertex.dot($0.baseAddress!, width: m) }
      } else if alpha > 0 {
        let keep = 1 - alpha
        coupling.withUnsafeMutableBufferPointer { t in
          negatedProduct.withUnsafeMutableBufferPointer { g in
            vertexProduct.withUnsafeBufferPointer { gStep in
              // <T, -G> for the new T and G, fused into the update pass.
              var (s0, s1) = (0.0, 0.0)
              var k = 0
              while k + 2 <= size {
                let (t0, t1) = (keep * t[k], keep * t[k + 1])
                let (g0, g1) = (keep * g[k] - alpha * gStep[k], keep * g[k + 1] - alpha * gStep[k + 1])
                t[k] = t0
                t[k + 1] = t1
                g[k] = g0
                g[k + 1] = g1
                s0 += t0 * g0
                s1 += t1 * g1
                k += 2
              }
              while k < size {
                t[k] *= keep
                g[k] = keep * g[k] - alpha * gStep[k]
                s0 += t[k] * g[k]
                k += 1
              }
              for e in vertex.rows.indices {
                let index = vertex.rows[e] * m + vertex.columns[e]
                t[index] += alpha * vertex.masses[e]
                s0 += alpha * vertex.masses[e] * g[index]
              }
              couplingWithNegatedG = s0 + s1
            }
          }
        }
      }
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
    let support = coupling.withUnsafeBufferPointer { SparseCoupling(dense: $0.baseAddress!, n: n, m: m) }
    let count = Double(support.rows.count)
    if count * count <= 2 * Double(n) * Double(m) * Double(n + m) {
      return objective.value(ofSupport: support)
    }
    var g = [Double](repeating: 0, count: n * m)
    var work = [Double](repeating: 0, count: n * m)
    coupling.withUnsafeBufferPointer { t in
      g.withUnsafeMutableBufferPointer { gBuffer in
        work.withUnsafeMutableBufferPointer {
          objective.product(dense: t.baseAddress!, into: gBuffer.baseAddress!, scratch: $0.baseAddress!)
        }
      }
    }
    let inner = coupling.withUnsafeBufferPointer { t in
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
