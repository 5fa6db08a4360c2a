import Autodiff
import Tensors
import Testing

/// Deterministic values in [-scale, scale) from a small LCG.
private func convolutionTestTensor(_ shape: [Int], seed: UInt64, scale: Double = 1) -> Tensor<Double> {
  var state = seed &* 6_364_136_223_846_793_005 &+ 1
  let values = (0..<shape.reduce(1, *)).map { _ -> Double in
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return scale * (2 * Double(state >> 11) / Double(1 << 53) - 1)
  }
  return Tensor(shape: shape, scalars: values)
}

/// A tensor of distinct values at least `gap` apart (a shuffled ramp), so that max pooling has
/// no ties and stays differentiable under perturbations much smaller than `gap`.
private func distinctTestTensor(_ shape: [Int], seed: UInt64, gap: Double = 0.01) -> Tensor<Double> {
  let count = shape.reduce(1, *)
  var values = (0..<count).map { gap * Double($0 - count / 2) }
  var state = seed
  for i in stride(from: count - 1, to: 0, by: -1) {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    values.swapAt(i, Int((state >> 33) % UInt64(i + 1)))
  }
  return Tensor(shape: shape, scalars: values)
}

private func norm(_ t: Tensor<Double>) -> Double { t.scalars.reduce(0) { $0 + $1 * $1 }.squareRoot() }

/// The norm-wise relative error of the reverse-mode VJP of `f` against central finite
/// differences, for each input, with a random cotangent `c`: entry `e` of the reference is
/// `(<c, f(x + h e)> - <c, f(x - h e)>) / 2h`.
private func vjpRelativeErrors(
  of f: ([Variable<Double>]) -> Variable<Double>, at inputs: [Tensor<Double>], step: Double = 1e-6, seed: UInt64 = 11
) -> [Double] {
  let variables = inputs.map { Variable($0, requiresGradient: true) }
  let output = f(variables)
  let cotangent = convolutionTestTensor(output.shape, seed: seed)
  let analytic = vectorJacobianProduct(of: output, cotangent: cotangent, withRespectTo: variables)

  func projected(_ values: [Tensor<Double>]) -> Double {
    let y = f(values.map { Variable($0) }).value
    return zip(y.scalars, cotangent.scalars).reduce(0) { $0 + $1.0 * $1.1 }
  }

  return inputs.indices.map { which in
    var numeric = [Double](repeating: 0, count: inputs[which].count)
    for e in 0..<inputs[which].count {
      var plus = inputs
      var minus = inputs
      plus[which][flat: e] += step
      minus[which][flat: e] -= step
      numeric[e] = (projected(plus) - projected(minus)) / (2 * step)
    }
    let reference = Tensor(shape: inputs[which].shape, scalars: numeric)
    return norm(analytic[which] - reference) / Swift.max(norm(reference), .leastNormalMagnitude)
  }
}

@Suite struct ConvolutionGradientTests {
  static let tolerance = 1e-6

  @Test(arguments: [
    // input, kernel, stride, padding
    ([2, 3, 6, 5], [4, 3, 3, 3], (1, 1), (1, 1)),
    ([2, 2, 7, 6], [3, 2, 3, 3], (2, 2), (1, 1)),
    ([3, 2, 6, 7], [2, 2, 2, 3], (2, 1), (1, 0)),
    ([1, 3, 5, 6], [2, 3, 3, 1], (1, 2), (0, 1)),
  ])
  func conv2dInputAndKernel(inputShape: [Int], kernelShape: [Int], stride: (Int, Int), padding: (Int, Int)) {
    let x = convolutionTestTensor(inputShape, seed: 1)
    let k = convolutionTestTensor(kernelShape, seed: 2, scale: 0.5)
    let errors = vjpRelativeErrors(of: { $0[0].conv2d($0[1], stride: stride, padding: padding) }, at: [x, k])
    #expect(errors[0] <= Self.tolerance, "input: \(errors[0])")
    #expect(errors[1] <= Self.tolerance, "kernel: \(errors[1])")
  }

