import Networks
import Tensors
import Testing

@testable import NeuronModules

@Suite struct InputGroupDependenceTests {
  /// MLP 4-3-2-2, inputs 0-1 in group 0 and 2-3 in group 1. Hidden unit 0 reads group 0,
  /// unit 1 group 1, unit 2 both (weight 3 on group 1); layer 2's unit 0 reads only hidden unit 0.
  func network() throws -> Network<Double> {
    var network = try Network<Double>(architecture: .mlp(MLPArchitecture(widths: [4, 3, 2, 2])), seed: 0)
    network.parameters["layers.0.weight"] = Tensor(rows: [[1, -1, 0, 0], [0, 0, 2, 0.5], [1, 0, 3, 0]])
    network.parameters["layers.0.bias"] = Tensor([0.1, -0.2, 0.3])
    network.parameters["layers.1.weight"] = Tensor(rows: [[1.5, 0, 0], [1, 1, 1]])
    return network
  }

  @Test func linearUnitsMatchTheDefinition() throws {
    let network = try network()
    var generator = SeededGenerator(seed: 8)
    let n = 50
    let inputs = Tensor<Double>(shape: [n, 4], scalars: (0..<(n * 4)).map { _ in generator.nextStandardNormal() })
    let units =
      (0..<3).map { NeuronNode(layer: 1, unit: $0, layerName: "layers.0") }
      + (0..<2).map { NeuronNode(layer: 2, unit: $0, layerName: "layers.1") }
    let dependence = try InputGroupDependence(
      network: network, units: units, inputs: inputs, inputGroups: [0, 0, 1, 1], seed: 3)
    // First-layer pre-activations are linear: S[u][g] = mean_i (w_g . (x_pi(i),g - x_i,g))^2.
    var permutationGenerator = SeededGenerator(seed: 3)
    let pi = permutationGenerator.permutation(n)
    let w = network.parameters["layers.0.weight"]!
    for u in 0..<3 {
      for (g, features) in [[0, 1], [2, 3]].enumerated() {
        var sum = 0.0
        for i in 0..<n {
          let change = features.reduce(0.0) { $0 + w[u, $1] * (inputs[pi[i], $1] - inputs[i, $1]) }
          sum += change * change
        }
        #expect(Swift.abs(dependence.sensitivities[u][g] - sum / Double(n)) < 1e-12, "unit \(u) group \(g)")
      }
    }
    #expect(Array(dependence.dominantGroups) == [0, 1, 1, 0, 1])
    #expect(dependence.dominantShares[0] == 1 && dependence.dominantShares[1] == 1)
    // Layer 2's unit 0 sees group 0 only, through a ReLU.
    #expect(dependence.sensitivities[3][1] == 0 && dependence.sensitivities[3][0] > 0)
    #expect(dependence.dominantShares[3] == 1)
    #expect(dependence.dominantShares[2] > 0.5 && dependence.dominantShares[2] < 1)
  }

  @Test func badArgumentsAreErrors() throws {
    let network = try network()
    let inputs = Tensor<Double>.zeros([5, 4])
    #expect(throws: NeuronModulesError.self) {
      try InputGroupDependence(
        network: network, units: [NeuronNode(layer: 0, unit: 0, layerName: "input")], inputs: inputs, inputGroups: [0, 0, 1, 1])
    }
    #expect(throws: NeuronModulesError.self) {
      try InputGroupDependence(
        network: network, units: [NeuronNode(layer: 1, unit: 0, layerName: "layers.0")], inputs: inputs, inputGroups: [0, 1])
    }
    // Constant inputs: nothing changes, no dominant group.
    let constant = try InputGroupDependence(
      network: network, units: [NeuronNode(layer: 1, unit: 0, layerName: "layers.0")], inputs: inputs, inputGroups: [0, 0, 1, 1])
    #expect(constant.dominantGroups == [-1] && constant.dominantShares == [0])
  }
}
