/// An invalid input to the layer-similarity analysis, naming the layer (and sample) at fault.
public enum LayerSimilarityError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A representation or distance matrix holds NaN or an infinity in the row of `sample`.
  case nonFiniteValue(layer: String, sample: Int, isNaN: Bool)
  /// A space needs at least two samples.
  case tooFewSamples(layer: String, count: Int)
  /// Two inputs that must describe the same samples have different sample counts.
  case sampleCountMismatch(first: String, firstCount: Int, second: String, secondCount: Int)
  /// A representation must have shape `[n, d, ...]` with `d > 0`.
  case invalidShape(layer: String, shape: [Int])
  /// The weights `p` are not a probability vector of the right length.
  case invalidWeights(layer: String, reason: String)
  /// A given distance matrix is not square, symmetric, non-negative with zero diagonal.
  case invalidDistances(layer: String, reason: String)
  /// All pairwise distances are zero, so normalization by their mean or maximum is undefined.
  case degenerateSpace(layer: String)
  /// Cosine distance is undefined for a sample whose representation is the zero vector.
  case zeroVector(layer: String, sample: Int)
  /// A solver option is out of range.
  case invalidOption(String)

  public var description: String {
    switch self {
    case .nonFiniteValue(let layer, let sample, let isNaN):
      return "layer '\(layer)' sample \(sample) has \(isNaN ? "NaN" : "an infinite value")"
    case .tooFewSamples(let layer, let count):
      return "layer '\(layer)' has \(count) sample\(count == 1 ? "" : "s"); at least 2 are needed"
    case .sampleCountMismatch(let first, let firstCount, let second, let secondCount):
      return "layer '\(first)' has \(firstCount) samples but layer '\(second)' has \(secondCount)"
    case .invalidShape(let layer, let shape):
      return "layer '\(layer)' has representation shape \(shape); expected [samples, features, ...]"
    case .invalidWeights(let layer, let reason):
      return "layer '\(layer)' has invalid sample weights: \(reason)"
    case .invalidDistances(let layer, let reason):
      return "layer '\(layer)' has an invalid distance matrix: \(reason)"
    case .degenerateSpace(let layer):
      return "layer '\(layer)' maps all samples to the same point; its distances cannot be normalized"
    case .zeroVector(let layer, let sample):
      return "layer '\(layer)' sample \(sample) is the zero vector; cosine distance is undefined"
    case .invalidOption(let message):
      return message
    }
  }
}
