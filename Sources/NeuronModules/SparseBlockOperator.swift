import Foundation

/// A symmetric sparse matrix prepared for repeated products with row-major blocks of vectors
/// (sparse times dense multi-vector, "SpMM"): 32-bit column indices, and the rows split into
/// contiguous chunks of about equal work, one per thread.
///
/// The product is fused with a linear combination so that a three-term recurrence (the
/// Chebyshev filter of ``chebyshevFilteredEigenpairs(of:count:blockSize:start:tolerance:maximumIterations:threads:seed:)``)
/// reads and writes each block once per step:
/// `out = alpha A x + beta x + gamma z`.
struct SparseBlockOperator: Sendable {
  let order: Int
  private let rowStarts: [Int32]
  private let columnIndices: [Int32]
  private let values: [Double]
  private let singleValues: [Float]
  /// Row boundaries of the threads' chunks (`chunks + 1` values from 0 to `order`).
  let chunkStarts: [Int]

  /// Prepares `matrix` for products on up to `threads` threads: one per `minimumChunkWork`
  /// stored entries plus rows at most (thread start-up costs more than a small product).
  ///
  /// - Precondition: fewer than 2^31 stored entries.
  init(_ matrix: SymmetricSparseMatrix, threads: Int, minimumChunkWork: Int = 20_000) {
    precondition(matrix.storedEntryCount < Int(Int32.max), "too many entries for 32-bit indices")
    order = matrix.order
    rowStarts = matrix.rowStarts.map { Int32($0) }
    columnIndices = matrix.columnIndices.map { Int32($0) }
    values = matrix.values
    singleValues = matrix.values.map { Float($0) }
    // Balance rows plus entries: each row costs its entries and one write.
    let chunks = Swift.max(1, Swift.min(threads, (matrix.storedEntryCount + matrix.order) / Swift.max(1, minimumChunkWork)))
    var starts = [0]
    let total = matrix.storedEntryCount + matrix.order
    var row = 0
    for chunk in 1..<chunks {
      let target = total * chunk / chunks
      while row < matrix.order && matrix.rowStarts[row] + row < target { row += 1 }
      starts.append(row)
    }
    starts.append(matrix.order)
    chunkStarts = starts
  }

  /// The number of threads a product runs on.
  var threadCount: Int { chunkStarts.count - 1 }

  /// `out = alpha A x + beta x + gamma z` for row-major `[order, columns]` blocks; `z` is read
  /// only when `gamma != 0`. `out` must not overlap `x` or `z`.
  func apply(
    to x: UnsafePointer<Double>, columns m: Int, alpha: Double = 1, beta: Double = 0, gamma: Double = 0,
    z: UnsafePointer<Double>? = nil, into out: UnsafeMutablePointer<Double>
  ) {
    values.withUnsafeBufferPointer { entries in
      run(SpMMKernel(values: entries.baseAddress!, x: x, z: z ?? x, out: out, m: m, alpha: alpha, beta: beta, gamma: gamma))
    }
  }

  /// The same product in single precision (the matrix entries rounded to `Float`).
  func apply(
    to x: UnsafePointer<Float>, columns m: Int, alpha: Float = 1, beta: Float = 0, gamma: Float = 0,
    z: UnsafePointer<Float>? = nil, into out: UnsafeMutablePointer<Float>
  ) {
    singleValues.withUnsafeBufferPointer { entries in
      run(SpMMKernel(values: entries.baseAddress!, x: x, z: z ?? x, out: out, m: m, alpha: alpha, beta: beta, gamma: gamma))
    }
  }

  private func run<Scalar: SendableMetatype>(_ kernel: SpMMKernel<Scalar>) {
    rowStarts.withUnsafeBufferPointer { starts in
      columnIndices.withUnsafeBufferPointer { columns in
        let structure = CSRStructure(starts: starts.baseAddress!, columns: columns.baseAddress!)
        if threadCount == 1 {
          kernel.run(rows: 0..<order, structure)
        } else {
          let bounds = chunkStarts
          DispatchQueue.concurrentPerform(iterations: threadCount) { chunk in
            kernel.run(rows: bounds[chunk]..<bounds[chunk + 1], structure)
          }
        }
      }
    }
  }

