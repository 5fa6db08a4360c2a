import Foundation
import Tensors
import Testing

@testable import LayerSimilarity

/// The scaled, support-tracked coupling of the conditional-gradient loop against a dense
/// reference that applies every step literally.
@Suite struct ConvexCombinationTests {
  @Test func stepsMatchADenseReference() {
    var generator = SeededGenerator(seed: 31)
    let (n, m) = (7, 5)
    let p = [Double](repeating: 1 / Double(n), count: n)
    let q = [Double](repeating: 1 / Double(m), count: m)
    for trial in 0..<60 {
      var combination = ConvexCombination(n: n, m: m)
      var reference = [Double](repeating: 0, count: n * m)
      func randomVertex() -> SparseCoupling {
        let count = 1 + generator.nextInt(below: 6)
        return SparseCoupling(
          rows: (0..<count).map { _ in generator.nextInt(below: n) },
          columns: (0..<count).map { _ in generator.nextInt(below: m) },
          masses: (0..<count).map { _ in generator.nextUniform(in: 0.1..<1.0) })
      }
      if trial % 2 == 0 {
        combination.resetToProduct(p, q)
        for i in 0..<n { for j in 0..<m { reference[i * m + j] = p[i] * q[j] } }
      } else {
        let start = randomVertex()
        combination.reset(to: start)
        reference = start.dense(n: n, m: m)
      }
      for step in 0..<40 {
        let vertex = randomVertex()
        // Steps close to 1 drive the scale below 1e-100, which must be absorbed exactly.
        let alpha = step % 7 == 6 ? 1 : (trial % 3 == 0 ? 1 - 1e-9 : generator.nextUniform(in: 0.01..<0.99))
        if alpha == 1 {
          combination.reset(to: vertex)
          reference = vertex.dense(n: n, m: m)
        } else {
          combination.move(toward: vertex, by: alpha)
          let target = vertex.dense(n: n, m: m)
          for k in reference.indices { reference[k] = (1 - alpha) * reference[k] + alpha * target[k] }
        }
        let dense = combination.dense
        let scale = reference.map(Swift.abs).max()!
        for k in reference.indices {
          #expect(Swift.abs(dense[k] - reference[k]) <= 1e-12 * scale, "trial \(trial), step \(step)")
        }
        let matrix = (0..<(n * m)).map { _ in generator.nextUniform(in: -1.0..<1.0) }
        let extra = (0..<(n * m)).map { _ in Float(generator.nextUniform(in: -1.0..<1.0)) }
        let expected = zip(reference, matrix).reduce(0.0) { $0 + $1.0 * $1.1 }
        let expectedPlus = (0..<(n * m)).reduce(0.0) { $0 + reference[$1] * (matrix[$1] + Double(extra[$1])) }
        #expect(Swift.abs(matrix.withUnsafeBufferPointer { combination.dot($0.baseAddress!) } - expected) <= 1e-12)
        let plus = matrix.withUnsafeBufferPointer { base in
          extra.withUnsafeBufferPointer { combination.dot(base.baseAddress!, plus: $0.baseAddress!) }
        }
        #expect(Swift.abs(plus - expectedPlus) <= 1e-12)
        let entries = combination.entries
        #expect(entries.dense(n: n, m: m) == dense)
        #expect(entries.masses.allSatisfy { $0 > 0 })
      }
    }
  }
}
