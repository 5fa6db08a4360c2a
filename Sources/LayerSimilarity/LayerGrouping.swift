/// Groups of layers from a symmetric distance matrix (the GW matrix): average-linkage
/// hierarchical clustering and contiguous segmentation of the ordered layers.
///
/// **Number of groups.** Both methods choose `k` by the mean silhouette (Rousseeuw 1987) computed
/// on the given distances, maximized over `k = 2 ... L - 1` (ties go to the smaller `k`; `L <= 2`
/// gives one group per layer). The silhouette was picked over the largest gap in merge heights
/// because it (1) works on the precomputed distances directly, (2) applies unchanged to any
/// partition, so the same criterion judges dendrogram cuts and contiguous segmentations, and
/// (3) is invariant to the scale of the distances (GW values depend on the normalization). The
/// largest gap only exists for dendrograms and is fooled by one outlying layer.
public struct LayerGrouping: Sendable, Codable, Equatable {
  /// Which method produced the groups.
  public enum Method: String, Sendable, Codable { case averageLinkage = "average-linkage", contiguous }

  public let method: Method
  /// Groups of layer indices, each sorted, ordered by their first layer.
  public let groups: [[Int]]
  /// The group of each layer.
  public let labels: [Int]
  /// The mean silhouette of this partition (the selection criterion).
  public let silhouette: Double
  /// The mean silhouette of every candidate `k` (index 0 is `k = 2`).
  public let candidateSilhouettes: [Double]
  /// Per group: the mean distance between its layers (nil for a single layer).
  public let withinMeans: [Double?]
  /// `groups x groups`: mean distance between the layers of two groups (diagonal: within mean or 0).
  public let betweenMeans: [[Double]]
  /// Mean distance over all pairs of layers in the same group (nil if every group is a single layer).
  public let withinMean: Double?
  /// Mean distance over all pairs of layers in different groups (nil for one group).
  public let betweenMean: Double?

  init(method: Method, labels: [Int], distances d: [[Double]], candidates: [Double]) {
    let k = (labels.max() ?? -1) + 1
    var groups = [[Int]](repeating: [], count: k)
    for (l, g) in labels.enumerated() { groups[g].append(l) }
    self.method = method
    self.groups = groups
    self.labels = labels
    self.silhouette = Self.silhouette(labels: labels, distances: d)
    self.candidateSilhouettes = candidates
    var between = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
    var within: [Double?] = []
    for a in 0..<k {
      for b in 0..<k {
        var sum = 0.0
        var pairs = 0
        for x in groups[a] {
          for y in groups[b] where a != b || x < y {
            sum += d[x][y]
            pairs += 1
          }
        }
        between[a][b] = pairs > 0 ? sum / Double(pairs) : 0
      }
      within.append(groups[a].count > 1 ? between[a][a] : nil)
    }
    self.withinMeans = within
    self.betweenMeans = between
    var (ws, wc, bs, bc) = (0.0, 0, 0.0, 0)
    for x in 0..<labels.count {
      for y in (x + 1)..<labels.count {
        if labels[x] == labels[y] { ws += d[x][y]; wc += 1 } else { bs += d[x][y]; bc += 1 }
      }
    }
    self.withinMean = wc > 0 ? ws / Double(wc) : nil
    self.betweenMean = bc > 0 ? bs / Double(bc) : nil
  }

  /// The mean silhouette of a partition: per layer `s = (b - a) / max(a, b)` with `a` its mean
  /// distance to the rest of its group and `b` the smallest mean distance to another group;
  /// `s = 0` for a layer alone in its group (and when `a = b = 0`).
  public static func silhouette(labels: [Int], distances d: [[Double]]) -> Double {
    let n = labels.count
    let k = (labels.max() ?? -1) + 1
    guard n > 0, k >= 2 else { return 0 }
    var total = 0.0
    for i in 0..<n {
      var sums = [Double](repeating: 0, count: k)
      var counts = [Int](repeating: 0, count: k)
      for j in 0..<n where j != i {
        sums[labels[j]] += d[i][j]
        counts[labels[j]] += 1
      }
      let own = labels[i]
      guard counts[own] > 0 else { continue }
      let a = sums[own] / Double(counts[own])
      var b = Double.infinity
      for g in 0..<k where g != own && counts[g] > 0 { b = Swift.min(b, sums[g] / Double(counts[g])) }
      let scale = Swift.max(a, b)
      if scale > 0 && b.isFinite { total += (b - a) / scale }
    }
    return total / Double(n)
  }