  @Test(arguments: [
    // input, size, stride, padding
    ([2, 3, 6, 6], (2, 2), (2, 2), (0, 0)),
    ([2, 2, 7, 6], (3, 3), (2, 2), (1, 1)),
    ([1, 2, 5, 7], (2, 3), (1, 2), (1, 1)),
  ])
  func maxPool2dInput(inputShape: [Int], size: (Int, Int), stride: (Int, Int), padding: (Int, Int)) {
    let x = distinctTestTensor(inputShape, seed: 3)
    let errors = vjpRelativeErrors(of: { $0[0].maxPool2d(size: size, stride: stride, padding: padding) }, at: [x])
    #expect(errors[0] <= Self.tolerance, "\(errors[0])")
  }

  @Test(arguments: [
    ([2, 3, 6, 6], (2, 2), (2, 2), (0, 0)),
    ([2, 2, 7, 6], (3, 3), (2, 2), (1, 1)),
    ([1, 2, 5, 7], (2, 3), (1, 2), (1, 1)),
  ])
  func avgPool2dInput(inputShape: [Int], size: (Int, Int), stride: (Int, Int), padding: (Int, Int)) {
    let x = convolutionTestTensor(inputShape, seed: 4)
    let errors = vjpRelativeErrors(of: { $0[0].avgPool2d(size: size, stride: stride, padding: padding) }, at: [x])
    #expect(errors[0] <= Self.tolerance, "\(errors[0])")
  }

  @Test func globalAveragePoolInput() {
    let x = convolutionTestTensor([2, 3, 4, 5], seed: 5)
    let errors = vjpRelativeErrors(of: { $0[0].globalAveragePool() }, at: [x])
    #expect(errors[0] <= Self.tolerance, "\(errors[0])")
  }

  /// A small chain of convolutions and pooling, so the pullbacks compose.
  @Test func composedConvolutionAndPooling() {
    let x = convolutionTestTensor([2, 2, 8, 8], seed: 6)
    let k1 = convolutionTestTensor([3, 2, 3, 3], seed: 7, scale: 0.5)
    let k2 = convolutionTestTensor([2, 3, 2, 2], seed: 8, scale: 0.5)
    let errors = vjpRelativeErrors(
      of: { v in
        v[0].conv2d(v[1], padding: 1).avgPool2d(size: 2).conv2d(v[2], stride: 2).globalAveragePool()
      }, at: [x, k1, k2])
    for (i, error) in errors.enumerated() { #expect(error <= Self.tolerance, "input \(i): \(error)") }
  }

  /// With a constant kernel only the input cotangent is computed, and it is the same.
  @Test func constantOperandsGetNoCotangent() {
    let x = convolutionTestTensor([2, 3, 6, 5], seed: 9)
    let k = convolutionTestTensor([4, 3, 3, 3], seed: 10)
    let g = convolutionTestTensor([2, 4, 3, 3], seed: 12)
    let input = Variable(x, requiresGradient: true)
    let kernel = Variable(k, requiresGradient: true)
    let both = vectorJacobianProduct(
      of: input.conv2d(kernel, stride: 2, padding: 1), cotangent: g, withRespectTo: [input, kernel])
    let inputOnly = vectorJacobianProduct(
      of: input.conv2d(Variable(k), stride: 2, padding: 1), cotangent: g, withRespectTo: [input])
    let kernelOnly = vectorJacobianProduct(
      of: Variable(x).conv2d(kernel, stride: 2, padding: 1), cotangent: g, withRespectTo: [kernel])
    #expect(inputOnly[0] == both[0])
    #expect(kernelOnly[0] == both[1])
    #expect(!Variable(x).conv2d(Variable(k)).requiresGradient)
    #expect(!Variable(x).maxPool2d(size: 2).requiresGradient)
  }
}
