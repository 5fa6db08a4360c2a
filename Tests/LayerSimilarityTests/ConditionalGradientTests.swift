import Foundation
import Tensors
import Testing

@testable import LayerSimilarity

@Suite struct ConditionalGradientTests {
  let fixtures = GWFixtures.shared

  @Test func productStartMatchesPOT() throws {
    for testCase in fixtures.gw {
      let (a, b) = try testCase.spaces()
      let result = try GromovWasserstein.conditionalGradient(a, b, options: .productStartOnly)
      #expect(relativeError(result.value, testCase.productStartValue) < 1e-6, "\(testCase.name)")
      #expect(result.iterations == testCase.productStartIterations, "\(testCase.name)")
      #expect(result.winningStart == .product)
      if a.hasUniformWeights && a.count == b.count {
        var options = ConditionalGradientOptions.productStartOnly
        options.linearSolver = .assignment
        let assigned = try GromovWasserstein.conditionalGradient(a, b, options: options)
        #expect(relativeError(assigned.value, testCase.productStartValue) < 1e-6, "\(testCase.name)")
      } else {
        #expect(throws: LayerSimilarityError.self) {
          _ = try GromovWasserstein.conditionalGradient(
            a, b, options: ConditionalGradientOptions(linearSolver: .assignment))
        }
      }
    }
  }

  @Test func couplingValueMatchesTheQuadrupleSum() throws {
    // f(T) = sum_{i,j,k,l} (C1_ik - C2_jl)^2 T_ij T_kl evaluated by brute force on a small case.
    var generator = SeededGenerator(seed: 21)
    let x = Tensor<Double>(shape: [7, 3], scalars: (0..<21).map { _ in generator.nextStandardNormal() })
    let y = Tensor<Double>(shape: [9, 2], scalars: (0..<18).map { _ in generator.nextStandardNormal() })
    let q = randomWeights(9, using: &generator)
    let a = try MetricMeasureSpace(representation: x)
    let b = try MetricMeasureSpace(representation: y, weights: Tensor(q))
    let result = try GromovWasserstein.conditionalGradient(a, b)
    let c1 = a.distanceValues
    let c2 = b.distanceValues
    let t = result.coupling.scalars
    var total = 0.0
    for i in 0..<7 {
      for j in 0..<9 {
        for k in 0..<7 {
          for l in 0..<9 {
            let d = c1[i * 7 + k] - c2[j * 9 + l]
            total += d * d * t[i * 9 + j] * t[k * 9 + l]
          }
        }
      }
    }
    #expect(Swift.abs(total - result.value) < 1e-12)
    #expect(Swift.abs(result.distance - 0.5 * total.squareRoot()) < 1e-12)
  }
}

@Suite struct MultiStartTests {
  let fixtures = GWFixtures.shared

  @Test func allStartsAreNeverWorseThanPOT() throws {
    for testCase in fixtures.gw {
      let (a, b) = try testCase.spaces()
      let shared = a.count == b.count && a.hasUniformWeights
      let result = try GromovWasserstein.conditionalGradient(
        a, b, options: ConditionalGradientOptions(samplesAreShared: shared, randomStarts: 2, seed: 1))
      #expect(result.value <= testCase.productStartValue * (1 + 1e-12), "\(testCase.name)")
      #expect(result.starts.count == (shared ? 4 : 3))
      #expect(result.starts.map(\.value).min() == result.value)
      #expect(result.starts.first { $0.start == result.winningStart }?.value == result.value)
      if shared, let identity = testCase.identityValue {
        // The identity start begins at the RSM norm difference and only improves.
        #expect(relativeError(result.starts[0].initialValue, identity) < 1e-12)
        #expect(result.starts[0].value <= identity)
      }
      // The coupling is feasible.
      let n = a.count
      let m = b.count
      for i in 0..<n {
        let rowSum = (0..<m).reduce(0.0) { $0 + result.coupling.scalars[i * m + $1] }
        #expect(Swift.abs(rowSum - a.weightValues[i]) < 1e-12)
      }
    }
  }

  @Test func recoversARotatedPermutedEmbeddedCopy() throws {
    var generator = SeededGenerator(seed: 99)
    let n = 40
    let d = 5
    let embedding = 9
    let x = (0..<(n * d)).map { _ in generator.nextStandardNormal() }
    let rotation = randomOrthogonalMatrix(embedding, using: &generator)
    let permutation = generator.permutation(n)
    // y_j = R [x_{pi(j)}, 0]: a rotated copy in a higher dimension, samples permuted.
    var padded = [Double](repeating: 0, count: n * embedding)
    for j in 0..<n {
      for k in 0..<d { padded[j * embedding + k] = x[permutation[j] * d + k] }
    }
    let y = Tensor(shape: [n, embedding], scalars: padded).matmul(rotation)
    let a = try MetricMeasureSpace(representation: Tensor(shape: [n, d], scalars: x), layer: "a")
    let b = try MetricMeasureSpace(representation: y, layer: "b")
    let result = try GromovWasserstein.conditionalGradient(a, b)
    let meanC = a.distanceValues.reduce(0, +) / Double(n * n)
    #expect(result.value < 1e-9 * meanC)
    #expect(result.value >= -1e-12)
    #expect(result.linearSolver == .assignment)
    let matching = result.matching
    for j in 0..<n { #expect(matching[permutation[j]] == j) }
    let withAssignment = try GromovWasserstein.conditionalGradient(
      a, b, options: ConditionalGradientOptions(linearSolver: .assignment))
    #expect(withAssignment.linearSolver == .assignment)
    #expect(withAssignment.value < 1e-9 * meanC)
    #expect(withAssignment.matching == matching)
    let withSimplex = try GromovWasserstein.conditionalGradient(
      a, b, options: ConditionalGradientOptions(linearSolver: .networkSimplex))
    #expect(withSimplex.value < 1e-9 * meanC)
    #expect(withSimplex.matching == matching)
  }

  @Test func randomVerticesServeAsStartsForGeneralWeights() throws {
    let testCase = fixtures.gw.first { $0.p != nil }!
    let (a, b) = try testCase.spaces()
    let result = try GromovWasserstein.conditionalGradient(a, b, options: ConditionalGradientOptions(randomStarts: 3, seed: 4))
    #expect(result.linearSolver == .networkSimplex)
    #expect(result.value <= testCase.productStartValue * (1 + 1e-12))
    let again = try GromovWasserstein.conditionalGradient(a, b, options: ConditionalGradientOptions(randomStarts: 3, seed: 4))
    #expect(again.starts == result.starts)
  }

  @Test func rejectsInconsistentOptions() throws {
    let testCase = fixtures.gw.first { $0.p != nil }!
    let (a, b) = try testCase.spaces()
    #expect(throws: LayerSimilarityError.sampleCountMismatch(first: a.layer, firstCount: 40, second: b.layer, secondCount: 55)) {
      _ = try GromovWasserstein.conditionalGradient(a, b, options: ConditionalGradientOptions(samplesAreShared: true))
    }
    #expect(throws: LayerSimilarityError.self) {
      _ = try GromovWasserstein.conditionalGradient(
        a, b, options: ConditionalGradientOptions(includesProductStart: false, randomStarts: 0))
    }
    #expect(throws: LayerSimilarityError.self) {
      _ = try GromovWasserstein.conditionalGradient(a, b, options: ConditionalGradientOptions(maxIterations: 0))
    }
  }
}
