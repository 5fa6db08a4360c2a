import Foundation
import TensorIO
import Tensors

/// The representations of `n` samples at several layers, in layer order: one `[n, d]` `Float`
/// matrix per layer after the reductions below, validated so that every layer describes the same
/// `n >= 2` samples with finite values.
///
/// Reductions of a layer's per-sample activation (the tensor's shape after the sample axis):
/// - rank 1 `[d]` (dense layers): kept;
/// - rank 2 `[T, d]` (sequences, e.g. a transformer's residual stream): ``SequenceReduction``;
/// - rank 3 `[C, H, W]` (convolution maps): ``ConvolutionReduction``;
/// - higher ranks: flattened.
public struct LayerRepresentations: Sendable {
  /// How a convolution map `[C, H, W]` becomes one vector per sample.
  public enum ConvolutionReduction: String, Sendable, CaseIterable, Codable {
    /// All `C H W` values (keeps the spatial layout; the default).
    case flatten
    /// The `C` channel means over space (global average pooling).
    case mean
  }

  /// How a sequence `[T, d]` becomes one vector per sample.
  public enum SequenceReduction: String, Sendable, CaseIterable, Codable {
    /// The last position (what a causal model predicts from; the default).
    case last
    /// The first position (a CLS token).
    case first
    /// The mean over the `T` positions.
    case mean
  }

  /// One layer's representation.
  public struct Layer: Sendable {
    /// The layer's name (a site name, or the array name in an activations file).
    public let name: String
    /// The per-sample shape before reduction.
    public let originalShape: [Int]
    /// The reduced `[n, d]` representation.
    public let values: Tensor<Float>
    /// The number of features `d` after reduction.
    public var width: Int { values.shape[1] }
  }

  /// The layers in order.
  public let layers: [Layer]
  /// The number of samples `n` shared by every layer.
  public let sampleCount: Int

  /// The layer names in order.
  public var names: [String] { layers.map(\.name) }

  /// Validates and reduces `[n, ...]` tensors given in layer order.
  ///
  /// - Throws: ``LayerSimilarityError`` when there are no layers, two layers share a name, a
  ///   tensor has no sample axis or an empty feature axis, fewer than two samples, a sample count
  ///   differing from the first layer's, or a NaN or infinity (naming the layer and the sample).
  public init(
    _ tensors: [(name: String, tensor: Tensor<Float>)], convolution: ConvolutionReduction = .flatten,
    sequence: SequenceReduction = .last
  ) throws {
    guard let first = tensors.first else { throw LayerSimilarityError.invalidOption("no layers to compare") }
    var seen = Set<String>()
    var layers: [Layer] = []
    for (name, tensor) in tensors {
      guard seen.insert(name).inserted else { throw LayerSimilarityError.invalidOption("layer '\(name)' appears twice") }
      guard tensor.rank >= 2, tensor.shape.dropFirst().allSatisfy({ $0 > 0 }) else {
        if tensor.rank >= 1 && tensor.shape[0] < 2 {
          throw LayerSimilarityError.tooFewSamples(layer: name, count: tensor.shape[0])
        }
        throw LayerSimilarityError.invalidShape(layer: name, shape: tensor.shape)
      }
      let n = tensor.shape[0]
      guard n >= 2 else { throw LayerSimilarityError.tooFewSamples(layer: name, count: n) }
      guard n == first.tensor.shape[0] else {
        throw LayerSimilarityError.sampleCountMismatch(
          first: first.name, firstCount: first.tensor.shape[0], second: name, secondCount: n)
      }
      let scalars = tensor.scalars
      let perSample = tensor.count / n
      for i in 0..<n {
        for k in (i * perSample)..<((i + 1) * perSample) where !scalars[k].isFinite {
          throw LayerSimilarityError.nonFiniteValue(layer: name, sample: i, isNaN: scalars[k].isNaN)
        }
      }
      let reduced = Self.reduce(tensor, convolution: convolution, sequence: sequence)
      layers.append(Layer(name: name, originalShape: Array(tensor.shape.dropFirst()), values: reduced))
    }
    self.layers = layers
    self.sampleCount = first.tensor.shape[0]
  }

  /// Reduces `[n, ...]` to `[n, d]` as described in the type's documentation.
  public static func reduce(
    _ tensor: Tensor<Float>, convolution: ConvolutionReduction, sequence: SequenceReduction
  ) -> Tensor<Float> {
    let n = tensor.shape[0]
    let scalars = tensor.scalars
    switch tensor.rank {
    case 3:
      let (t, d) = (tensor.shape[1], tensor.shape[2])
      var out = [Float](repeating: 0, count: n * d)
      for i in 0..<n {
        let base = i * t * d
        switch sequence {
        case .last, .first:
          let position = sequence == .last ? t - 1 : 0
          for k in 0..<d { out[i * d + k] = scalars[base + position * d + k] }
        case .mean:
          for p in 0..<t {
            for k in 0..<d { out[i * d + k] += scalars[base + p * d + k] }
          }
          for k in 0..<d { out[i * d + k] /= Float(t) }
        }
      }
      return Tensor(shape: [n, d], scalars: out)
    case 4 where convolution == .mean:
      let c = tensor.shape[1]
      let area = tensor.shape[2] * tensor.shape[3]
      var out = [Float](repeating: 0, count: n * c)
      for i in 0..<n {
        for ch in 0..<c {
          let base = (i * c + ch) * area
          var sum: Float = 0
          for s in 0..<area { sum += scalars[base + s] }
          out[i * c + ch] = sum / Float(area)
        }
      }
      return Tensor(shape: [n, c], scalars: out)
    default:
      return Tensor(shape: [n, tensor.count / n], scalars: scalars)
    }
  }

  /// Reads one array per layer from a `.safetensors` or `.npz` file, in the order the file lists
  /// them (the first axis of every array must be the same `n` samples).
  ///
  /// - Throws: ``LayerSimilarityError/invalidOption(_:)`` for another extension or a file
  ///   without arrays; the reader's error (naming the file) for a malformed file.
  public static func arrays(from url: URL) throws -> [(name: String, tensor: Tensor<Float>)] {
    switch url.pathExtension.lowercased() {
    case "safetensors":
      let file = try SafetensorsFile.read(url)
      return try nonEmpty(file.names.map { ($0, try file.array(named: $0).tensor(as: Float.self)) }, url)
    case "npz":
      let archive = try NumPyArchive.read(url)
      return try nonEmpty(archive.names.map { ($0, try archive.array(named: $0).tensor(as: Float.self)) }, url)
    default:
      throw LayerSimilarityError.invalidOption(
        "\(url.path): activations must be a .safetensors or .npz file, one array per layer")
    }
  }

  private static func nonEmpty(
    _ arrays: [(String, Tensor<Float>)], _ url: URL
  ) throws -> [(name: String, tensor: Tensor<Float>)] {
    guard !arrays.isEmpty else { throw LayerSimilarityError.invalidOption("\(url.path) holds no arrays") }
    return arrays.map { (name: $0.0, tensor: $0.1) }
  }

  /// Loads and validates the layers of an activations file (see ``arrays(from:)``).
  public init(
    contentsOf url: URL, convolution: ConvolutionReduction = .flatten, sequence: SequenceReduction = .last
  ) throws {
    try self.init(Self.arrays(from: url), convolution: convolution, sequence: sequence)
  }
}
