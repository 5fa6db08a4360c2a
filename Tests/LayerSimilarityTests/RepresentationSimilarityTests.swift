import Foundation
import Tensors
import Testing

@testable import LayerSimilarity

@Suite struct RepresentationSimilarityTests {
  let fixtures = GWFixtures.shared

  @Test func linearCKAMatchesNumpy() throws {
    for testCase in fixtures.baselines {
      let x = testCase.x.tensor(Double.self)
      let y = testCase.y.tensor(Float.self)
      let value = try RepresentationSimilarity.linearCKA(x, testCase.y.tensor(Double.self))
      #expect(Swift.abs(value - testCase.linearCKA) < 1e-12)
      // Float input goes through the same Double computation.
      #expect(Swift.abs(try RepresentationSimilarity.linearCKA(x, y) - testCase.linearCKA) < 1e-6)
    }
  }

  @Test func linearCKAGramPathAgreesWithFeaturePath() throws {
    let testCase = fixtures.baselines[0]
    let n = testCase.x.shape[0]
    let d = testCase.y.shape[1]
    // Zero columns leave the centered Gram matrix unchanged but force the Gram-matrix path.
    let width = n + 10
    var padded = [Double](repeating: 0, count: n * width)
    for i in 0..<n {
      for j in 0..<d { padded[i * width + j] = testCase.y.data[i * d + j] }
    }
    let value = try RepresentationSimilarity.linearCKA(
      testCase.x.tensor(Double.self), Tensor(shape: [n, width], scalars: padded))
    #expect(Swift.abs(value - testCase.linearCKA) < 1e-12)
  }

  @Test func linearCKAIsInvariantToRotationAndScale() throws {
    var generator = SeededGenerator(seed: 5)
    let x = Tensor<Double>(shape: [30, 4], scalars: (0..<120).map { _ in generator.nextStandardNormal() })
    let rotation = randomOrthogonalMatrix(4, using: &generator)
    let y = x.matmul(rotation) * Tensor(3.5)
    #expect(Swift.abs(try RepresentationSimilarity.linearCKA(x, y) - 1) < 1e-12)
    #expect(Swift.abs(try RepresentationSimilarity.rbfCKA(x, y) - 1) < 1e-12)
  }

  @Test func orthogonalProcrustesMatchesNumpy() throws {
    for testCase in fixtures.baselines {
      let x = testCase.x.tensor(Double.self)
      let y = testCase.y.tensor(Double.self)
      #expect(Swift.abs(try RepresentationSimilarity.orthogonalProcrustes(x, y) - testCase.procrustes) < 1e-12)
      #expect(Swift.abs(try RepresentationSimilarity.orthogonalProcrustes(y, x) - testCase.procrustes) < 1e-12)
    }
  }

  @Test func orthogonalProcrustesOfWideLayersUsesTheGramBasisExactly() throws {
    // d > n: the distance from the n x n Gram basis equals 2 - 2 ||X^T Y||_* computed directly.
    var generator = SeededGenerator(seed: 6)
    let n = 12
    let x = Tensor<Double>(shape: [n, 30], scalars: (0..<(n * 30)).map { _ in generator.nextStandardNormal() })
    let y = Tensor<Double>(shape: [n, 17], scalars: (0..<(n * 17)).map { _ in generator.nextStandardNormal() })
    func normalized(_ t: Tensor<Double>) -> Tensor<Double> {
      let centered = t - t.mean(axis: 0, keepingDimension: true)
      return centered / Tensor(centered.scalars.reduce(0) { $0 + $1 * $1 }.squareRoot())
    }
    let direct =
      2 - 2 * (try normalized(x).transposed().matmul(normalized(y)).singularValueDecomposition().s.scalars.reduce(0, +))
    #expect(Swift.abs(try RepresentationSimilarity.orthogonalProcrustes(x, y) - direct) < 1e-12)
    #expect(Swift.abs(try RepresentationSimilarity.orthogonalProcrustes(y, x) - direct) < 1e-12)
  }

