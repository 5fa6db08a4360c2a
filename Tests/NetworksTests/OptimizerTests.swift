import Foundation
import Tensors
import Testing

@testable import Networks

/// SGD with momentum, Adam and AdamW against torch.optim (scripts/make_optimizer_fixtures.py).
@Suite struct OptimizerTests {
  struct Fixture: Decodable {
    var A: [Double]
    var c: [Double]
    var p0: [Double]
    var trajectories: [String: [[Double]]]
  }

  static let fixture: Fixture = {
    let url = Bundle.module.url(forResource: "Fixtures/optimizers", withExtension: "json")!
    return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }()

  @Test(arguments: ["sgd", "adam", "adamw"])
  func matchesTorchOptim(name: String) {
    let f = Self.fixture
    let configuration: OptimizerConfiguration =
      switch name {
      case "sgd": .sgd(learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
      case "adam": .adam(learningRate: 0.05, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: 0.01)
      default: .adamW(learningRate: 0.05, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: 1.0)
      }
    var optimizer = Optimizer<Double>(configuration)
    let a = Tensor<Double>(shape: [4, 4], scalars: f.A)
    var parameters = ["p": Tensor<Double>(shape: [4, 1], scalars: f.p0)]
    for expected in f.trajectories[name]! {
      let gradient = a.matmul(parameters["p"]!) + Tensor(shape: [4, 1], scalars: f.c)
      optimizer.step(&parameters, gradients: ["p": gradient])
      let worst = zip(parameters["p"]!.scalars, expected).map { abs($0 - $1) }.max()!
      #expect(worst < 1e-12)
    }
  }
}
