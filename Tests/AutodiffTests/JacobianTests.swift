import Autodiff
import Tensors
import Testing

@Suite struct JacobianTests {
  /// A per-sample nonlinear map [B, 3] -> [B, 4].
  func layer(_ w: Tensor<Double>) -> (Variable<Double>) -> Variable<Double> {
    { x in x.matmul(Variable(w)).tanh() * x.sum(axis: 1, keepingDimension: true) }
  }

  @Test(arguments: [1, 3, 4, 64])
  func batchedJacobianMatchesFiniteDifferences(chunkSize: Int) {
    var numbers = TestNumbers(seed: 11)
    let w = numbers.tensor([3, 4])
    let x = numbers.tensor([5, 3])
    let f = layer(w)
    let j = batchedJacobian(of: f, at: x, chunkSize: chunkSize)
    #expect(j.shape == [5, 4, 3])
    let h = 1e-6
    var worst = 0.0
    for b in 0..<5 {
      for input in 0..<3 {
        var plus = x
        var minus = x
        plus[b, input] += h
        minus[b, input] -= h
        let yp = f(Variable(plus)).value
        let ym = f(Variable(minus)).value
        for output in 0..<4 {
          let numeric = (yp[b, output] - ym[b, output]) / (2 * h)
          worst = max(worst, abs(numeric - j[b, output, input]) / max(abs(numeric), 1e-3))
        }
      }
    }
    #expect(worst < 1e-6)
  }

  @Test func vjpWithArbitraryCotangentIsLinear() {
    var numbers = TestNumbers(seed: 3)
    let x = Variable(numbers.tensor([4, 3]), requiresGradient: true)
    let y = x.matmul(Variable(numbers.tensor([3, 2]))).sigmoid()
    let c1 = numbers.tensor([4, 2])
    let c2 = numbers.tensor([4, 2])
    let g1 = vectorJacobianProduct(of: y, cotangent: c1, withRespectTo: [x])[0]
    let g2 = vectorJacobianProduct(of: y, cotangent: c2, withRespectTo: [x])[0]
    let g12 = vectorJacobianProduct(of: y, cotangent: c1 * 2 + c2, withRespectTo: [x])[0]
    let residual = (g12 - g1 * 2 - g2).abs().max()
    #expect(residual < 1e-12)
  }

  @Test func unrelatedTargetGetsZeros() {
    let x = Variable(Tensor<Double>([1, 2]), requiresGradient: true)
    let unrelated = Variable(Tensor<Double>([5, 6, 7]), requiresGradient: true)
    let grads = (x * x).sum().gradients(withRespectTo: [x, unrelated])
    #expect(grads[0].scalars == [2, 4])
    #expect(grads[1].scalars == [0, 0, 0])
  }
}
