import Foundation
import Testing

@testable import Tensors

/// Forward ops against numpy (fixtures from scripts/make_tensor_fixtures.py).
@Suite struct TensorOperationTests {
  struct Fixture: Decodable {
    struct Array: Decodable {
      var shape: [Int]
      var data: [Double]
      var tensor: Tensor<Double> { Tensor(shape: shape, scalars: data) }
    }
    struct Case: Decodable {
      var name: String
      var op: String
      var params: [String: Parameter]
      var inputs: [Array]
      var output: Array
    }
    enum Parameter: Decodable {
      case int(Int)
      case ints([Int])
      init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(Int.self) { self = .int(v) } else { self = .ints(try c.decode([Int].self)) }
      }
      var int: Int { if case .int(let v) = self { v } else { 0 } }
      var ints: [Int] { if case .ints(let v) = self { v } else { [] } }
    }
    var cases: [Case]
  }

  static let fixture: Fixture = {
    let url = Bundle.module.url(forResource: "Fixtures/tensor_ops", withExtension: "json")!
    return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }()

  static func evaluate(_ c: Fixture.Case) -> Tensor<Double> {
    let x = c.inputs.map(\.tensor)
    let axis = c.params["axis"]?.int ?? -1
    switch c.op {
    case "add": return x[0] + x[1]
    case "subtract": return x[0] - x[1]
    case "multiply": return x[0] * x[1]
    case "divide": return x[0] / x[1]
    case "maximum": return x[0].maximum(x[1])
    case "greater": return x[0].greater(x[1])
    case "sum": return x[0].sum(axis: axis)
    case "mean": return x[0].mean(axis: axis)
    case "max": return x[0].max(axis: axis)
    case "variance": return x[0].variance(axis: axis, correction: c.params["correction"]?.int ?? 0)
    case "argmax":
      let shape = x[0].shape.enumerated().filter { $0.offset != axis }.map(\.element)
      return Tensor(shape: shape, scalars: x[0].argmax(axis: axis).map(Double.init))
    case "permute": return x[0].permuted(c.params["permutation"]!.ints)
    case "transpose": return x[0].transposed()
    case "slice": return x[0].slice(axis: axis, c.params["start"]!.int..<c.params["end"]!.int)
    case "concatenate": return Tensor.concatenate(x, axis: axis)
    case "gather": return x[0].gathering(c.params["indices"]!.ints, axis: axis)
    case "matmul": return x[0].matmul(x[1])
    case "matmulTT": return x[0].matmul(x[1], transposeSelf: true, transposeOther: true)
    case "softmax": return x[0].softmax(axis: axis)
    case "logSoftmax": return x[0].logSoftmax(axis: axis)
    case "layerNorm": return x[0].layerNormalized()
    case "gelu": return x[0].gelu()
    case "tanh": return x[0].tanh()
    case "sigmoid": return x[0].sigmoid()
    case "relu": return x[0].relu()
    default: fatalError("unknown op \(c.op) in fixture")
    }
  }

  @Test(arguments: fixture.cases.map(\.name))
  func matchesNumPy(caseName: String) throws {
    let c = try #require(Self.fixture.cases.first { $0.name == caseName })
    let result = Self.evaluate(c)
    #expect(result.shape == c.output.shape)
    let worst = zip(result.scalars, c.output.data).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
    #expect(worst < 1e-12, "\(caseName): max relative error \(worst)")
  }

  @Test(arguments: fixture.cases.map(\.name))
  func floatAgreesWithDouble(caseName: String) throws {
    let c = try #require(Self.fixture.cases.first { $0.name == caseName })
    guard c.op != "argmax" && c.op != "greater" else { return }
    let double = Self.evaluate(c)
    let x = c.inputs.map { $0.tensor.converted(to: Float.self) }
    // Re-run the elementwise/broadcast paths in Float on the same inputs.
    let float: Tensor<Float>?
    switch c.op {
    case "add": float = x[0] + x[1]
    case "multiply": float = x[0] * x[1]
    case "matmul": float = x[0].matmul(x[1])
    case "softmax": float = x[0].softmax(axis: c.params["axis"]?.int ?? -1)
    case "gelu": float = x[0].gelu()
    case "layerNorm": float = x[0].layerNormalized()
    default: float = nil
    }
    if let float {
      let worst = zip(float.scalars, double.scalars).map { abs(Double($0) - $1) / max(1, abs($1)) }.max() ?? 0
      #expect(worst < 1e-5)
    }
  }

  @Test func broadcastingRejectsIncompatibleShapes() {
    #expect(BroadcastPlan.broadcastShape([2, 3], [4, 3]) == nil)
    #expect(BroadcastPlan.broadcastShape([2, 1, 3], [4, 1]) == [2, 4, 3])
    #expect(BroadcastPlan.broadcastShape([], [5]) == [5])
  }

  @Test func conversionAndMasks() {
    let t = Tensor<Double>(shape: [2, 2], scalars: [1.5, -2, 0, 4])
    #expect(t.converted(to: Float.self).scalars == [1.5, -2, 0, 4])
    #expect(t.greaterOrEqual(Tensor(0)).scalars == [1, 0, 1, 1])
    #expect(t.less(Tensor(0)).scalars == [0, 1, 0, 0])
    #expect(t.equal(Tensor(0)).scalars == [0, 0, 1, 0])
    #expect(t.replacing(with: Tensor(9), where: t.less(Tensor(0))).scalars == [1.5, 9, 0, 4])
    #expect(t.summed(toShape: [1, 2]).scalars == [1.5, 2])
    #expect(t.reshaped([-1]).shape == [4])
    #expect(Tensor<Double>.oneHot([1, 0], classes: 3).scalars == [0, 1, 0, 1, 0, 0])
  }
}
