import Tensors

/// A finite metric-measure space `(C, p)`: the geometry of one layer's representation of `n`
/// samples.
///
/// `C` is the `n x n` matrix of pairwise distances (symmetric, non-negative, zero diagonal) and
/// `p` the weights of the samples (non-negative, summing to 1; uniform `1/n` by default). Two
/// spaces are compared by Gromov-Wasserstein, which needs no common feature dimension.
///
/// ```swift
/// let a = try MetricMeasureSpace(representation: activations, layer: "blocks.0.out")
/// let b = try MetricMeasureSpace(representation: otherActivations, layer: "blocks.1.out")
/// let gw = try GromovWasserstein.conditionalGradient(a, b, options: .init(samplesAreShared: true))
/// ```
public struct MetricMeasureSpace: Sendable {
  /// The name of the layer, used in error messages.
  public let layer: String
  /// The number of samples `n`.
  public let count: Int
  /// The distance matrix `C`, `n x n` row-major, after normalization.
  public let distanceValues: [Double]
  /// The sample weights `p`.
  public let weightValues: [Double]
  /// The metric the distances were computed with (`nil` when `C` was given directly).
  public let metric: DistanceMetric?
  /// The normalization applied to the distances.
  public let normalization: DistanceNormalization
  /// The divisor the raw distances were divided by (1 for ``DistanceNormalization/none``).
  public let scale: Double
  /// True when every weight equals `1/n` (the default).
  public let hasUniformWeights: Bool

  /// The distance matrix `C` as an `[n, n]` tensor.
  public var distances: Tensor<Double> { Tensor(shape: [count, count], scalars: distanceValues) }
  /// The weights `p` as an `[n]` tensor.
  public var weights: Tensor<Double> { Tensor(weightValues) }

  /// Builds the space of a representation `[n, d]` (trailing axes are flattened, so a
  /// `[n, channels, height, width]` map works too).
  ///
  /// - Parameters:
  ///   - representation: one row per sample; every value must be finite.
  ///   - layer: the layer's name, used in error messages.
  ///   - metric: the distance between two samples' rows; euclidean by default.
  ///   - normalization: the rescaling of `C`; division by the mean distance by default.
  ///   - weights: the sample weights `p` (`n` non-negative finite values summing to 1 within
  ///     `1e-9`); uniform when `nil`.
  /// - Throws: ``LayerSimilarityError`` for NaN or infinite values (naming the sample), fewer
  ///   than two samples, a bad shape, bad weights, a zero vector under the cosine metric, or a
  ///   space whose distances are all zero under mean or max normalization (such a space has no
  ///   scale; use ``DistanceNormalization/none`` to compare it anyway).
  public init<Scalar: TensorScalar>(
    representation: Tensor<Scalar>, layer: String = "representation", metric: DistanceMetric = .euclidean,
    normalization: DistanceNormalization = .mean, weights: Tensor<Double>? = nil
  ) throws {
    let matrix = try RepresentationMatrix(representation, layer: layer)
    var c = try PairwiseDistances.compute(matrix, metric: metric, layer: layer)
    let scale = try PairwiseDistances.normalize(&c, by: normalization, layer: layer)
    let (p, uniform) = try SampleWeights.validated(weights, count: matrix.rows, layer: layer)
    self.init(
      layer: layer, count: matrix.rows, distances: c, weights: p, metric: metric, normalization: normalization,
      scale: scale, uniform: uniform)
  }

  /// Builds a space from a given distance matrix `C` (`[n, n]`: finite, non-negative, symmetric
  /// within `1e-12` relative, zero diagonal), which is then normalized.
  ///
  /// - Throws: ``LayerSimilarityError`` as for the representation initializer, or
  ///   ``LayerSimilarityError/invalidDistances(layer:reason:)``.
  public init(
    distances: Tensor<Double>, layer: String = "distances", normalization: DistanceNormalization = .mean,
    weights: Tensor<Double>? = nil
  ) throws {
    guard distances.rank == 2, distances.shape[0] == distances.shape[1] else {
      throw LayerSimilarityError.invalidDistances(layer: layer, reason: "shape \(distances.shape) is not square")
    }
    let n = distances.shape[0]
    guard n >= 2 else { throw LayerSimilarityError.tooFewSamples(layer: layer, count: n) }
    var c = distances.scalars
    let largest = c.lazy.filter { $0.isFinite }.map(Swift.abs).max() ?? 0
    for i in 0..<n {
      for k in 0..<n {
        let value = c[i * n + k]
        guard value.isFinite else { throw LayerSimilarityError.nonFiniteValue(layer: layer, sample: i, isNaN: value.isNaN) }
        guard value >= 0 else {
          throw LayerSimilarityError.invalidDistances(layer: layer, reason: "entry (\(i), \(k)) is negative")
        }
        guard Swift.abs(value - c[k * n + i]) <= 1e-12 * largest else {
          throw LayerSimilarityError.invalidDistances(layer: layer, reason: "entries (\(i), \(k)) and (\(k), \(i)) differ")
        }
      }
      guard c[i * n + i] == 0 else {
        throw LayerSimilarityError.invalidDistances(layer: layer, reason: "diagonal entry \(i) is not zero")
      }
    }
    for i in 0..<n {
      for k in (i + 1)..<n { c[k * n + i] = c[i * n + k] }
    }
    let scale = try PairwiseDistances.normalize(&c, by: normalization, layer: layer)
    let (p, uniform) = try SampleWeights.validated(weights, count: n, layer: layer)
    self.init(
      layer: layer, count: n, distances: c, weights: p, metric: nil, normalization: normalization, scale: scale,
      uniform: uniform)
  }

  private init(
    layer: String, count: Int, distances: [Double], weights: [Double], metric: DistanceMetric?,
    normalization: DistanceNormalization, scale: Double, uniform: Bool
  ) {
    self.layer = layer
    self.count = count
    self.distanceValues = distances
    self.weightValues = weights
    self.metric = metric
    self.normalization = normalization
    self.scale = scale
    self.hasUniformWeights = uniform
  }

  /// The same space with other sample weights `p`.
  public func reweighted(_ weights: Tensor<Double>) throws -> MetricMeasureSpace {
    let (p, uniform) = try SampleWeights.validated(weights, count: count, layer: layer)
    return MetricMeasureSpace(
      layer: layer, count: count, distances: distanceValues, weights: p, metric: metric, normalization: normalization,
      scale: scale, uniform: uniform)
  }
}
