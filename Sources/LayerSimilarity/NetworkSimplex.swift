/// The primal network simplex for a balanced discrete optimal transport problem
/// `min <M, T>` over `T 1 = p`, `T^T 1 = q`, `T >= 0` on the complete bipartite graph.
///
/// The design follows the classical spanning-tree simplex (as in LEMON's `NetworkSimplex`, which
/// POT's `ot.emd` wraps): an artificial root joined to every node gives the first basis; entering
/// arcs are chosen by block search over the `n m` arcs; the leaving arc is the last blocking arc
/// on the pivot cycle from its apex (Cunningham's strongly feasible trees), which rules out
/// cycling on the highly degenerate transport polytope. Because every source reaches every sink
/// directly, an artificial cost just above the largest arc cost already forces all artificial
/// flow out. Potentials are recomputed along tree paths after every pivot (no drift), and the
/// result is a vertex: at most `n + m - 1` positive entries.
///
/// A solver keeps its basis between calls to ``solve(cost:)``: the previous optimal spanning
/// tree stays primal feasible when only the costs change, so a conditional-gradient loop that
/// solves a sequence of nearby problems restarts from it (only the potentials are recomputed).
struct NetworkSimplex {
  /// A sparse transport plan: `masses[k]` moves from row `rows[k]` to column `columns[k]`.
  struct Solution {
    var rows: [Int]
    var columns: [Int]
    var masses: [Double]
    /// `u_i` and `v_j` with `u_i + v_j <= M_ij` (within tolerance), equal on the support.
    var rowPotentials: [Double]
    var columnPotentials: [Double]
    /// False only when the pivot limit stopped the solver before optimality (never observed).
    var isOptimal: Bool
    var pivots: Int
  }

  private let n: Int
  private let m: Int
  private let arcCount: Int
  /// The costs of the current ``solve(cost:)`` call; only dereferenced during that call.
  private var cost: UnsafePointer<Double>
  private var shift = 0.0
  private var tolerance = 0.0
  private let root: Int

  private var flow: [Double]
  private var inTree: [Bool]
  private var artificialSource: [Int]
  private var artificialCost: [Double]
  private var parent: [Int]
  private var predecessor: [Int]
  private var pointsUp: [Bool]
  private var potential: [Double]
  private var firstChild: [Int]
  private var nextSibling: [Int]
  private var previousSibling: [Int]
  private var mark: [Int]
  private var stamp = 0
  private var nextArc = 0
  private var stack: [Int] = []

  /// Solves the problem for the `n x m` row-major `cost` and marginals `p`, `q` (non-negative,
  /// equal sums).
  static func solve(cost: UnsafePointer<Double>, n: Int, m: Int, p: [Double], q: [Double]) -> Solution {
    var solver = NetworkSimplex(n: n, m: m, p: p, q: q)
    return solver.solve(cost: cost)
  }

  /// A solver for marginals `p` and `q` whose first basis is the artificial tree: every source
  /// sends its mass to the root and the root feeds every sink.
  init(n: Int, m: Int, p: [Double], q: [Double]) {
    self.n = n
    self.m = m
    cost = UnsafePointer(bitPattern: 1)!  // a placeholder until solve(cost:) provides the costs
    arcCount = n * m
    let nodes = n + m
    root = nodes
    flow = [Double](repeating: 0, count: n * m + nodes)
    inTree = [Bool](repeating: false, count: n * m)
    artificialSource = [Int](repeating: 0, count: nodes)
    artificialCost = [Double](repeating: 0, count: nodes)
    parent = [Int](repeating: nodes, count: nodes + 1)
    parent[nodes] = -1
    predecessor = (0...nodes).map { n * m + $0 }
    pointsUp = [Bool](repeating: true, count: nodes + 1)
    potential = [Double](repeating: 0, count: nodes + 1)
    firstChild = [Int](repeating: -1, count: nodes + 1)
    nextSibling = [Int](repeating: -1, count: nodes + 1)
    previousSibling = [Int](repeating: -1, count: nodes + 1)
    mark = [Int](repeating: 0, count: nodes + 1)
    for u in 0..<nodes {
      let supply = u < n ? p[u] : -q[u - n]
      if supply >= 0 {
        artificialSource[u] = u
        flow[n * m + u] = supply
      } else {
        pointsUp[u] = false
        artificialSource[u] = root
        flow[n * m + u] = -supply
      }
      // Children of the root as a doubly linked list 0, 1, ..., nodes - 1.
      previousSibling[u] = u - 1
      nextSibling[u] = u + 1 < nodes ? u + 1 : -1
    }
    firstChild[root] = nodes > 0 ? 0 : -1
  }

