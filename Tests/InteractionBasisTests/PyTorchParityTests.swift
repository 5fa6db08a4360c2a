import Foundation
import Networks
import Tensors
import Testing

@testable import InteractionBasis

/// Parity with an independent reference: `scripts/make_lib_fixtures.py` computes Gram, D, M,
/// Lambda, Lambda_0, both bases and both edge matrices with PyTorch autograd in float64 (one
/// autograd call per output feature and position) on a tiny MLP and a tiny transformer.
@Suite struct PyTorchParityTests {
  struct Layer: Decodable {
    var mu: [Double]
    var D: [Double]
    var sizeAfterGram: Int
    var Lambda: [Double]
    var libSize: Int
    var constantLambda: Double
    var libProjector: [Double]
    var pcaProjector: [Double]
  }

  struct Case: Decodable {
    var inputs: [Double]
    var inputShape: [Int]
    var nodeLayers: [String]
    var logits: [Double]
    var layers: [Layer]
    var edges: [String: [[Double]]]
  }

  static func load(_ name: String) throws -> (Network<Float>, Case) {
    let fixtures = try #require(Bundle.module.url(forResource: "lib_fixtures", withExtension: "json", subdirectory: "Fixtures"))
    let cases = try JSONDecoder().decode([String: Case].self, from: Data(contentsOf: fixtures))
    let model = try #require(
      Bundle.module.url(forResource: "lib_\(name)", withExtension: "safetensors", subdirectory: "Fixtures"))
    return (try ModelFile.read(model).network, try #require(cases[name]))
  }

  static func relative(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "\(a.count) vs \(b.count)")
    let scale = Swift.max(b.map(Swift.abs).max() ?? 0, 1e-300)
    return zip(a, b).map { Swift.abs($0 - $1) }.max().map { $0 / scale } ?? 0
  }

  @Test(arguments: ["mlp", "transformer"]) func matchesPyTorch(_ name: String) throws {
    let (network, reference) = try Self.load(name)
    let inputs = Tensor<Float>(shape: reference.inputShape, scalars: reference.inputs.map(Float.init))
    let double = try network.converted(to: Double.self)
    let logits = try double(inputs.converted(to: Double.self))
    #expect(Self.relative(logits.scalars, reference.logits) < 1e-12, "forward pass")

    let options = InteractionBasisOptions(nodeLayers: reference.nodeLayers, batchSize: 16, cotangentChunk: 5, ablations: [])
    let run = try InteractionBasisAnalysis.run(network: network, inputs: inputs, evaluation: nil, options: options)
    for (l, expected) in reference.layers.enumerated() {
      let layer = run.result.layers[l]
      let site = layer.site
      #expect(Self.relative(run.bases[.lib]![l].mean.scalars, expected.mu) < 1e-12, "\(site) mu")
      #expect(layer.sizeAfterGram == expected.sizeAfterGram, "\(site) Gram rank")
      #expect(Self.relative(layer.gramEigenvalues, expected.D) < 1e-10, "\(site) D")
      #expect(layer.libSize == expected.libSize, "\(site) LIB size")
      let lambda = try #require(layer.lambda)
      #expect(
        Self.relative(Array(lambda.prefix(expected.libSize)), Array(expected.Lambda.prefix(expected.libSize))) < 1e-8,
        "\(site) Lambda")
      let constant = try #require(layer.constantLambda)
      #expect(Swift.abs(constant - expected.constantLambda) < 1e-8 * expected.constantLambda, "\(site) Lambda_0")
      // Bases up to sign and rotations within repeated eigenvalues: compare C C^T.
      for (kind, projector) in [(BasisKind.lib, expected.libProjector), (.pca, expected.pcaProjector)] {
        let c = run.bases[kind]![l].basis
        #expect(Self.relative(c.matmul(c, transposeOther: true).scalars, projector) < 1e-8, "\(site) \(kind) C C^T")
      }
    }
    for kind in [BasisKind.lib, .pca] {
      for (l, expected) in try #require(reference.edges[kind.rawValue]).enumerated() {
        let edges = run.edges[kind]![l].scalars
        #expect(Self.relative(edges, expected) < 1e-8, "\(kind) edges of section \(l)")
      }
    }
  }
}
