/// The adjusted Rand index of two partitions of the same items (Hubert and Arabie, 1985),
/// as scikit-learn's `adjusted_rand_score`: 1 for identical partitions (up to renaming),
/// about 0 for independent ones, negative below chance.
///
/// Every distinct value is a cluster, negative ones (such as -1 for isolated nodes) included.
/// When neither partition separates pairs differently from the other, e.g. both put every
/// item in one cluster or every item apart, the index is 1.
///
/// - Precondition: both arrays have the same length.
public func adjustedRandIndex(_ a: [Int], _ b: [Int]) -> Double {
  precondition(a.count == b.count, "partitions of \(a.count) and \(b.count) items")
  let n = a.count
  var rowSums: [Int: Int] = [:]
  var columnSums: [Int: Int] = [:]
  var cells: [Pair: Int] = [:]
  for (x, y) in zip(a, b) {
    rowSums[x, default: 0] += 1
    columnSums[y, default: 0] += 1
    cells[Pair(x, y), default: 0] += 1
  }
  // The pair confusion matrix, counting ordered pairs as scikit-learn does.
  let squares = Double(cells.values.reduce(0) { $0 + $1 * $1 })
  let rowSquares = Double(rowSums.values.reduce(0) { $0 + $1 * $1 })
  let columnSquares = Double(columnSums.values.reduce(0) { $0 + $1 * $1 })
  let total = Double(n) * Double(n)
  let together = squares - Double(n)
  let splitByB = rowSquares - squares
  let splitByA = columnSquares - squares
  let apart = total - splitByB - splitByA - squares
  if splitByA == 0 && splitByB == 0 { return 1 }
  return 2 * (together * apart - splitByA * splitByB)
    / ((together + splitByB) * (splitByB + apart) + (together + splitByA) * (splitByA + apart))
}

private struct Pair: Hashable {
  var first: Int
  var second: Int
  init(_ first: Int, _ second: Int) {
    self.first = first
    self.second = second
  }
}
