import Autodiff
import Tensors
import Testing

@testable import Networks

/// Gradients and Jacobians through networks and interventions, against finite differences.
@Suite struct NetworkGradientTests {
  /// Norm-wise relative error of the parameter gradient of the loss for every parameter.
  func parameterGradientError(_ architecture: Architecture, training: Bool) throws -> Double {
    let network = try Network<Double>(architecture: architecture, seed: 2)
    let x = Examples.input(for: architecture, batch: 3, seed: 4) as Tensor<Double>
    let classes: Int = try network(x).shape.last!
    let labels = (0..<3).map { $0 % classes }
    func loss(_ parameters: [String: Variable<Double>]) throws -> Variable<Double> {
      let logits = try network.forward(Variable(x), parameters: parameters, options: ForwardOptions(training: training)).output
      return logits.reshaped([-1, classes]).crossEntropy(
        labels: logits.rank == 3 ? (0..<(3 * logits.shape[1])).map { $0 % classes } : labels)
    }
    let variables = network.parameterVariables()
    let names = network.trainableParameterNames
    let grads = try loss(variables).gradients(withRespectTo: names.map { variables[$0]! })
    var worst = 0.0
    let h = 1e-6
    for (name, g) in zip(names, grads) {
      var diff = 0.0
      var norm = 0.0
      // A handful of entries per parameter keeps the test fast.
      for i in stride(from: 0, to: g.count, by: max(1, g.count / 6)) {
        var plus = variables
        var minus = variables
        var tp = variables[name]!.value
        var tm = tp
        tp[flat: i] += h
        tm[flat: i] -= h
        plus[name] = Variable(tp)
        minus[name] = Variable(tm)
        let numeric = (try loss(plus).value.scalar - (try loss(minus).value.scalar)) / (2 * h)
        diff += (numeric - g[flat: i]) * (numeric - g[flat: i])
        norm += numeric * numeric
      }
      worst = max(worst, diff.squareRoot() / max(norm.squareRoot(), 1e-9))
    }
    return worst
  }

  @Test(arguments: ["mlp", "residual mlp", "transformer", "language model"])
  func parameterGradientsMatchFiniteDifferences(name: String) throws {
    let architecture = Examples.all.first { $0.0 == name }!.1
    #expect(try parameterGradientError(architecture, training: false) < 1e-6)
  }

  @Test func batchNormTrainingGradientsMatchFiniteDifferences() throws {
    // Batch statistics couple the samples; the loss is still a smooth function of the parameters.
    #expect(try parameterGradientError(Examples.cnn, training: true) < 1e-5)
  }

  @Test func jacobianBetweenSitesThroughAnIntervention() throws {
    let network = try Network<Double>(architecture: Examples.residualMLP, seed: 6)
    let x = Examples.input(for: Examples.residualMLP, batch: 2, seed: 3) as Tensor<Double>
    let start = "layers.1.out"
    let h = try network.forward(Variable(x), options: ForwardOptions(capture: [start])).captured[start]!.value
    var basis = Tensor<Double>.zeros([5, 3])
    for i in 0..<3 { basis[i, i] = 1 }
    let f = try network.section(from: start, to: "logits", interventions: ["layers.2.out": .projecting(onto: basis)])
    let j = batchedJacobian(of: f, at: h, chunkSize: 2)
    #expect(j.shape == [2, 3, 5])
    let step = 1e-6
    var worst = 0.0
    for b in 0..<2 {
      for i in 0..<5 {
        var plus = h
        var minus = h
        plus[b, i] += step
        minus[b, i] -= step
        let yp = f(Variable(plus)).value
        let ym = f(Variable(minus)).value
        for o in 0..<3 {
          worst = max(worst, abs((yp[b, o] - ym[b, o]) / (2 * step) - j[b, o, i]))
        }
      }
    }
    #expect(worst < 1e-7)
  }
}
