/// Compressed-row assembly from unsorted triplets and the symmetry check, for
/// ``SymmetricSparseMatrix``.
struct CSRBuilder {
  var order: Int
  var rowStarts: [Int]
  var columnIndices: [Int]
  var values: [Double]

  /// Sorts triplets into rows (counting sort), sorts each row by column, sums duplicates and
  /// drops zeros and diagonal entries. Indices must already be in range.
  static func compress(order: Int, rows: [Int], columns: [Int], values: [Double]) -> CSRBuilder {
    var counts = [Int](repeating: 0, count: order + 1)
    for r in rows { counts[r + 1] += 1 }
    for i in 0..<order { counts[i + 1] += counts[i] }
    var next = counts
    var bucketColumns = [Int](repeating: 0, count: rows.count)
    var bucketValues = [Double](repeating: 0, count: rows.count)
    for index in rows.indices {
      let slot = next[rows[index]]
      bucketColumns[slot] = columns[index]
      bucketValues[slot] = values[index]
      next[rows[index]] += 1
    }
    var starts = [0]
    starts.reserveCapacity(order + 1)
    var outColumns: [Int] = []
    var outValues: [Double] = []
    outColumns.reserveCapacity(rows.count)
    outValues.reserveCapacity(rows.count)
    var slots = [Int]()
    for i in 0..<order {
      let range = counts[i]..<counts[i + 1]
      slots = Array(range)
      slots.sort { bucketColumns[$0] < bucketColumns[$1] }
      var p = 0
      while p < slots.count {
        let column = bucketColumns[slots[p]]
        var sum = 0.0
        while p < slots.count && bucketColumns[slots[p]] == column {
          sum += bucketValues[slots[p]]
          p += 1
        }
        if column != i && sum != 0 {
          outColumns.append(column)
          outValues.append(sum)
        }
      }
      starts.append(outColumns.count)
    }
    return CSRBuilder(order: order, rowStarts: starts, columnIndices: outColumns, values: outValues)
  }

  /// The transpose, rows again sorted by column.
  func transposed() -> CSRBuilder {
    var counts = [Int](repeating: 0, count: order + 1)
    for c in columnIndices { counts[c + 1] += 1 }
    for i in 0..<order { counts[i + 1] += counts[i] }
    var next = counts
    var outColumns = [Int](repeating: 0, count: values.count)
    var outValues = [Double](repeating: 0, count: values.count)
    for i in 0..<order {
      for p in rowStarts[i]..<rowStarts[i + 1] {
        let slot = next[columnIndices[p]]
        outColumns[slot] = i
        outValues[slot] = values[p]
        next[columnIndices[p]] += 1
      }
    }
    return CSRBuilder(order: order, rowStarts: counts, columnIndices: outColumns, values: outValues)
  }

  /// `(A + A^T) / 2` after checking `|A[i, j] - A[j, i]| <= tolerance * max |A|`.
  func symmetrized(tolerance: Double) throws -> SymmetricSparseMatrix {
    let transpose = transposed()
    let scale = values.max() ?? 0
    let limit = tolerance * scale
    var starts = [0]
    starts.reserveCapacity(order + 1)
    var outColumns: [Int] = []
    var outValues: [Double] = []
    outColumns.reserveCapacity(values.count)
    outValues.reserveCapacity(values.count)
    for i in 0..<order {
      var p = rowStarts[i]
      var q = transpose.rowStarts[i]
      let pEnd = rowStarts[i + 1]
      let qEnd = transpose.rowStarts[i + 1]
      while p < pEnd || q < qEnd {
        let cp = p < pEnd ? columnIndices[p] : Int.max
        let cq = q < qEnd ? transpose.columnIndices[q] : Int.max
        let column = Swift.min(cp, cq)
        let a = cp == column ? values[p] : 0
        let b = cq == column ? transpose.values[q] : 0
        if cp == column { p += 1 }
        if cq == column { q += 1 }
        if Swift.abs(a - b) > limit {
          throw NeuronModulesError.asymmetric(row: i, column: column, value: a, transposedValue: b, tolerance: tolerance)
        }
        let mean = 0.5 * (a + b)
        if mean > 0 {
          outColumns.append(column)
          outValues.append(mean)
        }
      }
      starts.append(outColumns.count)
    }
    return SymmetricSparseMatrix(uncheckedOrder: order, rowStarts: starts, columnIndices: outColumns, values: outValues)
  }
}
