import Autodiff
import Datasets
import Foundation
import Networks
import Tensors
import Testing

@testable import InteractionBasis

/// The identities the LIB is built to satisfy, checked against Jacobians computed
/// independently (``batchedJacobian(of:at:chunkSize:)`` and central finite differences).
@Suite struct IdentityTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The committed modular-addition transformer and its first `count` training inputs.
  static func modularAddition(count: Int) throws -> (Network<Float>, Tensor<Float>) {
    let url = repository.appendingPathComponent("checkpoints/modular-addition/model.safetensors")
    let (network, _) = try ModelFile.read(url)
    let data: TaskData<Float> = try ModularAdditionTask().load()
    return (network, data.train.prefix(count).inputs)
  }

  static func randomMLP(widths: [Int], activation: Activation, samples: Int, seed: UInt64) throws
    -> (Network<Float>, Tensor<Float>)
  {
    let network = try Network<Float>(architecture: .mlp(MLPArchitecture(widths: widths, activation: activation)), seed: seed)
    var generator = SeededGenerator(seed: seed + 1)
    let inputs = Tensor<Float>.normal(shape: [samples, widths[0]], mean: 0, standardDeviation: 1, using: &generator)
    return (network, inputs)
  }

  /// Activations `[N * P, n]` of `layer` in float64.
  static func activations(_ network: Network<Double>, _ inputs: Tensor<Double>, _ layer: NodeLayer) throws -> Tensor<Double> {
    let result = try network.forward(Variable(inputs), options: ForwardOptions(capture: [layer.site]))
    return result.captured[layer.site]!.value.reshaped([-1, layer.width])
  }

  /// `f^(l+1)` as a function of `f^l` (one sample's features `[P k]` flattened) through the section.
  static func featureMap(_ run: InteractionBasisRun, network: Network<Double>, section l: Int)
    -> @Sendable (Variable<Double>) -> Variable<Double>
  {
    let bases = run.bases[.lib]!
    let (start, end) = (bases[l], bases[l + 1])
    let section = FoldedSection(network: network, from: start.layer, to: end.layer)
    let (p, k) = (start.layer.positions, start.size)
    return { features in
      let batch = features.shape[0]
      let f = features.reshaped([-1, k]).matmul(Variable(start.inverse)) + start.mean
      let y = (try? section(f.reshaped([batch, p, start.layer.width]))) ?? f
      let out = (y.reshaped([-1, end.layer.width]) - end.mean).matmul(Variable(end.basis))
      return out.reshaped([batch, -1])
    }
  }

  /// `(1/N) sum_x J^T J` over positions of the output, for `J = d f^(l+1) / d f^l` per input
  /// position (positions pooled, as M is defined), from per-sample Jacobians `[N, P' k', P k]`.
  static func jacobianMetric(_ jacobians: Tensor<Double>, inputPositions p: Int, features k: Int) -> Tensor<Double> {
    let n = jacobians.shape[0]
    let outputs = jacobians.shape[1]
    let j = jacobians.reshaped([n, outputs, p, k]).permuted([0, 2, 1, 3]).reshaped([n * p, outputs, k])
    return j.matmul(j, transposeSelf: true).sum(axis: 0) / Double(n)
  }

  static func maxRelativeDeviation(_ a: Tensor<Double>, from b: Tensor<Double>) -> Double {
    let scale = b.scalars.map(Swift.abs).max() ?? 1
    return zip(a.scalars, b.scalars).map { Swift.abs($0 - $1) }.max()! / scale
  }

  /// Checks E[f^ f^T] = diag(Lambda) and E[J^T J] = I on every section.
  static func checkIdentities(_ network: Network<Float>, _ inputs: Tensor<Float>, jacobianTolerance: Double) throws {
    let options = InteractionBasisOptions(bases: [.lib], batchSize: 32, cotangentChunk: 7, ablations: [])
    let run = try InteractionBasisAnalysis.run(network: network, inputs: inputs, evaluation: nil, options: options)
    let double = try network.converted(to: Double.self)
    let x = inputs.converted(to: Double.self)
    let bases = run.bases[.lib]!
    for l in 0..<(bases.count - 1) {
      let basis = bases[l]
      let features = basis.features(try activations(double, x, basis.layer))
      let second = features.matmul(features, transposeSelf: true) / Double(features.shape[0])
      let expected = Tensor<Double>.diagonal(basis.importances)
      #expect(maxRelativeDeviation(second, from: expected) < 1e-8, "E[f f^T] = Lambda at \(basis.layer.site)")

      let f = features.reshaped([x.shape[0], -1])
      let jacobians = batchedJacobian(of: featureMap(run, network: double, section: l), at: f, chunkSize: 16)
      let metric = jacobianMetric(jacobians, inputPositions: basis.layer.positions, features: basis.size)
      let deviation = maxRelativeDeviation(metric, from: Tensor<Double>.identity(basis.size))
      #expect(deviation < jacobianTolerance, "E[J^T J] = I at \(basis.layer.site): \(deviation)")
    }
  }

  @Test func modularAdditionCheckpoint() throws {
    let (network, inputs) = try Self.modularAddition(count: 80)
    try Self.checkIdentities(network, inputs, jacobianTolerance: 1e-6)
  }

  @Test func randomMLPs() throws {
    for (seed, activation) in [(UInt64(1), Activation.tanh), (2, .relu), (3, .gelu)] {
      let (network, inputs) = try Self.randomMLP(widths: [6, 9, 7, 5], activation: activation, samples: 120, seed: seed)
      try Self.checkIdentities(network, inputs, jacobianTolerance: 1e-6)
    }
  }

  /// M matches central finite differences of the section: E[J^T J] = I with J by differences.
  @Test func metricMatchesFiniteDifferences() throws {
    let (network, inputs) = try Self.randomMLP(widths: [5, 6, 4, 3], activation: .tanh, samples: 40, seed: 7)
    let run = try InteractionBasisAnalysis.run(
      network: network, inputs: inputs, evaluation: nil, options: InteractionBasisOptions(bases: [.lib], ablations: []))
    let double = try network.converted(to: Double.self)
    let x = inputs.converted(to: Double.self)
    for l in 0..<2 {
      let basis = run.bases[.lib]![l]
      let f = basis.features(try Self.activations(double, x, basis.layer))
      let map = Self.featureMap(run, network: double, section: l)
      let h = 1e-5
      var columns: [Tensor<Double>] = []
      for j in 0..<basis.size {
        var step = [Double](repeating: 0, count: basis.size)
        step[j] = h
        let delta = Tensor<Double>(step).reshaped([1, basis.size])
        let difference = (map(Variable(f + delta)).value - map(Variable(f - delta)).value) / (2 * h)
        columns.append(difference.expandingDimension(at: 2))
      }
      let jacobians = Tensor.concatenate(columns, axis: 2)
      let metric = Self.jacobianMetric(jacobians, inputPositions: 1, features: basis.size)
      let deviation = Self.maxRelativeDeviation(metric, from: Tensor<Double>.identity(basis.size))
      #expect(deviation < 1e-7, "finite-difference E[J^T J] = I at \(basis.layer.site): \(deviation)")
    }
  }

  /// For a linear network of equal widths the LIB edges between internal layers are diagonal,
  /// and the constant node has no edges.
  @Test func linearNetworkEdgesAreDiagonal() throws {
    let (network, inputs) = try Self.randomMLP(widths: [8, 6, 6, 6, 6], activation: .identity, samples: 200, seed: 11)
    let run = try InteractionBasisAnalysis.run(
      network: network, inputs: inputs, evaluation: nil, options: InteractionBasisOptions(bases: [.lib], ablations: []))
    for l in 0..<2 {
      let e = run.edges[.lib]![l]
      #expect(e.shape == [6, 7])
      let diagonal = (0..<6).map { e[$0, $0 + 1] }
      let largest = diagonal.max()!
      #expect(diagonal.min()! > 0)
      var offDiagonal = 0.0
      for i in 0..<6 { for j in 0..<7 where j != i + 1 { offDiagonal = Swift.max(offDiagonal, e[i, j]) } }
      #expect(offDiagonal < 1e-10 * largest, "section \(l): off-diagonal \(offDiagonal) vs \(largest)")
    }
  }
}

extension Tensor where Scalar == Double {
  /// A square matrix with `diagonal` on its diagonal and zeros elsewhere.
  static func diagonal(_ diagonal: [Double]) -> Tensor {
    var m = Tensor.zeros([diagonal.count, diagonal.count])
    for (i, v) in diagonal.enumerated() { m[i, i] = v }
    return m
  }
}
