import Datasets
import Foundation
import Networks
import Tensors
import Testing

@testable import InteractionBasis

@Suite struct AblationAndErrorTests {
  /// The modular-addition checkpoint on 200 training inputs, ablations scored on the same inputs.
  static func modularAdditionRun(ablations: [AblationKind]) throws -> (InteractionBasisRun, AblationData) {
    let url = IdentityTests.repository.appendingPathComponent("checkpoints/modular-addition/model.safetensors")
    let (network, _) = try ModelFile.read(url)
    let data: TaskData<Float> = try ModularAdditionTask().load()
    let train = data.train.prefix(200)
    let evaluation = AblationData(train)
    let options = InteractionBasisOptions(batchSize: 100, ablations: ablations, fourierModulus: 113)
    return (
      try InteractionBasisAnalysis.run(network: network, inputs: train.inputs, evaluation: evaluation, options: options),
      evaluation
    )
  }

  @Test func ablationsBracketTheBaseline() throws {
    let (run, _) = try Self.modularAdditionRun(ablations: [.node])
    let result = run.result
    let baseline = try #require(result.baseline)
    #expect(baseline.accuracy == 1)
    #expect(result.nodeAblations.count == 6)
    for curve in result.nodeAblations {
      let all = try #require(curve.points.last)
      #expect(all.kept == curve.size)
      #expect(Swift.abs(all.accuracy - baseline.accuracy) < 1e-12, "\(curve.site) \(curve.basis): all kept")
      #expect(Swift.abs(all.loss - baseline.loss) < 1e-6 * Swift.max(1, baseline.loss))
      let none = try #require(curve.points.first)
      #expect(none.kept == 0 && none.accuracy < 0.1, "\(curve.site) \(curve.basis): nothing kept")
      let fewest = try #require(curve.fewestWithinTolerance)
      #expect(fewest > 0 && fewest <= curve.size)
      // The point at the fewest m passes and the one below fails (or was not needed).
      let passing = try #require(curve.points.first { $0.kept == fewest })
      #expect(passing.accuracy >= baseline.accuracy - 0.001)
      if let below = curve.points.first(where: { $0.kept == fewest - 1 }) { #expect(below.accuracy < baseline.accuracy - 0.001) }
    }
    // The leading LIB features of the trained model are nearly pure Fourier frequencies.
    let lib = result.fourier.filter { $0.basis == .lib && $0.site == "blocks.0.resid_post" }
    #expect(lib.count == 10)
    // (On 200 inputs: about 0.95, 0.81, 0.80; a random-frequency feature would hold ~2/56 of the power.)
    #expect(lib.prefix(3).allSatisfy { $0.share > 0.75 }, "\(lib.map(\.share))")
    #expect(lib.filter { $0.share > 0.4 }.count >= 7, "\(lib.map(\.share))")
  }

  /// Keeping every edge reproduces the network, keeping none does not, and edges required lies between.
  @Test func edgeAblationOfTheLastSection() throws {
    let (run, evaluation) = try Self.modularAdditionRun(ablations: [])
    let network = try ModelFile.read(
      IdentityTests.repository.appendingPathComponent("checkpoints/modular-addition/model.safetensors")
    ).network.converted(to: Double.self)
    let scorer = AblationScorer(network: network, data: evaluation, batchSize: 200)
    let baseline = try scorer.baseline()
    for kind in [BasisKind.lib, .pca] {
      let bases = run.bases[kind]!
      for l in 0..<3 {
        let section = FoldedSection(network: network, from: bases[l].layer, to: bases[l + 1].layer)
        let edges = run.edges[kind]![l]
        let order = EdgeAblation.order(edges)
        let all = try scorer.score(kept: edges.count) {
          try EdgeAblation.logits(
            $0, section: section, start: bases[l], end: bases[l + 1],
            mask: EdgeAblation.strongest(edges.count, of: edges, order: order))
        }
        #expect(Swift.abs(all.loss - baseline.loss) < 1e-3 * Swift.max(1, baseline.loss), "\(kind) section \(l) all edges")
        #expect(all.accuracy >= baseline.accuracy - 0.005)
        let none = try scorer.score(kept: 0) {
          try EdgeAblation.logits(
            $0, section: section, start: bases[l], end: bases[l + 1], mask: EdgeAblation.strongest(0, of: edges, order: order))
        }
        #expect(none.accuracy < 0.1, "\(kind) section \(l) no edges")
      }
    }
    let last = try EdgeAblation.run(
      section: FoldedSection(network: network, from: run.bases[.lib]![2].layer, to: run.bases[.lib]![3].layer),
      start: run.bases[.lib]![2], end: run.bases[.lib]![3], edges: run.edges[.lib]![2], scorer: scorer,
      baseline: baseline.accuracy, tolerance: 0.001)
    let required = try #require(last.edgesRequired)
    #expect(required > 0 && required < last.edges)
    let summary = run.result.edges.first { $0.basis == .lib && $0.end == "logits" }!
    #expect(summary.edgesFor99Percent > 0 && summary.edgesFor99Percent <= summary.shape[0] * summary.shape[1])
    #expect(summary.strongest.count == 200)
    #expect(summary.strongest[0].strength >= summary.strongest[199].strength)
  }

  @Test func badInputsAreNamed() throws {
    let (network, inputs) = try IdentityTests.randomMLP(widths: [4, 5, 3], activation: .relu, samples: 10, seed: 1)
    func failure(_ options: InteractionBasisOptions, inputs x: Tensor<Float>? = nil, evaluation: AblationData? = nil) -> String {
      do {
        _ = try InteractionBasisAnalysis.run(network: network, inputs: x ?? inputs, evaluation: evaluation, options: options)
        return "no error"
      } catch {
        return "\(error)"
      }
    }
    #expect(failure(.init(nodeLayers: ["layers.0.post", "nope"], ablations: [])).contains("unknown node layer \"nope\""))
    #expect(failure(.init(nodeLayers: ["logits", "layers.0.post"], ablations: [])).contains("forward order"))
    #expect(failure(.init(nodeLayers: ["logits"], ablations: [])).contains("at least two node layers"))
    #expect(failure(.init(threshold: 0, ablations: [])).contains("threshold must be a positive number"))
    #expect(failure(.init(threshold: -.infinity, ablations: [])).contains("threshold must be a positive number"))
    #expect(failure(.init(ablations: [.node])).contains("ablations need labelled data"))
    var nan = inputs.scalars
    nan[3] = .nan
    #expect(failure(.init(ablations: []), inputs: Tensor(shape: inputs.shape, scalars: nan)).contains("NaN"))
    #expect(failure(.init(ablations: []), inputs: Tensor<Float>.zeros([3, 7])).contains("per-sample shape [7]"))

    let transformer = try Network<Float>(
      architecture: .transformer(
        TransformerArchitecture(vocabularySize: 6, contextLength: 3, modelWidth: 8, heads: 2, mlpWidth: 8, blocks: 1)),
      seed: 0)
    do {
      _ = try InteractionBasisAnalysis.run(
        network: transformer, inputs: Tensor<Float>.zeros([2, 3]), evaluation: nil,
        options: .init(nodeLayers: ["blocks.0.attn.pattern", "logits"], ablations: []))
      Issue.record("a side site was accepted")
    } catch {
      #expect("\(error)".contains("side site"))
    }
  }

  /// The interaction basis of a network with a huge weight overflows: a clear error, not a crash.
  @Test func nonFiniteJacobiansAreReported() throws {
    let (random, inputs) = try IdentityTests.randomMLP(widths: [4, 5, 3], activation: .tanh, samples: 10, seed: 1)
    var network = random
    var w = network.parameters["layers.1.weight"]!.scalars
    w[0] = .infinity
    network.parameters["layers.1.weight"] = Tensor(shape: network.parameters["layers.1.weight"]!.shape, scalars: w)
    #expect(throws: InteractionBasisError.self) {
      _ = try InteractionBasisAnalysis.run(network: network, inputs: inputs, evaluation: nil, options: .init(ablations: []))
    }
  }
}