  @Test func orthogonalProcrustesIsZeroForARotatedScaledShiftedCopy() throws {
    var generator = SeededGenerator(seed: 5)
    let x = Tensor<Double>(shape: [40, 6], scalars: (0..<240).map { _ in generator.nextStandardNormal() })
    let rotation = randomOrthogonalMatrix(6, using: &generator)
    let y = x.matmul(rotation) * 3.0 + Tensor(shape: [6], scalars: [1, -2, 0.5, 4, 0, 7])
    #expect(try RepresentationSimilarity.orthogonalProcrustes(x, y) < 1e-12)
    #expect(throws: LayerSimilarityError.self) {
      try RepresentationSimilarity.orthogonalProcrustes(x, Tensor<Double>.zeros([40, 3]))
    }
  }

  @Test func rbfCKAMatchesNumpy() throws {
    for testCase in fixtures.baselines {
      let x = testCase.x.tensor(Double.self)
      let y = testCase.y.tensor(Double.self)
      #expect(Swift.abs(try RepresentationSimilarity.rbfCKA(x, y) - testCase.rbfCKA) < 1e-12)
      #expect(Swift.abs(try RepresentationSimilarity.rbfCKA(x, y, threshold: 0.5) - testCase.rbfCKAThreshold05) < 1e-12)
    }
  }

  @Test func rsmDifferenceMatchesNumpy() throws {
    for testCase in fixtures.baselines {
      let a = try MetricMeasureSpace(representation: testCase.x.tensor(Double.self))
      let b = try MetricMeasureSpace(representation: testCase.y.tensor(Double.self))
      #expect(relativeError(try RepresentationSimilarity.rsmDifference(a, b), testCase.rsmDifference) < 1e-12)
      let ac = try MetricMeasureSpace(representation: testCase.x.tensor(Double.self), metric: .cosine, normalization: .max)
      let bc = try MetricMeasureSpace(representation: testCase.y.tensor(Double.self), metric: .cosine, normalization: .max)
      #expect(relativeError(try RepresentationSimilarity.rsmDifference(ac, bc), testCase.rsmDifferenceCosineMax) < 1e-10)
    }
  }

  @Test func baselinesRejectMismatchedSamples() throws {
    let x = Tensor<Double>(shape: [5, 2], scalars: (0..<10).map(Double.init))
    let y = Tensor<Double>(shape: [6, 2], scalars: (0..<12).map { Double($0 * $0) })
    #expect(throws: LayerSimilarityError.sampleCountMismatch(first: "x", firstCount: 5, second: "y", secondCount: 6)) {
      _ = try RepresentationSimilarity.linearCKA(x, y)
    }
    let a = try MetricMeasureSpace(representation: x)
    let b = try MetricMeasureSpace(representation: y)
    #expect(throws: LayerSimilarityError.self) { _ = try RepresentationSimilarity.rsmDifference(a, b) }
    let constant = Tensor<Double>(repeating: 1, shape: [5, 3])
    #expect(throws: LayerSimilarityError.degenerateSpace(layer: "y")) {
      _ = try RepresentationSimilarity.linearCKA(x, constant)
    }
  }
}

/// A random orthogonal `d x d` matrix: Gram-Schmidt on a Gaussian matrix.
func randomOrthogonalMatrix(_ d: Int, using generator: inout SeededGenerator) -> Tensor<Double> {
  var columns: [[Double]] = []
  while columns.count < d {
    var v = (0..<d).map { _ in generator.nextStandardNormal() }
    for u in columns {
      let projection = zip(u, v).map { $0 * $1 }.reduce(0, +)
      v = zip(v, u).map { $0 - projection * $1 }
    }
    let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
    if norm > 1e-6 { columns.append(v.map { $0 / norm }) }
  }
  return Tensor(shape: [d, d], scalars: (0..<d).flatMap { i in columns.map { $0[i] } })
}
