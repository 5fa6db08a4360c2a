import Tensors

/// A symmetric `order x order` matrix of `Double` with nonnegative entries, stored in
/// compressed sparse row (CSR) form: the weighted adjacency matrix of an undirected graph.
///
/// Both triangles are stored, each row's columns are strictly increasing, and neither explicit
/// zeros nor diagonal entries are kept: self-loops are dropped on construction, as scipy's
/// `csgraph.laplacian` ignores them when it normalizes (and as scikit-learn's spectral
/// clustering therefore does).
public struct SymmetricSparseMatrix: Sendable, Equatable {
  /// The number of rows (and columns).
  public let order: Int
  /// Row `i`'s entries are at positions `rowStarts[i]..<rowStarts[i + 1]`; `order + 1` values.
  public let rowStarts: [Int]
  /// The column of each stored entry.
  public let columnIndices: [Int]
  /// The value of each stored entry, all > 0.
  public let values: [Double]

  /// Wraps CSR arrays that are already sorted, symmetric, positive and diagonal-free.
  init(uncheckedOrder order: Int, rowStarts: [Int], columnIndices: [Int], values: [Double]) {
    self.order = order
    self.rowStarts = rowStarts
    self.columnIndices = columnIndices
    self.values = values
  }

  /// A matrix from coordinate (COO) triplets, like `scipy.sparse.coo_matrix((data, (row, col)), shape=(n, n))`.
  ///
  /// Duplicate coordinates are summed. The triplets must describe a symmetric matrix (give
  /// both `(i, j)` and `(j, i)`); the result is the exact average of the matrix and its
  /// transpose.
  ///
  /// - Parameters:
  ///   - symmetryTolerance: the largest accepted `|A[i, j] - A[j, i]|`, relative to the
  ///     largest absolute entry.
  /// - Throws: ``NeuronModulesError`` for mismatched array lengths, an index outside
  ///   `0..<order`, a NaN, infinite or negative value, or an asymmetric matrix.
  public init(order: Int, rows: [Int], columns: [Int], values: [Double], symmetryTolerance: Double = 1e-8) throws {
    guard order >= 0 else { throw NeuronModulesError.invalidShape("matrix order \(order) is negative") }
    guard rows.count == columns.count, rows.count == values.count else {
      throw NeuronModulesError.invalidShape(
        "COO arrays differ in length: \(rows.count) rows, \(columns.count) columns, \(values.count) values")
    }
    for index in values.indices {
      let (row, column, value) = (rows[index], columns[index], values[index])
      guard row >= 0, row < order, column >= 0, column < order else {
        throw NeuronModulesError.indexOutOfRange(row: row, column: column, order: order)
      }
      guard value.isFinite else { throw NeuronModulesError.nonFiniteWeight(row: row, column: column, value: value) }
      guard value >= 0 else { throw NeuronModulesError.negativeWeight(row: row, column: column, value: value) }
    }
    let raw = CSRBuilder.compress(order: order, rows: rows, columns: columns, values: values)
    self = try raw.symmetrized(tolerance: symmetryTolerance)
  }

  /// A matrix from a dense `[n, n]` tensor; zeros are not stored.
  ///
  /// - Throws: ``NeuronModulesError`` if the tensor is not square or holds a NaN, infinite,
  ///   negative or asymmetric entry (see ``init(order:rows:columns:values:symmetryTolerance:)``).
  public init(dense: Tensor<Double>, symmetryTolerance: Double = 1e-8) throws {
    guard dense.rank == 2, dense.shape[0] == dense.shape[1] else {
      throw NeuronModulesError.invalidShape("an adjacency matrix must be square, got shape \(dense.shape)")
    }
    let n = dense.shape[0]
    var rows: [Int] = []
    var columns: [Int] = []
    var values: [Double] = []
    for i in 0..<n {
      for j in 0..<n {
        let value = dense.scalars[i * n + j]
        if value != 0 {
          rows.append(i)
          columns.append(j)
          values.append(value)
        }
      }
    }
    try self.init(order: n, rows: rows, columns: columns, values: values, symmetryTolerance: symmetryTolerance)
  }

  /// The number of stored entries (each undirected edge counts twice).
  public var storedEntryCount: Int { values.count }