  /// Replaces the basis by one whose flow is the permutation `sigma` (uniform weights `1/n`,
  /// `n == m`): every row hangs from the root by a zero-flow artificial arc directed away from
  /// the root, and column `sigma(i)` hangs from row `i` by the arc carrying `1/n`. Zero-flow arcs
  /// all point away from the root, so the tree is strongly feasible; the next ``solve(cost:)``
  /// starts from this vertex.
  mutating func resetBasis(toPermutation sigma: [Int]) {
    precondition(n == m && sigma.count == n, "a permutation basis needs n == m")
    let nodes = n + m
    let mass = 1 / Double(n)
    flow.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    inTree.withUnsafeMutableBufferPointer { $0.update(repeating: false) }
    for u in 0..<nodes {
      artificialSource[u] = root
      firstChild[u] = -1
    }
    for i in 0..<n {
      let column = n + sigma[i]
      parent[i] = root
      predecessor[i] = arcCount + i
      pointsUp[i] = false
      previousSibling[i] = i - 1
      nextSibling[i] = i + 1 < n ? i + 1 : -1
      firstChild[i] = column
      let arc = i * m + sigma[i]
      parent[column] = i
      predecessor[column] = arc
      pointsUp[column] = false
      previousSibling[column] = -1
      nextSibling[column] = -1
      flow[arc] = mass
      inTree[arc] = true
    }
    firstChild[root] = n > 0 ? 0 : -1
    nextArc = 0
  }

  /// Solves for the `n x m` row-major `cost`, starting from the current basis.
  mutating func solve(cost: UnsafePointer<Double>) -> Solution {
    self.cost = cost
    var lowest = Double.infinity
    var highest = -Double.infinity
    for e in 0..<arcCount {
      lowest = Swift.min(lowest, cost[e])
      highest = Swift.max(highest, cost[e])
    }
    // Shifting all costs by a constant changes every feasible plan's cost by the same amount.
    // An artificial path (source -> root -> sink) then costs more than any direct arc, so no
    // artificial flow survives at the optimum.
    shift = lowest
    let range = highest - lowest
    let artificial = range > 0 ? 2 * range : 1
    tolerance = 1e-13 * artificial
    for u in 0..<(n + m) where artificialSource[u] == root { artificialCost[u] = artificial }
    var child = firstChild[root]
    while child >= 0 {
      updatePotentials(below: child)
      child = nextSibling[child]
    }
    return run()
  }

  @inline(__always) private func arcCost(_ e: Int) -> Double {
    e < arcCount ? cost[e] - shift : artificialCost[e - arcCount]
  }

  private mutating func run() -> Solution {
    let pivotLimit = 20 * arcCount + 100_000
    var pivots = 0
    var optimal = false
    while pivots < pivotLimit {
      guard let entering = findEnteringArc() else {
        optimal = true
        break
      }
      pivot(entering)
      pivots += 1
    }
    var solution = Solution(
      rows: [], columns: [], masses: [], rowPotentials: [], columnPotentials: [], isOptimal: optimal, pivots: pivots)
    for u in 0..<(n + m) {
      let e = predecessor[u]
      if e < arcCount && flow[e] > 0 {
        solution.rows.append(e / m)
        solution.columns.append(e % m)
        solution.masses.append(flow[e])
      }
    }
    // Reduced cost M_ij + pi_i - pi_j >= 0, so u_i = -pi_i and v_j = pi_j (+ the shift).
    solution.rowPotentials = (0..<n).map { -potential[$0] + shift }
    solution.columnPotentials = (0..<m).map { potential[n + $0] }
    return solution
  }

