import Foundation
import Tensors
import Testing

@testable import LayerSimilarity

@Suite struct MetricMeasureSpaceTests {
  let fixture = GWFixtures.shared.distances

  @Test func distancesMatchScipy() throws {
    let x = fixture.x.tensor(Double.self)
    let cases: [(DistanceMetric, [Double])] = [
      (.euclidean, fixture.euclidean), (.squaredEuclidean, fixture.squaredEuclidean), (.cosine, fixture.cosine),
    ]
    for (metric, expected) in cases {
      let space = try MetricMeasureSpace(representation: x, metric: metric, normalization: .none)
      let error = zip(space.distanceValues, expected).map { Swift.abs($0 - $1) }.max()!
      #expect(error < 1e-12, "\(metric)")
      #expect(space.scale == 1)
      let n = space.count
      for i in 0..<n {
        #expect(space.distanceValues[i * n + i] == 0)
        for k in 0..<n { #expect(space.distanceValues[i * n + k] == space.distanceValues[k * n + i]) }
      }
    }
  }

  @Test func normalizesByMeanOrMax() throws {
    let x = fixture.x.tensor(Float.self)
    let byMean = try MetricMeasureSpace(representation: x)
    let total: Double = byMean.distanceValues.reduce(0, +)
    let mean = total / Double(byMean.distanceValues.count)
    #expect(Swift.abs(mean - 1) < 1e-14)
    let byMax = try MetricMeasureSpace(representation: x, normalization: .max)
    #expect(byMax.distanceValues.max() == 1)
    #expect(byMean.hasUniformWeights && byMean.weightValues.allSatisfy { $0 == 1.0 / 12 })
    #expect(byMean.distances.shape == [12, 12])
  }

  @Test func flattensTrailingAxes() throws {
    let x = fixture.x.tensor(Double.self)
    let reshaped = Tensor(shape: [12, 5, 1], scalars: x.scalars)
    #expect(
      try MetricMeasureSpace(representation: reshaped).distanceValues == MetricMeasureSpace(representation: x).distanceValues)
  }

  @Test func namesTheLayerAndSampleOfNonFiniteValues() throws {
    var values = [Float](repeating: 0.5, count: 20 * 3)
    for i in 0..<20 { values[i * 3] = Float(i) }
    values[17 * 3 + 1] = .nan
    #expect(throws: LayerSimilarityError.nonFiniteValue(layer: "blocks.0.out", sample: 17, isNaN: true)) {
      _ = try MetricMeasureSpace(representation: Tensor(shape: [20, 3], scalars: values), layer: "blocks.0.out")
    }
    let error = LayerSimilarityError.nonFiniteValue(layer: "blocks.0.out", sample: 17, isNaN: true)
    #expect(error.description == "layer 'blocks.0.out' sample 17 has NaN")
    values[17 * 3 + 1] = 0
    values[4 * 3 + 2] = -.infinity
    #expect(throws: LayerSimilarityError.nonFiniteValue(layer: "head", sample: 4, isNaN: false)) {
      _ = try MetricMeasureSpace(representation: Tensor(shape: [20, 3], scalars: values), layer: "head")
    }
  }

  @Test func rejectsDegenerateInputs() throws {
    #expect(throws: LayerSimilarityError.tooFewSamples(layer: "l", count: 1)) {
      _ = try MetricMeasureSpace(representation: Tensor<Double>(shape: [1, 4], scalars: [1, 2, 3, 4]), layer: "l")
    }
    #expect(throws: LayerSimilarityError.invalidShape(layer: "l", shape: [4])) {
      _ = try MetricMeasureSpace(representation: Tensor<Double>([1, 2, 3, 4]), layer: "l")
    }
    let constant = Tensor<Double>(repeating: 2, shape: [6, 3])
    #expect(throws: LayerSimilarityError.degenerateSpace(layer: "l")) {
      _ = try MetricMeasureSpace(representation: constant, layer: "l")
    }
    // Without normalization a single-point space is allowed: all distances are zero.
    let point = try MetricMeasureSpace(representation: constant, normalization: .none)
    #expect(point.distanceValues.allSatisfy { $0 == 0 })
    var withZero = fixture.x.data
    for k in 0..<5 { withZero[3 * 5 + k] = 0 }
    #expect(throws: LayerSimilarityError.zeroVector(layer: "l", sample: 3)) {
      _ = try MetricMeasureSpace(representation: Tensor(shape: [12, 5], scalars: withZero), layer: "l", metric: .cosine)
    }
  }

  @Test func validatesWeights() throws {
    let x = fixture.x.tensor(Double.self)
    var p = [Double](repeating: 1.0 / 12, count: 12)
    let uniform = try MetricMeasureSpace(representation: x, weights: Tensor(p))
    #expect(uniform.hasUniformWeights)
    p[0] = 0
    p[1] = 2.0 / 12
    let skewed = try MetricMeasureSpace(representation: x, weights: Tensor(p))
    #expect(!skewed.hasUniformWeights)
    let bad: [[Double]] = [
      [Double](repeating: 0.1, count: 12), [Double](repeating: 1.0 / 11, count: 11),
      [-0.1, 0.2] + [Double](repeating: 0.09, count: 10), [.nan] + [Double](repeating: 1.0 / 11, count: 11),
    ]
    for weights in bad {
      #expect(throws: LayerSimilarityError.self) { _ = try MetricMeasureSpace(representation: x, weights: Tensor(weights)) }
    }
  }

  @Test func acceptsAndValidatesDistanceMatrices() throws {
    let space = try MetricMeasureSpace(representation: fixture.x.tensor(Double.self), normalization: .none)
    let rebuilt = try MetricMeasureSpace(distances: space.distances, normalization: .max)
    #expect(rebuilt.distanceValues.max() == 1)
    #expect(rebuilt.metric == nil)
    var asymmetric = space.distanceValues
    asymmetric[1] += 0.5
    #expect(throws: LayerSimilarityError.self) {
      _ = try MetricMeasureSpace(distances: Tensor(shape: [12, 12], scalars: asymmetric))
    }
    var diagonal = space.distanceValues
    diagonal[0] = 1
    #expect(throws: LayerSimilarityError.self) {
      _ = try MetricMeasureSpace(distances: Tensor(shape: [12, 12], scalars: diagonal))
    }
    var nonFinite = space.distanceValues
    nonFinite[5 * 12 + 2] = .nan
    nonFinite[2 * 12 + 5] = .nan
    #expect(throws: LayerSimilarityError.nonFiniteValue(layer: "d", sample: 2, isNaN: true)) {
      _ = try MetricMeasureSpace(distances: Tensor(shape: [12, 12], scalars: nonFinite), layer: "d")
    }
  }
}
