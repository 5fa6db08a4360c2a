import Foundation
import Testing

@testable import Tensors

/// conv2d, max and average pooling against PyTorch (fixtures from scripts/make_conv_fixtures.py),
/// plus larger shapes against a direct nested-loop reference and adjoint (dot-product) checks.
@Suite struct ConvolutionTests {
  struct Fixture: Decodable {
    struct Values: Decodable {
      var shape: [Int]
      var data: [Double]
      var tensor: Tensor<Double> { Tensor(shape: shape, scalars: data) }
    }
    struct Case: Decodable {
      var name: String
      var op: String
      var size: [Int]?
      var stride: [Int]
      var padding: [Int]
      var input: Values
      var kernel: Values?
      var output: Values
      var indices: [Int]?
    }
    var generator: String
    var cases: [Case]
  }

  static func loadFixture() throws -> Fixture {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/conv_reference", withExtension: "json"))
    return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }

  static func pair(_ values: [Int]?) -> (Int, Int) {
    guard let values, values.count == 2 else { return (0, 0) }
    return (values[0], values[1])
  }

  /// The largest absolute difference, or infinity when the shapes differ.
  static func maxDifference<S: TensorScalar>(_ a: Tensor<S>, _ b: Tensor<S>) -> Double {
    guard a.shape == b.shape else { return .infinity }
    return zip(a.scalars, b.scalars).reduce(0) { Swift.max($0, Double(Swift.abs($1.0 - $1.1))) }
  }

  /// Deterministic values in [-1, 1) (a small LCG).
  static func numbers(_ shape: [Int], seed: UInt64) -> Tensor<Double> {
    var state = seed &* 6_364_136_223_846_793_005 &+ 1
    let values = (0..<shape.reduce(1, *)).map { _ -> Double in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return 2 * Double(state >> 11) / Double(1 << 53) - 1
    }
    return Tensor(shape: shape, scalars: values)
  }