  /// Picks the labels with the best silhouette among `candidates(k)` for `k = 2 ... L - 1`.
  static func choose(
    count: Int, distances: [[Double]], candidates: (Int) -> [Int]
  ) -> (labels: [Int], silhouettes: [Double]) {
    guard count >= 3 else { return (Array(0..<count), []) }
    var best: (Double, [Int])?
    var silhouettes: [Double] = []
    for k in 2...(count - 1) {
      let labels = candidates(k)
      let s = silhouette(labels: labels, distances: distances)
      silhouettes.append(s)
      if best == nil || s > best!.0 + 1e-12 { best = (s, labels) }
    }
    return (best!.1, silhouettes)
  }

  // MARK: Average linkage

  /// Average-linkage (UPGMA) agglomerative clustering in SciPy's linkage format: row `m` is
  /// `[a, b, height, size]`, merging clusters `a < b` (leaves `0..<L`, merge `m` creates cluster
  /// `L + m`) at the mean distance between their members; rows by non-decreasing height, as
  /// `scipy.cluster.hierarchy.linkage(squareform(D), method="average")`.
  public static func averageLinkage(_ d: [[Double]]) -> [[Double]] {
    let n = d.count
    guard n >= 2 else { return [] }
    var ids = Array(0..<n)
    var members = (0..<n).map { [$0] }
    var rows: [[Double]] = []
    func mean(_ a: [Int], _ b: [Int]) -> Double {
      var s = 0.0
      for x in a { for y in b { s += d[x][y] } }
      return s / Double(a.count * b.count)
    }
    while ids.count > 1 {
      var best = (Double.infinity, 0, 1)
      for x in 0..<ids.count {
        for y in (x + 1)..<ids.count {
          let value = mean(members[x], members[y])
          if value < best.0 { best = (value, x, y) }
        }
      }
      let (height, x, y) = best
      let merged = members[x] + members[y]
      rows.append([Double(Swift.min(ids[x], ids[y])), Double(Swift.max(ids[x], ids[y])), height, Double(merged.count)])
      ids[x] = n + rows.count - 1
      members[x] = merged
      ids.remove(at: y)
      members.remove(at: y)
    }
    return rows
  }

  /// The `k` clusters after the first `L - k` merges of `linkage`, labelled by first layer.
  public static func cut(linkage: [[Double]], count n: Int, groups k: Int) -> [Int] {
    var clusterMembers: [[Int]] = (0..<n).map { [$0] }
    var alive = Set(0..<n)
    for row in linkage.prefix(Swift.max(0, n - k)) {
      let (a, b) = (Int(row[0]), Int(row[1]))
      clusterMembers.append(clusterMembers[a] + clusterMembers[b])
      alive.remove(a)
      alive.remove(b)
      alive.insert(clusterMembers.count - 1)
    }
    return relabel(alive.map { clusterMembers[$0] }, count: n)
  }

  static func relabel(_ groups: [[Int]], count n: Int) -> [Int] {
    var labels = [Int](repeating: 0, count: n)
    for (g, members) in groups.sorted(by: { $0.min()! < $1.min()! }).enumerated() {
      for l in members { labels[l] = g }
    }
    return labels
  }

  /// Average-linkage groups with `k` chosen by the silhouette; also returns the linkage rows and
  /// the height at which the dendrogram is cut (midway between the last kept and first cut merge).
  public static func hierarchical(_ d: [[Double]]) -> (grouping: LayerGrouping, linkage: [[Double]], cutHeight: Double?) {
    let n = d.count
    let linkage = averageLinkage(d)
    let (labels, silhouettes) = choose(count: n, distances: d) { cut(linkage: linkage, count: n, groups: $0) }
    let k = (labels.max() ?? -1) + 1
    var cutHeight: Double?
    if k >= 2 && k <= n - 1 {
      cutHeight = 0.5 * (linkage[n - k - 1][2] + linkage[n - k][2])
    }
    return (LayerGrouping(method: .averageLinkage, labels: labels, distances: d, candidates: silhouettes), linkage, cutHeight)
  }