  /// The dense `[order, order]` matrix.
  public func dense() -> Tensor<Double> {
    var scalars = [Double](repeating: 0, count: order * order)
    for i in 0..<order {
      for p in rowStarts[i]..<rowStarts[i + 1] { scalars[i * order + columnIndices[p]] = values[p] }
    }
    return Tensor(shape: [order, order], scalars: scalars)
  }

  /// The entry at `(row, column)` (binary search in the row).
  public subscript(row: Int, column: Int) -> Double {
    precondition(row >= 0 && row < order && column >= 0 && column < order, "(\(row), \(column)) out of range")
    var low = rowStarts[row]
    var high = rowStarts[row + 1]
    while low < high {
      let middle = (low + high) / 2
      if columnIndices[middle] < column { low = middle + 1 } else { high = middle }
    }
    return low < rowStarts[row + 1] && columnIndices[low] == column ? values[low] : 0
  }

  /// The weighted degree (row sum) of every node.
  public var degrees: [Double] {
    (0..<order).map { i in values[rowStarts[i]..<rowStarts[i + 1]].reduce(0, +) }
  }

  /// `A x` for a vector of length `order`.
  public func multiply(_ x: [Double]) -> [Double] {
    precondition(x.count == order, "vector of length \(x.count) for a matrix of order \(order)")
    return multiply(block: x, columns: 1)
  }

  /// `A X` for a row-major `[order, columns]` block of vectors (a sparse matrix times a dense
  /// multi-vector), returned row-major.
  public func multiply(block x: [Double], columns m: Int) -> [Double] {
    precondition(x.count == order * m, "block of \(x.count) values is not [\(order), \(m)]")
    let n = order
    return [Double](unsafeUninitializedCapacity: n * m) { out, initialized in
      let result = out.baseAddress!
      result.initialize(repeating: 0, count: n * m)
      rowStarts.withUnsafeBufferPointer { starts in
        columnIndices.withUnsafeBufferPointer { columns in
          values.withUnsafeBufferPointer { entries in
            x.withUnsafeBufferPointer { block in
              // Raw pointers and while loops: about twice as fast as buffer subscripts here.
              let source = block.baseAddress!
              for i in 0..<n {
                let row = result + i * m
                var p = starts[i]
                let end = starts[i + 1]
                while p < end {
                  let a = entries[p]
                  let other = source + columns[p] * m
                  var c = 0
                  while c < m {
                    row[c] += a * other[c]
                    c += 1
                  }
                  p += 1
                }
              }
            }
          }
        }
      }
      initialized = n * m
    }
  }

  /// `A X` for a `[order, m]` tensor.
  public func multiply(_ x: Tensor<Double>) -> Tensor<Double> {
    precondition(x.rank == 2 && x.shape[0] == order, "cannot multiply a matrix of order \(order) by \(x.shape)")
    return Tensor(shape: x.shape, scalars: multiply(block: x.scalars, columns: x.shape[1]))
  }

  /// The principal submatrix on `nodes` (in that order): row and column `r` of the result are
  /// row and column `nodes[r]` of this matrix.
  public func restricted(to nodes: [Int]) -> SymmetricSparseMatrix {
    var position = [Int](repeating: -1, count: order)
    for (r, node) in nodes.enumerated() { position[node] = r }
    var starts = [0]
    starts.reserveCapacity(nodes.count + 1)
    var columns: [Int] = []
    var kept: [Double] = []
    for node in nodes {
      var row: [(Int, Double)] = []
      for p in rowStarts[node]..<rowStarts[node + 1] where position[columnIndices[p]] >= 0 {
        row.append((position[columnIndices[p]], values[p]))
      }
      row.sort { $0.0 < $1.0 }
      for (c, v) in row {
        columns.append(c)
        kept.append(v)
      }
      starts.append(columns.count)
    }
    return SymmetricSparseMatrix(uncheckedOrder: nodes.count, rowStarts: starts, columnIndices: columns, values: kept)
  }

  /// Calls `body(row, column, value)` for every stored entry, row by row.
  public func forEachEntry(_ body: (Int, Int, Double) throws -> Void) rethrows {
    for i in 0..<order {
      for p in rowStarts[i]..<rowStarts[i + 1] { try body(i, columnIndices[p], values[p]) }
    }
  }
}
