import Autodiff
import Tensors
import Testing

@testable import Networks

/// Removing residual blocks: the smaller network computes exactly what the full one computes
/// with the removed blocks' contributions zeroed.
@Suite struct BlockRemovalTests {
  static let residualMLP = Architecture.mlp(MLPArchitecture(widths: [6, 5, 5, 5, 5, 3], residual: true))
  static let languageModel = Architecture.transformer(
    TransformerArchitecture(
      vocabularySize: 9, contextLength: 4, modelWidth: 8, heads: 2, mlpWidth: 12, blocks: 3, layerNorm: true,
      head: .languageModel))
  static let classifier = Architecture.transformer(
    TransformerArchitecture(
      vocabularySize: 7, contextLength: 3, modelWidth: 8, heads: 2, mlpWidth: 12, blocks: 3, layerNorm: false,
      head: .lastPosition, classes: 5))

  /// The output with the contributions of `blocks` zeroed by interventions.
  func zeroedOutput(_ network: Network<Double>, blocks: Set<Int>, input: Tensor<Double>) throws -> Tensor<Double> {
    var interventions: [String: Intervention<Double>] = [:]
    for block in network.architecture.residualBlocks where blocks.contains(block.index) {
      for site in block.contributionSites {
        let width = network.sites.first { $0.name == site }!.shape.last!
        interventions[site] = .zeroing(units: Array(0..<width))
      }
    }
    return try network.forward(Variable(input), options: ForwardOptions(interventions: interventions)).output.value
  }

  @Test func residualMLPBlocks() throws {
    let blocks = Self.residualMLP.residualBlocks
    #expect(blocks.map(\.index) == [1, 2, 3])
    #expect(blocks.map(\.outputSite) == ["layers.1.out", "layers.2.out", "layers.3.out"])
    #expect(blocks[1].parameterNames == ["layers.2.weight", "layers.2.bias"])
    let transformerBlocks = Self.languageModel.residualBlocks
    #expect(transformerBlocks.map(\.outputSite) == ["blocks.0.resid_post", "blocks.1.resid_post", "blocks.2.resid_post"])
    #expect(transformerBlocks[1].parameterNames.count == 16)
    #expect(transformerBlocks[1].parameterNames.allSatisfy { $0.hasPrefix("blocks.1.") })
  }

  @Test(arguments: [[2], [1, 3], [1, 2, 3], [3]])
  func removingMLPBlocksEqualsZeroingThem(removed: [Int]) throws {
    let network = try Network<Double>(architecture: Self.residualMLP, seed: 4)
    var generator = SeededGenerator(seed: 12)
    let x: Tensor<Double> = Tensor.normal(shape: [7, 6], mean: 0, standardDeviation: 1, using: &generator)
    let smaller = try network.removingBlocks(Set(removed))
    guard case .mlp(let a) = smaller.architecture else { Issue.record("not an MLP"); return }
    #expect(a.widths.count == 6 - removed.count)
    #expect(smaller.parameters.count == network.parameters.count - 2 * removed.count)
    let reference = try zeroedOutput(network, blocks: Set(removed), input: x)
    #expect(try smaller(x).scalars == reference.scalars)
    // The zeroed blocks really contributed something.
    #expect(try network(x).scalars != reference.scalars)
  }

