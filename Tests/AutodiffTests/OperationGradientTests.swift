import Autodiff
import Tensors
import Testing

/// Finite-difference checks (Double, relative tolerance 1e-6) of every differentiable op.
@Suite struct OperationGradientTests {
  let tolerance = 1e-6

  func check(_ shapes: [[Int]], offset: Double = 0, scale: Double = 1, _ f: @escaping ([Variable<Double>]) -> Variable<Double>)
    -> Double
  {
    var numbers = TestNumbers(seed: UInt64(shapes.count * 31 + shapes.first!.count))
    let inputs = shapes.map { numbers.tensor($0, scale: scale, offset: offset) }
    return gradientError(of: f, at: inputs)
  }

  @Test func broadcastingArithmetic() {
    #expect(check([[3, 4], [4]]) { $0[0] + $0[1] } < tolerance)
    #expect(check([[3, 1], [1, 4]]) { $0[0] - $0[1] } < tolerance)
    #expect(check([[2, 3, 4], [3, 1]]) { $0[0] * $0[1] } < tolerance)
    #expect(check([[3, 4], [4]], offset: 2) { $0[0] / $0[1] } < tolerance)
    #expect(check([[3, 4]]) { 2.5 * $0[0] - 1.0 } < tolerance)
    #expect(check([[3, 4]], offset: 2) { 1.0 / $0[0] } < tolerance)
    #expect(check([[3, 4]]) { -$0[0] } < tolerance)
  }

  @Test func valueUsedTwiceAccumulates() {
    #expect(check([[5]]) { $0[0] * $0[0] + $0[0].exp() * $0[0] } < tolerance)
    let x = Variable(Tensor<Double>([1, 2, 3]), requiresGradient: true)
    let g = (x * x + x).sum().gradient(withRespectTo: x)
    #expect(g.scalars == [3, 5, 7])
  }

  @Test func unaryFunctions() {
    #expect(check([[4, 3]]) { $0[0].exp() } < tolerance)
    #expect(check([[4, 3]], offset: 2) { $0[0].log() } < tolerance)
    #expect(check([[4, 3]], offset: 2) { $0[0].sqrt() } < tolerance)
    #expect(check([[4, 3]]) { $0[0].squared() } < tolerance)
    #expect(check([[4, 3]], offset: 2) { $0[0].pow(1.7) } < tolerance)
    #expect(check([[4, 3]]) { $0[0].tanh() } < tolerance)
    #expect(check([[4, 3]]) { $0[0].sigmoid() } < tolerance)
    #expect(check([[4, 3]], scale: 2) { $0[0].gelu() } < tolerance)
    #expect(check([[4, 3]]) { $0[0].sin() * $0[0].cos() } < tolerance)
  }

  @Test func kinkedFunctionsAwayFromKinks() {
    // Inputs at least 0.05 away from 0.
    let x = Tensor<Double>(shape: [2, 4], scalars: [0.3, -0.7, 1.2, -0.05, 0.9, -1.1, 0.45, 0.08])
    #expect(gradientError(of: { $0[0].relu() }, at: [x]) < tolerance)
    #expect(gradientError(of: { $0[0].abs() }, at: [x]) < tolerance)
    let y = Tensor<Double>(shape: [2, 4], scalars: [0.1, -0.2, 1.0, 0.5, 0.2, -0.9, 0.15, 0.3])
    #expect(gradientError(of: { $0[0].maximum($0[1]) }, at: [x, y]) < tolerance)
    #expect(gradientError(of: { $0[0].max(axis: 1) }, at: [x]) < tolerance)
    #expect(gradientError(of: { $0[0].max(axis: 0, keepingDimension: true) }, at: [x]) < tolerance)
  }