  /// Block search: scans arcs cyclically from where the last search stopped and returns the most
  /// negative reduced cost of the first block (about `sqrt(n m)` arcs) that has one. The scan of a
  /// row is a branch-free minimum; tree arcs (reduced cost zero up to rounding) are excluded only
  /// when one of them is a row's candidate, by rescanning that row.
  private mutating func findEnteringArc() -> Int? {
    let blockSize = Swift.max(Int(Double(arcCount).squareRoot()), 10)
    var best = -tolerance
    var bestArc = -1
    var scanned = 0
    var inBlock = 0
    var row = nextArc / m
    var column = nextArc % m
    let n = n
    let m = m
    let arcCount = arcCount
    let cost = cost
    let shift = shift
    return potential.withUnsafeBufferPointer { pi -> Int? in
      inTree.withUnsafeBufferPointer { tree -> Int? in
        let columnPotential = pi.baseAddress! + n
        while scanned < arcCount {
          let end = Swift.min(m, column + (arcCount - scanned))
          let base = row * m
          // The row's minimum of M_ij - pi_j (vectorized), then its column only when it improves
          // on the best arc so far.
          let rowCosts = cost + base
          var rowBest = rowMinimum(rowCosts, columnPotential, from: column, to: end)
          var rowBestColumn = -1
          if rowBest + (pi[row] - shift) < best {
            rowBestColumn = column
            while rowBestColumn + 1 < end && rowCosts[rowBestColumn] - columnPotential[rowBestColumn] != rowBest {
              rowBestColumn += 1
            }
          }
          if rowBest + (pi[row] - shift) < best && tree[base + rowBestColumn] {
            rowBest = Double.infinity
            for j in column..<end where !tree[base + j] {
              let reduced = rowCosts[j] - columnPotential[j]
              if reduced < rowBest {
                rowBest = reduced
                rowBestColumn = j
              }
            }
          }
          let reduced = rowBest + (pi[row] - shift)
          if reduced < best {
            best = reduced
            bestArc = base + rowBestColumn
          }
          scanned += end - column
          inBlock += end - column
          if end == m {
            column = 0
            row = row + 1 == n ? 0 : row + 1
          } else {
            column = end
          }
          if inBlock >= blockSize {
            if bestArc >= 0 { break }
            inBlock = 0
          }
        }
        nextArc = row * m + column
        return bestArc >= 0 ? bestArc : nil
      }
    }
  }

  /// `min_j (costs[j] - potentials[j])` over `start..<end`, eight lanes at a time.
  @inline(__always)
  private func rowMinimum(
    _ costs: UnsafePointer<Double>, _ potentials: UnsafePointer<Double>, from start: Int, to end: Int
  ) -> Double {
    var j = start
    var low0 = SIMD4<Double>(repeating: .infinity)
    var low1 = SIMD4<Double>(repeating: .infinity)
    let rawCosts = UnsafeRawPointer(costs)
    let rawPotentials = UnsafeRawPointer(potentials)
    let stride = MemoryLayout<Double>.stride
    while j + 8 <= end {
      let c0 = rawCosts.loadUnaligned(fromByteOffset: j * stride, as: SIMD4<Double>.self)
      let c1 = rawCosts.loadUnaligned(fromByteOffset: (j + 4) * stride, as: SIMD4<Double>.self)
      let p0 = rawPotentials.loadUnaligned(fromByteOffset: j * stride, as: SIMD4<Double>.self)
      let p1 = rawPotentials.loadUnaligned(fromByteOffset: (j + 4) * stride, as: SIMD4<Double>.self)
      low0 = pointwiseMin(low0, c0 - p0)
      low1 = pointwiseMin(low1, c1 - p1)
      j += 8
    }
    var low = pointwiseMin(low0, low1).min()
    while j < end {
      low = Swift.min(low, costs[j] - potentials[j])
      j += 1
    }
    return low
  }