  @Test func removingNothingReproducesTheNetwork() throws {
    for architecture in [Self.residualMLP, Self.languageModel, Self.classifier] {
      let network = try Network<Double>(architecture: architecture, seed: 2)
      let same = try network.removingBlocks([])
      #expect(same.architecture == network.architecture)
      #expect(same.parameters.keys.sorted() == network.parameters.keys.sorted())
      for (name, value) in network.parameters { #expect(same.parameters[name]!.scalars == value.scalars, "\(name)") }
    }
  }

  @Test func renamesLaterLayers() throws {
    let network = try Network<Double>(architecture: Self.residualMLP, seed: 4)
    let smaller = try network.removingBlocks([1, 2])
    #expect(smaller.parameters["layers.1.weight"]!.scalars == network.parameters["layers.3.weight"]!.scalars)
    #expect(smaller.parameters["layers.2.bias"]!.scalars == network.parameters["layers.4.bias"]!.scalars)
    #expect(smaller.parameters["layers.3.weight"] == nil)
  }

  @Test(arguments: [[1], [0, 2], [0, 1, 2]])
  func removingTransformerBlocksEqualsZeroingThem(removed: [Int]) throws {
    let network = try Network<Double>(architecture: Self.languageModel, seed: 6)
    let x: Tensor<Double> = Tensor(shape: [5, 4], scalars: (0..<20).map { Double(($0 * 7 + 3) % 9) })
    let smaller = try network.removingBlocks(Set(removed))
    let reference = try zeroedOutput(network, blocks: Set(removed), input: x)
    #expect(try smaller(x).scalars == reference.scalars)
    #expect(try network(x).scalars != reference.scalars)
  }

  /// With the last-position head, removing the final block makes the block before it run the
  /// last-position path (queries, MLP and residual at one position): the same function, with
  /// GEMMs of one row instead of T, so equal to rounding.
  @Test(arguments: [[1], [2], [0, 2]])
  func removingClassifierBlocks(removed: [Int]) throws {
    let network = try Network<Double>(architecture: Self.classifier, seed: 8)
    let x: Tensor<Double> = Tensor(shape: [6, 3], scalars: (0..<18).map { Double(($0 * 5 + 1) % 7) })
    let smaller = try network.removingBlocks(Set(removed))
    let reference = try zeroedOutput(network, blocks: Set(removed), input: x)
    let output = try smaller(x)
    if !removed.contains(2) {
      #expect(output.scalars == reference.scalars)
    } else {
      let error = zip(output.scalars, reference.scalars).map { Swift.abs($0 - $1) }.max()!
      #expect(error < 1e-12)
    }
    #expect(try network(x).scalars != reference.scalars)
  }

  @Test func rejectsBlocksThatAreNotResidual() throws {
    let network = try Network<Double>(architecture: Self.residualMLP, seed: 4)
    #expect(throws: NetworkError.self) { try network.removingBlocks([0]) }
    #expect(throws: NetworkError.self) { try network.removingBlocks([4]) }
    let cnn = try Network<Double>(architecture: Examples.cnn, seed: 1)
    #expect(cnn.architecture.residualBlocks.isEmpty)
    #expect(throws: NetworkError.self) { try cnn.removingBlocks([0]) }
    let plain = try Network<Double>(architecture: Examples.mlp, seed: 1)
    #expect(plain.architecture.residualBlocks.isEmpty)
  }

  @Test func parameterOwnership() throws {
    let mlp = try Network<Double>(architecture: Self.residualMLP, seed: 1)
    let owned = try mlp.parameterOwnership(of: ["layers.0.post", "layers.1.out", "layers.3.out", "logits"])
    #expect(
      owned == [
        ["layers.0.weight", "layers.0.bias"], ["layers.1.weight", "layers.1.bias"],
        ["layers.2.weight", "layers.2.bias", "layers.3.weight", "layers.3.bias"], ["layers.4.weight", "layers.4.bias"],
      ])
    // Parameters after the last listed site belong to none; order of the request is kept.
    #expect(
      try mlp.parameterOwnership(of: ["layers.1.out", "input"]) == [
        ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"], [],
      ])
    let lm = try Network<Double>(architecture: Self.languageModel, seed: 1)
    let blocks = try lm.parameterOwnership(of: ["embed", "blocks.0.resid_mid", "blocks.0.resid_post", "logits"])
    #expect(blocks[0] == ["embed.weight", "pos_embed.weight"])
    #expect(
      Set(blocks[1])
        == Set(
          ["blocks.0.ln1.weight", "blocks.0.ln1.bias"]
            + ["q", "k", "v", "o"].flatMap { ["blocks.0.attn.\($0).weight", "blocks.0.attn.\($0).bias"] }))
    #expect(
      Set(blocks[2])
        == Set([
          "blocks.0.ln2.weight", "blocks.0.ln2.bias", "blocks.0.mlp.in.weight", "blocks.0.mlp.in.bias", "blocks.0.mlp.out.weight",
          "blocks.0.mlp.out.bias",
        ]))
    #expect(blocks[3].count == 16 * 2 + 4)
    #expect(blocks[3].contains("unembed.weight") && blocks[3].contains("ln_final.bias"))
    #expect(throws: NetworkError.self) { try lm.parameterOwnership(of: ["embed", "nonsense"]) }
  }
}