  @Test func reductions() {
    #expect(check([[3, 4, 2]]) { $0[0].sum() } < tolerance)
    #expect(check([[3, 4, 2]]) { $0[0].mean() } < tolerance)
    #expect(check([[3, 4, 2]]) { $0[0].sum(axis: 1) } < tolerance)
    #expect(check([[3, 4, 2]]) { $0[0].sum(axis: -1, keepingDimension: true) } < tolerance)
    #expect(check([[3, 4, 2]]) { $0[0].mean(axis: 0) } < tolerance)
    #expect(check([[3, 4, 2]]) { $0[0].variance(axis: 1) } < tolerance)
    #expect(check([[3, 4, 2]]) { $0[0].variance(axis: 2, correction: 1, keepingDimension: true) } < tolerance)
  }

  @Test func shapeOperations() {
    #expect(check([[3, 4]]) { $0[0].reshaped([2, 6]) } < tolerance)
    #expect(check([[2, 3, 4]]) { $0[0].transposed() } < tolerance)
    #expect(check([[2, 3, 4]]) { $0[0].permuted([2, 0, 1]) } < tolerance)
    #expect(check([[3, 4]]) { $0[0].expandingDimension(at: 1).broadcast(to: [3, 5, 4]) } < tolerance)
    #expect(check([[3, 1, 4]]) { $0[0].squeezingDimension(at: 1) } < tolerance)
    #expect(check([[3, 5, 2]]) { $0[0].slice(axis: 1, 1..<4) } < tolerance)
    #expect(check([[3, 2], [3, 4]]) { Variable.concatenate([$0[0], $0[1]], axis: 1) } < tolerance)
    #expect(check([[5, 3]]) { $0[0].gathering([4, 0, 4, 2]) } < tolerance)
    #expect(check([[2, 5, 3]]) { $0[0].gathering([1, 1, 3], axis: 1) } < tolerance)
  }

  @Test func matrixProducts() {
    #expect(check([[3, 4], [4, 5]]) { $0[0].matmul($0[1]) } < tolerance)
    #expect(check([[4, 3], [4, 5]]) { $0[0].matmul($0[1], transposeSelf: true) } < tolerance)
    #expect(check([[3, 4], [5, 4]]) { $0[0].matmul($0[1], transposeOther: true) } < tolerance)
    #expect(check([[4, 3], [5, 4]]) { $0[0].matmul($0[1], transposeSelf: true, transposeOther: true) } < tolerance)
    #expect(check([[2, 3, 4], [2, 4, 5]]) { $0[0].matmul($0[1]) } < tolerance)
    #expect(check([[2, 3, 4], [4, 5]]) { $0[0].matmul($0[1]) } < tolerance)
    #expect(check([[3, 4], [2, 4, 5]]) { $0[0].matmul($0[1]) } < tolerance)
    #expect(check([[2, 1, 3, 4], [3, 5, 4]]) { $0[0].matmul($0[1], transposeOther: true) } < tolerance)
  }

  @Test func normalizationAndSoftmax() {
    #expect(check([[3, 5]]) { $0[0].softmax() } < tolerance)
    #expect(check([[3, 5]]) { $0[0].softmax(axis: 0) } < tolerance)
    #expect(check([[3, 5]]) { $0[0].logSoftmax() } < tolerance)
    #expect(check([[2, 3, 6]]) { $0[0].layerNormalized() } < tolerance)
    #expect(check([[4, 3]]) { $0[0].crossEntropy(labels: [2, 0, 1, 1]) } < tolerance)
  }

  @Test func twoLayerNetworkParameters() {
    #expect(
      check([[5, 4], [4, 6], [6], [6, 3]]) { v in
        let hidden = (v[0].matmul(v[1]) + v[2]).tanh()
        return hidden.matmul(v[3]).crossEntropy(labels: [0, 1, 2, 1, 0])
      } < tolerance)
  }
}

@Suite struct GradientCheckSelfTest {
  /// The checker must reject a pullback that is wrong by a small factor.
  @Test func detectsAWrongPullback() {
    let x = Tensor<Double>(shape: [3], scalars: [0.2, -0.4, 0.9])
    let wrong: ([Variable<Double>]) -> Variable<Double> = { v in
      let value = v[0].value.tanh()
      return Variable.recording(value, from: [v[0]]) { g, _ in [g * (1 - value.squared()) * 1.001] }
    }
    #expect(gradientError(of: wrong, at: [x]) > 1e-4)
  }
}