  private mutating func pivot(_ entering: Int) {
    let source = entering / m
    let target = n + entering % m
    // The apex: the first common ancestor of source and target.
    stamp += 1
    var u = source
    while u >= 0 {
      mark[u] = stamp
      u = parent[u]
    }
    var apex = target
    while mark[apex] != stamp { apex = parent[apex] }
    // The leaving arc: the last blocking arc from the apex along the cycle's orientation
    // (apex -> source, entering arc, target -> apex).
    var delta = Double.infinity
    var leaving = -1
    var sourceSide = true
    u = source
    while u != apex {
      if pointsUp[u] && flow[predecessor[u]] < delta {
        delta = flow[predecessor[u]]
        leaving = u
      }
      u = parent[u]
    }
    u = target
    while u != apex {
      if !pointsUp[u] && flow[predecessor[u]] <= delta {
        delta = flow[predecessor[u]]
        leaving = u
        sourceSide = false
      }
      u = parent[u]
    }
    precondition(leaving >= 0, "unbounded transport problem")
    if delta > 0 {
      flow[entering] = delta
      u = source
      while u != apex {
        flow[predecessor[u]] += pointsUp[u] ? -delta : delta
        u = parent[u]
      }
      u = target
      while u != apex {
        flow[predecessor[u]] += pointsUp[u] ? delta : -delta
        u = parent[u]
      }
    }
    let leavingArc = predecessor[leaving]
    flow[leavingArc] = 0
    if leavingArc < arcCount { inTree[leavingArc] = false }
    inTree[entering] = true
    // Re-hang the subtree cut off below the leaving arc from the entering arc, reversing the
    // path from the entering arc's endpoint up to the leaving node.
    let hangingNode = sourceSide ? source : target
    var child = hangingNode
    var newParent = sourceSide ? target : source
    var newPredecessor = entering
    var newPointsUp = sourceSide
    while true {
      let oldParent = parent[child]
      let oldPredecessor = predecessor[child]
      let oldPointsUp = pointsUp[child]
      detach(child)
      parent[child] = newParent
      predecessor[child] = newPredecessor
      pointsUp[child] = newPointsUp
      attach(child, to: newParent)
      if child == leaving { break }
      newParent = child
      newPredecessor = oldPredecessor
      newPointsUp = !oldPointsUp
      child = oldParent
    }
    updatePotentials(below: hangingNode)
  }

  private mutating func detach(_ u: Int) {
    let previous = previousSibling[u]
    let next = nextSibling[u]
    if previous >= 0 { nextSibling[previous] = next } else { firstChild[parent[u]] = next }
    if next >= 0 { previousSibling[next] = previous }
  }

  private mutating func attach(_ u: Int, to newParent: Int) {
    let first = firstChild[newParent]
    previousSibling[u] = -1
    nextSibling[u] = first
    if first >= 0 { previousSibling[first] = u }
    firstChild[newParent] = u
  }

  /// Recomputes the potentials of `top` and its descendants from their parents: every tree arc
  /// has reduced cost `cost + pi_source - pi_target = 0`.
  private mutating func updatePotentials(below top: Int) {
    stack.removeAll(keepingCapacity: true)
    stack.append(top)
    while let u = stack.popLast() {
      let e = predecessor[u]
      let c = arcCost(e)
      potential[u] = pointsUp[u] ? potential[parent[u]] - c : potential[parent[u]] + c
      var child = firstChild[u]
      while child >= 0 {
        stack.append(child)
        child = nextSibling[child]
      }
    }
  }
}
