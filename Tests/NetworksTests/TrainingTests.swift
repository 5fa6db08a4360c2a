import Autodiff
import Tensors
import Testing

@testable import Networks

@Suite struct TrainingTests {
  /// Two Gaussian blobs per class in 4-D, 3 classes.
  static func blobs(count: Int, seed: UInt64) -> LabeledData<Float> {
    var g = SeededGenerator(seed: seed)
    let centers: [[Float]] = [[2, 0, 0, 1], [-2, 1, 0, 0], [0, -2, 2, 0]]
    var values: [Float] = []
    var labels: [Int] = []
    for i in 0..<count {
      let label = i % 3
      labels.append(label)
      for d in 0..<4 { values.append(centers[label][d] + Float(g.nextStandardNormal()) * 0.7) }
    }
    return LabeledData(inputs: Tensor(shape: [count, 4], scalars: values), labels: labels, classes: 3)
  }

  @Test(arguments: [
    OptimizerConfiguration.sgd(learningRate: 0.1, momentum: 0.9), .adam(learningRate: 0.01),
    .adamW(learningRate: 0.01, weightDecay: 0.01),
  ])
  func learnsSeparableBlobs(optimizer: OptimizerConfiguration) throws {
    var network = try Network<Float>(architecture: .mlp(MLPArchitecture(widths: [4, 16, 3])), seed: 1)
    let train = Self.blobs(count: 300, seed: 1)
    let test = Self.blobs(count: 300, seed: 2)
    let before = try network.evaluate(test).accuracy
    let records = try network.train(
      on: train, test: test, configuration: TrainingConfiguration(optimizer: optimizer, epochs: 30, batchSize: 32, seed: 3))
    #expect(before < 0.8)
    #expect(records.last!.testAccuracy! >= 0.95)
    #expect(records.last!.loss < records.first!.loss)
  }

  @Test func sameSeedGivesIdenticalParameters() throws {
    func run() throws -> Network<Float> {
      var network = try Network<Float>(architecture: .mlp(MLPArchitecture(widths: [4, 8, 3])), seed: 5)
      try network.train(
        on: Self.blobs(count: 90, seed: 1),
        configuration: TrainingConfiguration(optimizer: .adam(learningRate: 0.01), epochs: 3, batchSize: 16, seed: 9))
      return network
    }
    #expect(try run().parameters == (try run()).parameters)
  }

  @Test func l1PenaltyShrinksWeights() throws {
    func weightL1(l1: Double) throws -> Float {
      var network = try Network<Float>(architecture: .mlp(MLPArchitecture(widths: [4, 16, 3])), seed: 1)
      try network.train(
        on: Self.blobs(count: 150, seed: 1),
        configuration: TrainingConfiguration(optimizer: .adam(learningRate: 0.01), epochs: 20, batchSize: 50, l1Penalty: l1))
      return network.parameters["layers.0.weight"]!.abs().sum().scalar
    }
    #expect(try weightL1(l1: 1e-2) < 0.7 * (try weightL1(l1: 0)))
  }

  @Test func perClassAccuracy() {
    let logits = Tensor<Float>(rows: [[2, 0], [0, 1], [3, 0], [0, 5]])
    let m = EvaluationMetrics(logits: logits, labels: [0, 0, 0, 1], classes: 2)
    #expect(m.accuracy == 0.75)
    #expect(m.perClassAccuracy == [2.0 / 3.0, 1])
  }

  @Test func rejectsBadConfigurations() throws {
    var network = try Network<Float>(architecture: .mlp(MLPArchitecture(widths: [4, 3])), seed: 1)
    let data = Self.blobs(count: 9, seed: 1)
    #expect(throws: TrainingError.self) {
      try network.train(on: data, configuration: TrainingConfiguration(optimizer: .sgd(learningRate: 0.1), epochs: 0))
    }
    var mislabelled = data
    mislabelled.labels[0] = 7
    #expect(throws: TrainingError.self) {
      try network.train(on: mislabelled, configuration: TrainingConfiguration(optimizer: .sgd(learningRate: 0.1), epochs: 1))
    }
    var corrupt = data
    corrupt.inputs[flat: 5] = .nan
    #expect(throws: TrainingError.self) {
      try network.train(on: corrupt, configuration: TrainingConfiguration(optimizer: .sgd(learningRate: 0.1), epochs: 1))
    }
  }
}
