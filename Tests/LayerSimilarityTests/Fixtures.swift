import Foundation
import Tensors

@testable import LayerSimilarity

/// Reference values from numpy, scipy and POT, written by scripts/make_gw_fixtures.py.
struct GWFixtures: Decodable {
  struct Matrix: Decodable {
    var shape: [Int]
    var data: [Double]

    func tensor<S: TensorScalar>(_: S.Type = S.self) -> Tensor<S> { Tensor<S>(shape: shape, scalars: data.map { S($0) }) }
  }

  struct Entropic: Decodable {
    var epsilon: Double
    var value: Double
    var converged: Bool
    var marginalError: Double
    var outerIterations: Int
  }

  struct GWCase: Decodable {
    var name: String
    var x: Matrix
    var y: Matrix
    var p: [Double]?
    var q: [Double]?
    var productStartValue: Double
    var productStartIterations: Int
    var identityValue: Double?
    var entropic: [Entropic]

    /// The two metric-measure spaces (euclidean, mean-normalized) with the case's weights.
    func spaces() throws -> (MetricMeasureSpace, MetricMeasureSpace) {
      let a = try MetricMeasureSpace(representation: x.tensor(Double.self), layer: "\(name).x", weights: p.map { Tensor($0) })
      let b = try MetricMeasureSpace(representation: y.tensor(Double.self), layer: "\(name).y", weights: q.map { Tensor($0) })
      return (a, b)
    }
  }

  struct AssignmentCase: Decodable {
    var costs: Matrix
    var rows: [Int]
    var columns: [Int]
    var cost: Double
  }

  struct TransportCase: Decodable {
    var costs: Matrix
    var p: [Double]
    var q: [Double]
    var cost: Double
  }

  struct BaselineCase: Decodable {
    var x: Matrix
    var y: Matrix
    var linearCKA: Double
    var rbfCKA: Double
    var rbfCKAThreshold05: Double
    var procrustes: Double
    var rsmDifference: Double
    var rsmDifferenceCosineMax: Double
  }

  struct DistanceCase: Decodable {
    var x: Matrix
    var euclidean: [Double]
    var squaredEuclidean: [Double]
    var cosine: [Double]
  }

  var potVersion: String
  var gw: [GWCase]
  var assignment: [AssignmentCase]
  var transport: [TransportCase]
  var baselines: [BaselineCase]
  var distances: DistanceCase

  static let shared: GWFixtures = {
    let url = Bundle.module.url(forResource: "gw_fixtures", withExtension: "json", subdirectory: "Fixtures")!
    return try! JSONDecoder().decode(GWFixtures.self, from: Data(contentsOf: url))
  }()
}

/// `|a - b| / |b|`.
func relativeError(_ a: Double, _ b: Double) -> Double { Swift.abs(a - b) / Swift.abs(b) }