  /// Direct nested-loop cross-correlation with zero padding.
  static func referenceConvolution(
    _ x: Tensor<Double>, _ k: Tensor<Double>, stride: (Int, Int), padding: (Int, Int)
  ) -> Tensor<Double> {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, kh, kw) = (k.shape[0], k.shape[2], k.shape[3])
    let ho = (h + 2 * padding.0 - kh) / stride.0 + 1
    let wo = (w + 2 * padding.1 - kw) / stride.1 + 1
    var y = [Double](repeating: 0, count: n * o * ho * wo)
    x.scalars.withUnsafeBufferPointer { xs in
      k.scalars.withUnsafeBufferPointer { ks in
        for b in 0..<n {
          for oc in 0..<o {
            for oh in 0..<ho {
              for ow in 0..<wo {
                var sum = 0.0
                for ic in 0..<c {
                  for i in 0..<kh {
                    let ih = oh * stride.0 - padding.0 + i
                    if ih < 0 || ih >= h { continue }
                    for j in 0..<kw {
                      let iw = ow * stride.1 - padding.1 + j
                      if iw < 0 || iw >= w { continue }
                      sum += xs[((b * c + ic) * h + ih) * w + iw] * ks[((oc * c + ic) * kh + i) * kw + j]
                    }
                  }
                }
                y[((b * o + oc) * ho + oh) * wo + ow] = sum
              }
            }
          }
        }
      }
    }
    return Tensor(shape: [n, o, ho, wo], scalars: y)
  }

  static func dot(_ a: Tensor<Double>, _ b: Tensor<Double>) -> Double {
    zip(a.scalars, b.scalars).reduce(0) { $0 + $1.0 * $1.1 }
  }

  @Test func fixtureCoversTheRequiredConfigurations() throws {
    let fixture = try Self.loadFixture()
    let convolutions = fixture.cases.filter { $0.op == "conv2d" }
    #expect(fixture.generator.hasPrefix("torch"))
    #expect(convolutions.contains { $0.stride == [1, 1] } && convolutions.contains { $0.stride == [2, 2] })
    #expect(convolutions.contains { $0.padding == [0, 0] } && convolutions.contains { $0.padding == [1, 1] })
    #expect(convolutions.contains { ($0.kernel?.shape[2] ?? 0) != ($0.kernel?.shape[3] ?? 0) })
    #expect(convolutions.contains { $0.input.shape[0] > 1 && $0.input.shape[1] > 1 && $0.output.shape[1] > 1 })
    #expect(fixture.cases.contains { $0.op == "maxPool2d" } && fixture.cases.contains { $0.op == "avgPool2d" })
  }

  @Test func forwardMatchesPyTorchInDouble() throws {
    for c in try Self.loadFixture().cases {
      let x = c.input.tensor
      let stride = Self.pair(c.stride)
      let padding = Self.pair(c.padding)
      switch c.op {
      case "conv2d":
        let kernel = try #require(c.kernel).tensor
        let y = x.conv2d(kernel, stride: stride, padding: padding)
        #expect(Self.maxDifference(y, c.output.tensor) < 1e-9, "\(c.name)")
      case "maxPool2d":
        let (y, indices) = x.maxPool2d(size: Self.pair(c.size), stride: stride, padding: padding)
        #expect(Self.maxDifference(y, c.output.tensor) < 1e-12, "\(c.name)")
        #expect(indices == c.indices, "\(c.name)")
      case "avgPool2d":
        let y = x.avgPool2d(size: Self.pair(c.size), stride: stride, padding: padding)
        #expect(Self.maxDifference(y, c.output.tensor) < 1e-9, "\(c.name)")
      default:
        Issue.record("unknown op \(c.op) in \(c.name)")
      }
    }
  }

  @Test func forwardMatchesPyTorchInFloat() throws {
    for c in try Self.loadFixture().cases {
      let x: Tensor<Float> = c.input.tensor.converted()
      let stride = Self.pair(c.stride)
      let padding = Self.pair(c.padding)
      let expected: Tensor<Float> = c.output.tensor.converted()
      switch c.op {
      case "conv2d":
        let kernel: Tensor<Float> = try #require(c.kernel).tensor.converted()
        #expect(Self.maxDifference(x.conv2d(kernel, stride: stride, padding: padding), expected) < 1e-4, "\(c.name)")
      case "maxPool2d":
        let (y, indices) = x.maxPool2d(size: Self.pair(c.size), stride: stride, padding: padding)
        #expect(Self.maxDifference(y, expected) == 0, "\(c.name)")
        #expect(indices == c.indices, "\(c.name)")
      case "avgPool2d":
        let y = x.avgPool2d(size: Self.pair(c.size), stride: stride, padding: padding)
        #expect(Self.maxDifference(y, expected) < 1e-6, "\(c.name)")
      default:
        Issue.record("unknown op \(c.op) in \(c.name)")
      }
    }
  }

  /// Batches split into groups of images (see `groupingCoversSingleAndMultipleImageGroups`):
  /// one image per GEMM, and several images per GEMM with shorter last groups.
  @Test(arguments: [
    ([3, 8, 24, 24], [2, 8, 3, 3], (1, 1), (1, 1)),
    ([11, 2, 26, 26], [3, 2, 3, 3], (1, 1), (1, 1)),
    ([9, 3, 40, 37], [3, 3, 4, 3], (2, 3), (1, 1)),
  ])
  func groupedBatchesMatchTheDirectReference(
    inputShape: [Int], kernelShape: [Int], stride: (Int, Int), padding: (Int, Int)
  ) {
    let x = Self.numbers(inputShape, seed: 1)
    let k = Self.numbers(kernelShape, seed: 2)
    let y = x.conv2d(k, stride: stride, padding: padding)
    #expect(Self.maxDifference(y, Self.referenceConvolution(x, k, stride: stride, padding: padding)) < 1e-12)

    // Adjoints: <conv(x, k), g> = <x, dX(g)> = <k, dK(g)>.
    let g = Self.numbers(y.shape, seed: 3)
    let dx = Tensor.conv2dInputGradient(g, kernel: k, inputShape: x.shape, stride: stride, padding: padding)
    let dk = Tensor.conv2dKernelGradient(g, input: x, kernelShape: k.shape, stride: stride, padding: padding)
    let reference = Self.dot(y, g)
    #expect(Swift.abs(Self.dot(x, dx) - reference) <= 1e-11 * Swift.abs(reference))
    #expect(Swift.abs(Self.dot(k, dk) - reference) <= 1e-11 * Swift.abs(reference))
  }

  @Test func groupingCoversSingleAndMultipleImageGroups() {
    func group(_ input: [Int], _ kernel: [Int], stride: (Int, Int) = (1, 1), elementSize: Int = 8) -> Int {
      SlidingWindowGeometry(convolutionInput: input, kernel: kernel, stride: stride, padding: (1, 1), operation: "test")
        .imagesPerGroup(elementSize: elementSize)
    }
    #expect(group([3, 8, 24, 24], [2, 8, 3, 3]) == 1)
    #expect(group([11, 2, 26, 26], [3, 2, 3, 3]) == 5)
    #expect(group([9, 3, 40, 37], [3, 3, 4, 3], stride: (2, 3)) == 7)
    // The benchmark shape runs one Float image per GEMM; small late-layer images are grouped.
    #expect(group([64, 16, 28, 28], [32, 16, 3, 3], elementSize: 4) == 1)
    #expect(group([64, 64, 7, 7], [64, 64, 3, 3], elementSize: 4) == 4)
  }

  @Test func adjointsMatchTheForwardOnFixtureConfigurations() throws {
    for c in try Self.loadFixture().cases where c.op == "conv2d" {
      let x = c.input.tensor
      let k = try #require(c.kernel).tensor
      let stride = Self.pair(c.stride)
      let padding = Self.pair(c.padding)
      let g = Self.numbers(c.output.shape, seed: 5)
      let reference = Self.dot(x.conv2d(k, stride: stride, padding: padding), g)
      let dx = Tensor.conv2dInputGradient(g, kernel: k, inputShape: x.shape, stride: stride, padding: padding)
      let dk = Tensor.conv2dKernelGradient(g, input: x, kernelShape: k.shape, stride: stride, padding: padding)
      #expect(dx.shape == x.shape && dk.shape == k.shape)
      #expect(Swift.abs(Self.dot(x, dx) - reference) <= 1e-12 * Swift.max(1, Swift.abs(reference)), "\(c.name)")
      #expect(Swift.abs(Self.dot(k, dk) - reference) <= 1e-12 * Swift.max(1, Swift.abs(reference)), "\(c.name)")
    }
  }

  @Test func poolingAdjointsMatchTheForward() throws {
    for c in try Self.loadFixture().cases where c.op != "conv2d" {
      let x = c.input.tensor
      let size = Self.pair(c.size)
      let stride = Self.pair(c.stride)
      let padding = Self.pair(c.padding)
      let g = Self.numbers(c.output.shape, seed: 6)
      if c.op == "maxPool2d" {
        let (y, indices) = x.maxPool2d(size: size, stride: stride, padding: padding)
        let dx = Tensor.maxPool2dInputGradient(g, indices: indices, inputShape: x.shape)
        // Max pooling is linear in x near a point without ties: <y, g> = <x, dx>.
        #expect(Swift.abs(Self.dot(y, g) - Self.dot(x, dx)) < 1e-12, "\(c.name)")
      } else {
        let y = x.avgPool2d(size: size, stride: stride, padding: padding)
        let dx = Tensor.avgPool2dInputGradient(g, inputShape: x.shape, size: size, stride: stride, padding: padding)
        #expect(Swift.abs(Self.dot(y, g) - Self.dot(x, dx)) < 1e-12, "\(c.name)")
      }
    }
  }

  @Test func scalarOverloadsAndDefaults() {
    let x = Self.numbers([2, 3, 7, 7], seed: 8)
    let k = Self.numbers([4, 3, 3, 3], seed: 9)
    #expect(x.conv2d(k) == x.conv2d(k, stride: (1, 1), padding: (0, 0)))
    #expect(x.conv2d(k, stride: 2, padding: 1) == x.conv2d(k, stride: (2, 2), padding: (1, 1)))
    #expect(x.conv2d(k, padding: 1).shape == [2, 4, 7, 7])
    #expect(x.maxPool2d(size: 2).values == x.maxPool2d(size: (2, 2), stride: (2, 2)).values)
    #expect(x.maxPool2d(size: 3, stride: 1, padding: 1).values.shape == [2, 3, 7, 7])
    #expect(x.avgPool2d(size: 2) == x.avgPool2d(size: (2, 2), stride: (2, 2)))
    #expect(x.avgPool2d(size: 2).shape == [2, 3, 3, 3])
  }

  @Test func paddingIsNegativeInfinityForMaxAndCountedZeroForAverage() {
    let x = Tensor<Double>(repeating: -2, shape: [1, 1, 2, 2])
    // Every 2x2 window with padding 1 covers one input element and three padding cells.
    let (maxima, indices) = x.maxPool2d(size: 2, stride: 1, padding: 1)
    #expect(maxima.shape == [1, 1, 3, 3])
    #expect(maxima.scalars.allSatisfy { $0 == -2 })
    #expect(indices[0] == 0 && indices[8] == 3)
    let averages = x.avgPool2d(size: 2, stride: 1, padding: 1)
    #expect(averages.scalars[0] == -0.5)  // count_include_pad: -2 / 4, not -2 / 1
    #expect(averages.scalars[4] == -2)
  }

  @Test func globalAveragePoolIsTheSpatialMean() {
    let x = Self.numbers([3, 4, 5, 6], seed: 10)
    let y = x.globalAveragePool()
    #expect(y.shape == [3, 4])
    let expected = x.avgPool2d(size: (5, 6)).reshaped([3, 4])
    #expect(Self.maxDifference(y, expected) < 1e-14)
  }

  @Test func emptyBatchesGiveEmptyResults() {
    let x = Tensor<Float>.zeros([0, 3, 5, 5])
    let k = Tensor<Float>.ones([2, 3, 3, 3])
    #expect(x.conv2d(k, padding: 1).shape == [0, 2, 5, 5])
    #expect(x.maxPool2d(size: 2).values.shape == [0, 3, 2, 2])
    #expect(
      Tensor.conv2dKernelGradient(
        .zeros([0, 2, 5, 5]), input: x, kernelShape: k.shape, stride: (1, 1), padding: (1, 1)) == .zeros(k.shape))
  }

  @Test func mismatchedChannelsStopWithAClearMessage() async {
    await #expect(processExitsWith: .failure) {
      let x = Tensor<Float>.zeros([1, 3, 5, 5])
      let k = Tensor<Float>.zeros([2, 4, 3, 3])
      _ = x.conv2d(k)
    }
  }
}
