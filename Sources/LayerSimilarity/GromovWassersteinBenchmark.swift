import Foundation
import Tensors

/// Times the layer-similarity kernels on synthetic layer pairs.
public enum GromovWassersteinBenchmark {
  /// Timings (seconds, wall clock) and values of one benchmark run.
  public struct Report: Sendable, CustomStringConvertible {
    /// The number of samples `n`.
    public let sampleCount: Int
    /// Building both metric-measure spaces (distances by GEMM, normalization).
    public let spacesSeconds: Double
    /// Conditional gradient from the product start only (POT's default).
    public let productStart: GromovWassersteinResult
    public let productStartSeconds: Double
    /// Conditional gradient from the identity, product and three random starts.
    public let allStarts: GromovWassersteinResult
    public let allStartsSeconds: Double
    /// Linear CKA on the same representations.
    public let linearCKA: Double
    public let linearCKASeconds: Double

    public var description: String {
      func line(_ name: String, _ result: GromovWassersteinResult, _ seconds: Double) -> String {
        let perIteration = seconds / Double(Swift.max(1, result.starts.map(\.iterations).reduce(0, +)))
        return "\(name): GW \(result.value) (start \(result.winningStart), \(result.starts.map(\.iterations)) iterations) "
          + "in \(format(seconds)) s, \(format(perIteration * 1000)) ms/iteration"
      }
      return """
        n = \(sampleCount), BLAS threads \(BLASThreads.count)
        spaces: \(format(spacesSeconds)) s
        \(line("product start", productStart, productStartSeconds))
        \(line("all starts", allStarts, allStartsSeconds))
        linear CKA: \(linearCKA) in \(format(linearCKASeconds)) s
        """
    }

    private func format(_ value: Double) -> String { String(format: "%.3f", value) }
  }

  /// Benchmarks a pair of related synthetic layers `x ~ N(0, I)` (`[n, d1]`) and
  /// `y = tanh(x W) + 0.1 noise` (`[n, d2]`), or the given representations.
  public static func run(
    sampleCount: Int = 1000, dimensions: (Int, Int) = (64, 32), seed: UInt64 = 0,
    representations: (Tensor<Double>, Tensor<Double>)? = nil
  ) throws -> Report {
    let (x, y) = representations ?? synthetic(sampleCount: sampleCount, dimensions: dimensions, seed: seed)
    let clock = ContinuousClock()
    var a: MetricMeasureSpace?
    var b: MetricMeasureSpace?
    let spacesTime = try clock.measure {
      a = try MetricMeasureSpace(representation: x, layer: "x")
      b = try MetricMeasureSpace(representation: y, layer: "y")
    }
    var product: GromovWassersteinResult?
    let productTime = try clock.measure {
      product = try GromovWasserstein.conditionalGradient(a!, b!, options: .productStartOnly)
    }
    var all: GromovWassersteinResult?
    let allTime = try clock.measure {
      all = try GromovWasserstein.conditionalGradient(a!, b!, options: ConditionalGradientOptions(samplesAreShared: true))
    }
    var cka = 0.0
    let ckaTime = try clock.measure { cka = try RepresentationSimilarity.linearCKA(x, y) }
    return Report(
      sampleCount: x.shape[0], spacesSeconds: spacesTime.inSeconds, productStart: product!,
      productStartSeconds: productTime.inSeconds, allStarts: all!, allStartsSeconds: allTime.inSeconds, linearCKA: cka,
      linearCKASeconds: ckaTime.inSeconds)
  }

  static func synthetic(sampleCount n: Int, dimensions: (Int, Int), seed: UInt64) -> (Tensor<Double>, Tensor<Double>) {
    var generator = SeededGenerator(seed: seed)
    let (d1, d2) = dimensions
    let x = Tensor<Double>(shape: [n, d1], scalars: (0..<(n * d1)).map { _ in generator.nextStandardNormal() })
    let w = Tensor<Double>(
      shape: [d1, d2], scalars: (0..<(d1 * d2)).map { _ in generator.nextStandardNormal() / Double(d1).squareRoot() })
    let xw = x.matmul(w)
    let y = Tensor<Double>(
      shape: [n, d2], scalars: xw.scalars.map { Foundation.tanh($0) + 0.1 * generator.nextStandardNormal() })
    return (x, y)
  }
}

extension GromovWassersteinBenchmark {
  /// A synthetic chain of `count` layers on the same `sampleCount` samples: layer 0 is
  /// `N(0, I)` in `64` dimensions and layer `l` is `tanh(h_{l-1} W_l) + 0.1 noise` with widths
  /// cycling through 64, 48, 32 and 96, so neighbouring layers are related and far ones less so.
  public static func layerChain(count: Int = 12, sampleCount n: Int = 1000, seed: UInt64 = 0) throws -> LayerRepresentations {
    var generator = SeededGenerator(seed: seed)
    let widths = [64, 48, 32, 96]
    var current = Tensor<Double>(
      shape: [n, widths[0]], scalars: (0..<(n * widths[0])).map { _ in generator.nextStandardNormal() })
    var tensors: [(name: String, tensor: Tensor<Float>)] = [
      ("layer0", Tensor<Float>(shape: [n, widths[0]], scalars: current.scalars.map(Float.init)))
    ]
    for l in 1..<Swift.max(1, count) {
      let inWidth = current.shape[1]
      let outWidth = widths[l % widths.count]
      let w = Tensor<Double>(
        shape: [inWidth, outWidth],
        scalars: (0..<(inWidth * outWidth)).map { _ in generator.nextStandardNormal() * 1.5 / Double(inWidth).squareRoot() })
      let product = current.matmul(w)
      current = Tensor(
        shape: [n, outWidth], scalars: product.scalars.map { Foundation.tanh($0) + 0.1 * generator.nextStandardNormal() })
      tensors.append(("layer\(l)", Tensor<Float>(shape: [n, outWidth], scalars: current.scalars.map(Float.init))))
    }
    return try LayerRepresentations(tensors)
  }
}
