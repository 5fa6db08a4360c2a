import Tensors

extension GromovWasserstein {
  /// Exact Gromov-Wasserstein by conditional gradient (Frank-Wolfe) from several starts.
  ///
  /// Each iteration linearizes `f(T) = sum (C1_ik - C2_jl)^2 T_ij T_kl` at the current coupling
  /// `T` (gradient `2 constC - 4 C1 T C2^T`, where `constC` only adds row and column terms that
  /// do not change the linear program), solves the linear program exactly, and moves towards its
  /// solution with the exact line search on the quadratic (closed form, as POT's
  /// `solve_gromov_linesearch`). The linear program is solved by the network simplex warm-started
  /// from the previous basis (or by Jonker-Volgenant assignment if
  /// ``ConditionalGradientOptions/linearSolver`` asks for it); at the product start the gradient is
  /// rank one and the comonotone coupling solves it exactly in `O(n log n)`. Because the linear
  /// solution `T'` is a vertex (at most `n + m - 1` entries), `C1 T' C2^T` costs one GEMM of
  /// `2 n m K` flops and `C1 T C2^T` is updated as a convex combination: one GEMM per iteration.
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
      linearSolver: options.linearSolver ?? .networkSimplex)
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
    return GromovWassersteinResult(
      value: winner.value, coupling: Tensor(shape: [source.count, target.count], scalars: winner.coupling),
      iterations: winner.iterations, winningStart: winner.start, starts: outcomes,
      linearSolver: solver.linearSolver)
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
  /// `G = C1 T C2^T`.
  private var product: [Double]
  /// `C1 T' C2^T` for the linear step's solution `T'`.
  private var stepProduct: [Double]
  /// The linear program's costs `-G`.
  private var linearCosts: [Double]
  private var scratch: [Double]

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
    product = [Double](repeating: 0, count: size)
    stepProduct = [Double](repeating: 0, count: size)
    linearCosts = [Double](repeating: 0, count: size)
    scratch = [Double](repeating: 0, count: (objective.n + objective.m - 1) * (objective.n + objective.m))
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

  /// Runs the iterations from `start`; the final coupling is left in ``coupling``.
  mutating func solve(from start: Start) -> (initialValue: Double, value: Double, iterations: Int) {
    let n = objective.n
    let m = objective.m
    let size = n * m
    let p = objective.p
    let q = objective.q
    let constant = objective.constant
    let objective = objective
    let options = options
    let linearSolver = linearSolver
    let factors = productFactors
    var isProductStart = false
    var simplex = simplex
    defer { self.simplex = simplex }
    var iterations = 0
    var initialValue = 0.0
    var value = 0.0
    coupling.withUnsafeMutableBufferPointer { tBuffer in
      product.withUnsafeMutableBufferPointer { gBuffer in
        stepProduct.withUnsafeMutableBufferPointer { stepBuffer in
          linearCosts.withUnsafeMutableBufferPointer { costBuffer in
            scratch.withUnsafeMutableBufferPointer { scratchBuffer in
              let t = tBuffer.baseAddress!
              var g = gBuffer.baseAddress!
              var gStep = stepBuffer.baseAddress!
              let costs = costBuffer.baseAddress!
              let work = scratchBuffer.baseAddress!
              switch start {
              case .product:
                for i in 0..<n {
                  for j in 0..<m { t[i * m + j] = p[i] * q[j] }
                }
                for i in 0..<n {
                  for j in 0..<m { g[i * m + j] = factors.left[i] * factors.right[j] }
                }
                isProductStart = true
              case .sparse(let vertex):
                t.update(repeating: 0, count: size)
                for k in vertex.rows.indices { t[vertex.rows[k] * m + vertex.columns[k]] += vertex.masses[k] }
                objective.product(vertex, into: g, scratch: work)
              }
              value = constant - 2 * innerProduct(g, t, count: size)
              initialValue = value
              while true {
                iterations += 1
                let previous = value
                // Linear step: minimize <gradient, T'>, i.e. maximize <G, T'>.
                let vertex: SparseCoupling
                if isProductStart && iterations == 1 {
                  vertex = .comonotone(left: factors.left, right: factors.right, p: p, q: q)
                } else {
                  for k in 0..<size { costs[k] = -g[k] }
                  switch linearSolver {
                  case .assignment:
                    vertex = .permutation(JonkerVolgenant.solve(costs, n: n))
                  case .networkSimplex:
                    let plan = simplex.solve(cost: costs)
                    vertex = SparseCoupling(rows: plan.rows, columns: plan.columns, masses: plan.masses)
                  }
                }
                objective.product(vertex, into: gStep, scratch: work)
                // Exact line search on f(T + alpha (T' - T)) = f(T) + b alpha + a alpha^2.
                let vertexWithG = vertex.dot(g, width: m)
                let vertexWithStep = vertex.dot(gStep, width: m)
                let couplingWithG = innerProduct(t, g, count: size)
                let couplingWithStep = innerProduct(t, gStep, count: size)
                let a = -2 * (vertexWithStep - couplingWithStep - vertexWithG + couplingWithG)
                let b = -4 * (couplingWithStep - couplingWithG)
                let alpha = quadraticLineSearch(a: a, b: b)
                value += a * alpha * alpha + b * alpha
                if alpha == 1 {
                  t.update(repeating: 0, count: size)
                  for k in vertex.rows.indices { t[vertex.rows[k] * m + vertex.columns[k]] += vertex.masses[k] }
                  swap(&g, &gStep)
                } else if alpha > 0 {
                  let keep = 1 - alpha
                  for k in 0..<size {
                    t[k] *= keep
                    g[k] = keep * g[k] + alpha * gStep[k]
                  }
                  for k in vertex.rows.indices { t[vertex.rows[k] * m + vertex.columns[k]] += alpha * vertex.masses[k] }
                }
                if iterations >= options.maxIterations { break }
                let change = Swift.abs(value - previous)
                if change < options.absoluteTolerance { break }
                if value != 0 && change / Swift.abs(value) < options.relativeTolerance { break }
              }
              // G may live in the step buffer after swaps; the final value uses it exactly.
              value = constant - 2 * innerProduct(g, t, count: size)
            }
          }
        }
      }
    }
    return (initialValue, value, iterations)
  }
}

/// The minimizer over `[0, 1]` of `a x^2 + b x` (POT's `solve_1d_linesearch_quad`).
@inline(__always)
func quadraticLineSearch(a: Double, b: Double) -> Double {
  if a > 0 { return Swift.min(1, Swift.max(0, -b / (2 * a))) }
  return a + b < 0 ? 1 : 0
}
