import Tensors
import Testing

@testable import NeuronModules

@Suite struct SparseBlockOperatorTests {
  /// A random symmetric weighted graph with `n` nodes and isolated rows (empty CSR rows) mixed in.
  func randomMatrix(order n: Int, edges: Int, seed: UInt64) throws -> SymmetricSparseMatrix {
    var generator = SeededGenerator(seed: seed)
    var rows: [Int] = []
    var columns: [Int] = []
    var values: [Double] = []
    for _ in 0..<edges {
      // Nodes divisible by 7 stay isolated.
      let i = generator.nextInt(below: n)
      let j = generator.nextInt(below: n)
      if i == j || i % 7 == 0 || j % 7 == 0 { continue }
      let w = 0.1 + generator.nextUniform(as: Double.self)
      rows += [i, j]
      columns += [j, i]
      values += [w, w]
    }
    return try SymmetricSparseMatrix(order: n, rows: rows, columns: columns, values: values)
  }

  /// `alpha A x + beta x + gamma z` by a plain dense triple loop over `A.dense()`.
  func denseReference(
    _ a: SymmetricSparseMatrix, _ x: [Double], _ z: [Double], columns m: Int, alpha: Double, beta: Double, gamma: Double
  ) -> [Double] {
    let n = a.order
    let dense = a.dense().scalars
    var out = [Double](repeating: 0, count: n * m)
    for i in 0..<n {
      for c in 0..<m {
        var sum = 0.0
        for j in 0..<n { sum += dense[i * n + j] * x[j * m + c] }
        out[i * m + c] = alpha * sum + beta * x[i * m + c] + gamma * z[i * m + c]
      }
    }
    return out
  }

  func randomBlock(_ count: Int, _ generator: inout SeededGenerator) -> [Double] {
    (0..<count).map { _ in 2 * generator.nextUniform(as: Double.self) - 1 }
  }

  /// Every SIMD chunk width (16/8/4/2/1 columns) and their mixtures, against the dense product.
  @Test(arguments: [1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 16, 17, 18, 19, 24, 33])
  func fusedProductMatchesDenseProduct(columns m: Int) throws {
    let a = try randomMatrix(order: 61, edges: 240, seed: UInt64(m))
    #expect(a.rowStarts.indices.dropLast().contains { a.rowStarts[$0] == a.rowStarts[$0 + 1] })
    var generator = SeededGenerator(seed: 100 + UInt64(m))
    let x = randomBlock(61 * m, &generator)
    let z = randomBlock(61 * m, &generator)
    let (alpha, beta, gamma) = (0.7, -0.3, 1.9)
    let reference = denseReference(a, x, z, columns: m, alpha: alpha, beta: beta, gamma: gamma)
    let scale = reference.map { Swift.abs($0) }.max() ?? 1
    for threads in [1, 3] {
      let product = SparseBlockOperator(a, threads: threads, minimumChunkWork: 1)
      #expect(product.threadCount == threads)
      // Double precision: rounding only.
      var out = [Double](repeating: .nan, count: 61 * m)
      x.withUnsafeBufferPointer { xp in
        z.withUnsafeBufferPointer { zp in
          out.withUnsafeMutableBufferPointer { op in
            product.apply(
              to: xp.baseAddress!, columns: m, alpha: alpha, beta: beta, gamma: gamma, z: zp.baseAddress!,
              into: op.baseAddress!)
          }
        }
      }
      for (ours, theirs) in zip(out, reference) { #expect(Swift.abs(ours - theirs) <= 1e-13 * scale) }
      // Single precision: about 1e-7 relative.
      let xf = x.map { Float($0) }
      let zf = z.map { Float($0) }
      var single = [Float](repeating: .nan, count: 61 * m)
      xf.withUnsafeBufferPointer { xp in
        zf.withUnsafeBufferPointer { zp in
          single.withUnsafeMutableBufferPointer { op in
            product.apply(
              to: xp.baseAddress!, columns: m, alpha: Float(alpha), beta: Float(beta), gamma: Float(gamma),
              z: zp.baseAddress!, into: op.baseAddress!)
          }
        }
      }
      for (ours, theirs) in zip(single, reference) { #expect(Swift.abs(Double(ours) - theirs) <= 2e-6 * scale) }
    }
  }

  @Test func plainProductsAndThreadsAgreeBitForBit() throws {
    let a = try randomMatrix(order: 200, edges: 1500, seed: 9)
    var generator = SeededGenerator(seed: 4)
    let x = randomBlock(200 * 16, &generator)
    let serial = SparseBlockOperator(a, threads: 1).product(x, columns: 16)
    // The same rows are summed in the same order whatever thread computes them.
    let parallel = SparseBlockOperator(a, threads: 4, minimumChunkWork: 1).product(x, columns: 16)
    #expect(serial == parallel)
    // The block product is the existing CSR product, column by column.
    #expect(serial == a.multiply(block: x, columns: 16))
    let singles = SparseBlockOperator(a, threads: 2, minimumChunkWork: 1).product(x.map { Float($0) }, columns: 16)
    let singleSerial = SparseBlockOperator(a, threads: 1).product(x.map { Float($0) }, columns: 16)
    #expect(singles == singleSerial)
  }

  @Test func chunksCoverAllRowsWithBalancedWork() throws {
    let a = try randomMatrix(order: 1000, edges: 6000, seed: 2)
    let product = SparseBlockOperator(a, threads: 3, minimumChunkWork: 1)
    #expect(product.threadCount == 3)
    let starts = product.chunkStarts
    #expect(starts.first == 0 && starts.last == 1000)
    // Work = stored entries + rows; each chunk within a row's work of a third of the total.
    let work = (0..<3).map { c in a.rowStarts[starts[c + 1]] - a.rowStarts[starts[c]] + starts[c + 1] - starts[c] }
    let largestRow = (0..<1000).map { a.rowStarts[$0 + 1] - a.rowStarts[$0] + 1 }.max()!
    for w in work { #expect(Swift.abs(w - (a.storedEntryCount + 1000) / 3) <= largestRow + 1) }
    // Small matrices stay on one thread by default.
    #expect(SparseBlockOperator(a, threads: 8).threadCount == 1)
  }
}