  // MARK: Contiguous segmentation

  /// The cost of segment `a..<b`: the sum of the distances over its pairs of layers.
  static func segmentCosts(_ d: [[Double]]) -> [[Double]] {
    let n = d.count
    var cost = [[Double]](repeating: [Double](repeating: 0, count: n + 1), count: n + 1)
    for a in 0..<n {
      var total = 0.0
      for b in (a + 1)...n {
        // Adding layer b-1 to a..<(b-1).
        for x in a..<(b - 1) { total += d[x][b - 1] }
        cost[a][b] = total
      }
    }
    return cost
  }

  /// The contiguous segmentation of the ordered layers into exactly `k` segments minimizing the
  /// total within-segment distance (sum over segments of the distances of their pairs), by dynamic
  /// programming in `O(k L^2)`. Returns segment start indices and the cost.
  public static func segments(_ d: [[Double]], count k: Int) -> (starts: [Int], cost: Double) {
    let n = d.count
    precondition(k >= 1 && k <= n, "segment count \(k) outside 1...\(n)")
    let cost = segmentCosts(d)
    // best[s][b]: minimal cost of splitting 0..<b into s segments.
    var best = [[Double]](repeating: [Double](repeating: .infinity, count: n + 1), count: k + 1)
    var from = [[Int]](repeating: [Int](repeating: 0, count: n + 1), count: k + 1)
    best[0][0] = 0
    for s in 1...k {
      for b in s...n {
        for a in (s - 1)..<b where best[s - 1][a].isFinite {
          let value = best[s - 1][a] + cost[a][b]
          if value < best[s][b] - 1e-15 { best[s][b] = value; from[s][b] = a }
        }
      }
    }
    var starts: [Int] = []
    var b = n
    for s in stride(from: k, to: 0, by: -1) {
      let a = from[s][b]
      starts.append(a)
      b = a
    }
    return (starts.reversed(), best[k][n])
  }

  /// The contiguous segmentation minimizing total within-segment distance plus `penalty` per
  /// segment (any number of segments), by dynamic programming in `O(L^2)`.
  public static func segments(_ d: [[Double]], penalty: Double) -> (starts: [Int], cost: Double) {
    let n = d.count
    guard n > 0 else { return ([], 0) }
    let cost = segmentCosts(d)
    var best = [Double](repeating: .infinity, count: n + 1)
    var from = [Int](repeating: 0, count: n + 1)
    best[0] = 0
    for b in 1...n {
      for a in 0..<b {
        let value = best[a] + cost[a][b] + penalty
        if value < best[b] - 1e-15 { best[b] = value; from[b] = a }
      }
    }
    var starts: [Int] = []
    var b = n
    while b > 0 {
      starts.append(from[b])
      b = from[b]
    }
    return (starts.reversed(), best[n])
  }

  static func labels(starts: [Int], count n: Int) -> [Int] {
    var labels = [Int](repeating: 0, count: n)
    for (g, s) in starts.enumerated() {
      let end = g + 1 < starts.count ? starts[g + 1] : n
      for l in s..<end { labels[l] = g }
    }
    return labels
  }

  /// Contiguous segments of the ordered layers: for each `k = 2 ... L - 1` the exact-`k` dynamic
  /// program (minimal total within-segment distance), then `k` by the silhouette as for the
  /// hierarchical groups. Choosing `k` this way is choosing the per-segment penalty of
  /// ``segments(_:penalty:)``: whenever the chosen `k` lies on the lower convex hull of the
  /// costs, every penalty between the neighbouring slopes returns the same segmentation.
  public static func contiguous(_ d: [[Double]]) -> LayerGrouping {
    let n = d.count
    let (labels, silhouettes) = choose(count: n, distances: d) { k in
      Self.labels(starts: segments(d, count: k).starts, count: n)
    }
    return LayerGrouping(method: .contiguous, labels: labels, distances: d, candidates: silhouettes)
  }
}
