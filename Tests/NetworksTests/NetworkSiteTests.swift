import Autodiff
import Tensors
import Testing

@testable import Networks

/// Small instances of every built-in architecture, with inputs.
enum Examples {
  static let mlp = Architecture.mlp(MLPArchitecture(widths: [6, 5, 5, 4, 3]))
  static let residualMLP = Architecture.mlp(MLPArchitecture(widths: [6, 5, 5, 5, 3], activation: .gelu, residual: true))
  static let cnn = Architecture.cnn(
    CNNArchitecture(
      inputShape: [2, 6, 6],
      convolutions: [
        .init(channels: 3, kernelSize: 3, padding: 1, batchNorm: true, pooling: .init(kind: .max, size: 2)),
        .init(channels: 4, kernelSize: 2, stride: 1, padding: 0, pooling: .init(kind: .average, size: 2)),
      ],
      denseWidths: [5, 3], activation: .gelu))
  static let transformer = Architecture.transformer(
    TransformerArchitecture(
      vocabularySize: 7, contextLength: 3, modelWidth: 8, heads: 2, mlpWidth: 12, blocks: 2, layerNorm: true,
      head: .lastPosition, classes: 5))
  static let languageModel = Architecture.transformer(
    TransformerArchitecture(
      vocabularySize: 9, contextLength: 4, modelWidth: 8, heads: 2, mlpWidth: 8, blocks: 1, head: .languageModel))

  static let all: [(String, Architecture)] = [
    ("mlp", mlp), ("residual mlp", residualMLP), ("cnn", cnn), ("transformer", transformer), ("language model", languageModel),
  ]

  static func input<S: TensorScalar>(for architecture: Architecture, batch: Int, seed: UInt64) -> Tensor<S> {
    var g = SeededGenerator(seed: seed)
    if case .transformer(let t) = architecture {
      return Tensor(
        shape: [batch, t.contextLength],
        scalars: (0..<(batch * t.contextLength)).map { _ in S(g.nextInt(below: t.vocabularySize)) })
    }
    return Tensor.normal(shape: [batch] + architecture.inputShape, mean: 0, standardDeviation: 1, using: &g)
  }
}

@Suite struct NetworkSiteTests {
  @Test(arguments: Examples.all.map(\.0))
  func sectionsReproduceTheFullForwardPass(name: String) throws {
    let architecture = Examples.all.first { $0.0 == name }!.1
    let network = try Network<Double>(architecture: architecture, seed: 3)
    let x = Examples.input(for: architecture, batch: 4, seed: 9) as Tensor<Double>
    let allSites = Set(network.sites.map(\.name))
    let full = try network.forward(Variable(x), options: ForwardOptions(capture: allSites))
    #expect(full.captured.count == allSites.count)
    for site in network.sites {
      #expect(Array(full.captured[site.name]!.shape.dropFirst()) == site.shape, "\(site.name) shape")
    }
    #expect(full.captured["logits"]!.value == full.output.value)
    let main = network.sites.filter(\.isOnMainPath).map(\.name)
    // From every main-path site to the end, and between consecutive pairs of main sites.
    for (i, start) in main.enumerated() {
      let rest = try network.forward(full.captured[start]!, options: ForwardOptions(startSite: start))
      #expect(rest.output.value == full.output.value, "section from \(start)")
      for end in main[(i + 1)...] {
        let part = try network.forward(full.captured[start]!, options: ForwardOptions(startSite: start, stopSite: end))
        #expect(part.output.value == full.captured[end]!.value, "section \(start) -> \(end)")
      }
    }
  }

  @Test func zeroingUnitsEqualsZeroingTheirWeights() throws {
    let network = try Network<Double>(architecture: Examples.mlp, seed: 1)
    let x = Examples.input(for: Examples.mlp, batch: 7, seed: 2) as Tensor<Double>
    let units = [0, 3]
    let lesioned = try network.forward(
      Variable(x), options: ForwardOptions(interventions: ["layers.1.post": .zeroing(units: units)]))
    var edited = network
    for u in units {
      for j in 0..<5 { edited.parameters["layers.1.weight"]![u, j] = 0 }
      edited.parameters["layers.1.bias"]![u] = 0
    }
    #expect(lesioned.output.value == (try edited(x)))
    #expect(lesioned.output.value != (try network(x)))
  }

  @Test func zeroingTransformerMLPNeuronsEqualsZeroingWeights() throws {
    let network = try Network<Double>(architecture: Examples.transformer, seed: 4)
    let x = Examples.input(for: Examples.transformer, batch: 6, seed: 5) as Tensor<Double>
    let units = [2, 7, 11]
    let lesioned = try network.forward(
      Variable(x), options: ForwardOptions(interventions: ["blocks.1.mlp.post": .zeroing(units: units)]))
    var edited = network
    for u in units {
      for j in 0..<8 { edited.parameters["blocks.1.mlp.in.weight"]![u, j] = 0 }
      edited.parameters["blocks.1.mlp.in.bias"]![u] = 0
    }
    #expect(lesioned.output.value == (try edited(x)))
  }

  @Test func zeroingChannelsEqualsZeroingKernels() throws {
    let architecture = Architecture.cnn(
      CNNArchitecture(inputShape: [2, 5, 5], convolutions: [.init(channels: 4, kernelSize: 3, padding: 1)], denseWidths: [3]))
    let network = try Network<Double>(architecture: architecture, seed: 8)
    let x = Examples.input(for: architecture, batch: 3, seed: 1) as Tensor<Double>
    let lesioned = try network.forward(
      Variable(x), options: ForwardOptions(interventions: ["conv.0.post": .zeroing(units: [1, 2])]))
    var edited = network
    for c in [1, 2] {
      for i in 0..<18 { edited.parameters["conv.0.weight"]![flat: c * 18 + i] = 0 }
      edited.parameters["conv.0.bias"]![c] = 0
    }
    #expect(lesioned.output.value == (try edited(x)))
  }

  @Test func badRequestsThrowClearErrors() throws {
    let network = try Network<Float>(architecture: Examples.mlp, seed: 1)
    let x = Variable(Tensor<Float>.zeros([2, 6]))
    #expect(throws: NetworkError.self) { try network.forward(x, options: ForwardOptions(capture: ["nope"])) }
    #expect(throws: NetworkError.self) { try network.forward(Variable(Tensor<Float>.zeros([2, 5]))) }
    let residual = try Network<Float>(architecture: Examples.residualMLP, seed: 1)
    #expect(throws: NetworkError.notOnMainPath("layers.1.pre")) {
      try residual.forward(Variable(Tensor<Float>.zeros([2, 5])), options: ForwardOptions(startSite: "layers.1.pre"))
    }
    #expect(throws: NetworkError.self) {
      try Network<Float>(
        architecture: .transformer(.init(vocabularySize: 5, contextLength: 3, modelWidth: 10, heads: 3, mlpWidth: 4, blocks: 1)),
        seed: 1)
    }
  }
}