  /// `A x` for a row-major `[order, columns]` block, as a new array.
  func product(_ x: [Double], columns m: Int) -> [Double] {
    precondition(x.count == order * m, "block of \(x.count) values is not [\(order), \(m)]")
    return [Double](unsafeUninitializedCapacity: order * m) { buffer, initialized in
      x.withUnsafeBufferPointer { source in apply(to: source.baseAddress!, columns: m, into: buffer.baseAddress!) }
      initialized = order * m
    }
  }

  /// `A x` in single precision, as a new array.
  func product(_ x: [Float], columns m: Int) -> [Float] {
    precondition(x.count == order * m, "block of \(x.count) values is not [\(order), \(m)]")
    return [Float](unsafeUninitializedCapacity: order * m) { buffer, initialized in
      x.withUnsafeBufferPointer { source in apply(to: source.baseAddress!, columns: m, into: buffer.baseAddress!) }
      initialized = order * m
    }
  }
}

/// Row starts and column indices of a CSR matrix, read by the product's threads.
private struct CSRStructure: @unchecked Sendable {
  let starts: UnsafePointer<Int32>
  let columns: UnsafePointer<Int32>
}

/// The inner loops of ``SparseBlockOperator/apply(to:columns:alpha:beta:gamma:z:into:)``: for
/// each row, the columns in SIMD chunks of 16 (Float only), 8, 4, 2 and 1, each chunk's sum over the row's entries
/// kept in registers. Specialized for `Float` and `Double` (same module).
private struct SpMMKernel<Scalar: SIMDScalar & BinaryFloatingPoint>: @unchecked Sendable {
  let values: UnsafePointer<Scalar>
  let x: UnsafePointer<Scalar>
  let z: UnsafePointer<Scalar>
  let out: UnsafeMutablePointer<Scalar>
  let m: Int
  let alpha: Scalar
  let beta: Scalar
  let gamma: Scalar

  func run(rows: Range<Int>, _ structure: CSRStructure) {
    let (starts, columns) = (structure.starts, structure.columns)
    for i in rows {
      let begin = Int(starts[i])
      let end = Int(starts[i + 1])
      var c = 0
      // 64-byte chunks first (16 Float or 8 Double columns): one cache line of each source row.
      if MemoryLayout<Scalar>.size == 4 {
        while c + 16 <= m {
          var sum = SIMD16<Scalar>()
          for p in begin..<end {
            sum += values[p] * load(SIMD16<Scalar>.self, x + Int(columns[p]) * m + c)
          }
          finish(sum, row: i, column: c)
          c += 16
        }
      }
      while c + 8 <= m {
        var sum = SIMD8<Scalar>()
        for p in begin..<end {
          sum += values[p] * load(SIMD8<Scalar>.self, x + Int(columns[p]) * m + c)
        }
        finish(sum, row: i, column: c)
        c += 8
      }
      if c + 4 <= m {
        var sum = SIMD4<Scalar>()
        for p in begin..<end {
          sum += values[p] * load(SIMD4<Scalar>.self, x + Int(columns[p]) * m + c)
        }
        finish(sum, row: i, column: c)
        c += 4
      }
      if c + 2 <= m {
        var sum = SIMD2<Scalar>()
        for p in begin..<end {
          sum += values[p] * load(SIMD2<Scalar>.self, x + Int(columns[p]) * m + c)
        }
        finish(sum, row: i, column: c)
        c += 2
      }
      if c < m {
        var sum: Scalar = 0
        for p in begin..<end { sum += values[p] * x[Int(columns[p]) * m + c] }
        var result = alpha * sum
        if beta != 0 { result += beta * x[i * m + c] }
        if gamma != 0 { result += gamma * z[i * m + c] }
        out[i * m + c] = result
      }
    }
  }

  @inline(__always)
  private func load<V: SIMD>(_: V.Type, _ pointer: UnsafePointer<Scalar>) -> V where V.Scalar == Scalar {
    UnsafeRawPointer(pointer).loadUnaligned(as: V.self)
  }

  @inline(__always)
  private func finish<V: SIMD>(_ sum: V, row i: Int, column c: Int) where V.Scalar == Scalar {
    var result = alpha * sum
    if beta != 0 { result += beta * load(V.self, x + i * m + c) }
    if gamma != 0 { result += gamma * load(V.self, z + i * m + c) }
    UnsafeMutableRawPointer(out + i * m + c).storeBytes(of: result, as: V.self)
  }
}
