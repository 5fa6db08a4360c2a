import Autodiff
import Foundation
import Networks
import Tensors

/// The Local Interaction Basis analysis (Bushnaq et al. 2024, arXiv 2405.10928; rib's
/// `basis_formula: jacobian`, `edge_formula: squared`, `center: true`), in float64.
///
/// For node layers `l = 0..L` (the last one the logits, whose basis is the identity), working
/// backwards: `G = E[(f - mu)(f - mu)^T] = U D U^T` (positions pooled), whitened features
/// `f~ = D^-1/2 U^T (f - mu)`, `M = E[J~^T J~]` with `J~ = d f^(l+1) / d f~^l` through one
/// section from the next layer's final features, `M = V Lambda V^T`, and the final features
/// `f^ = Lambda^1/2 V^T D^-1/2 U^T (f - mu)`, so that `E[f^ f^T] = Lambda` and
/// `E[(df^(l+1)/df^l)^T (df^(l+1)/df^l)] = I`. The constant direction (folded biases and the
/// mean) is feature 0 with scale `Lambda_0^1/2`. The PCA baseline is `C = U`.
/// Edges: `E_ij = E_x sum_t (sum_s df^(l+1)_{t,i} / df^l_{s,j} f^l_{s,j})^2`.
public enum InteractionBasisAnalysis {
  /// Runs the analysis.
  ///
  /// - Parameters:
  ///   - network: any network with sites (converted to float64).
  ///   - inputs: `[N, ...inputShape]`, the inputs the statistics and Jacobians average over.
  ///   - evaluation: labelled data for the ablations (nil: no ablations).
  ///   - progress: called with a line for each finished stage.
  public static func run<Scalar>(
    network source: Network<Scalar>, inputs: Tensor<Scalar>, evaluation: AblationData?,
    options: InteractionBasisOptions = .init(), progress: (String) -> Void = { _ in }
  ) throws -> InteractionBasisRun {
    try options.validate()
    let network = try source.converted(to: Double.self)
    let layers = try NodeLayers.resolve(options.nodeLayers, in: network)
    guard inputs.rank >= 1, inputs.shape[0] > 0 else { throw InteractionBasisError.invalidInputs("no inputs given") }
    guard Array(inputs.shape.dropFirst()) == network.architecture.inputShape else {
      throw InteractionBasisError.invalidInputs(
        "inputs have per-sample shape \(Array(inputs.shape.dropFirst())) but the network expects \(network.architecture.inputShape)"
      )
    }
    guard inputs.isFinite else { throw InteractionBasisError.nonFinite("the inputs hold NaN or Inf") }
    if !options.ablations.isEmpty && evaluation == nil {
      throw InteractionBasisError.noEvaluation("ablations need labelled data with a classifier or language-model head")
    }
    let threads = options.threads == 0 ? ProcessInfo.processInfo.activeProcessorCount : options.threads
    let batches = ActivationBatches(network: network, inputs: inputs.converted(to: Double.self), batchSize: options.batchSize)
    var seconds: [String: Double] = [:]
    let clock = ContinuousClock()
    func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
      let start = clock.now
      let value = try body()
      seconds[stage, default: 0] += (clock.now - start).inSeconds
      progress(String(format: "  %@: %.2f s", stage, seconds[stage]!))
      return value
    }

    let last = layers.count - 1
    let statistics = try timed("statistics") { try LayerStatistics.compute(batches, layers: Array(layers.prefix(last))) }
    let grams = try timed("gram eigendecomposition") {
      try (0..<last).map { l in
        try TruncatedEigen(
          statistics[l].gram, threshold: options.threshold, relative: options.relativeThreshold,
          name: "Gram matrix of \(layers[l].site)")
      }
    }
    func sections(_ l: Int) -> FoldedSection { FoldedSection(network: network, from: layers[l], to: layers[l + 1]) }
    func passes(_ l: Int, next: LayerBasis) -> SectionPasses {
      let sources = layers[l + 1].positions > 1 ? options.stochasticSources : nil
      let rows = OutputRows(
        basis: next.basis, mean: next.mean, positions: layers[l + 1].positions, sources: sources, seed: options.seed &+ UInt64(l))
      return SectionPasses(
        section: sections(l), batches: batches, rows: rows, chunk: options.cotangentChunk, threads: threads,
        constantStep: options.constantStep)
    }

    var bases: [BasisKind: [LayerBasis]] = [:]
    var summaries = (0...last).map { l in
      LayerBasisSummary(
        site: layers[l].site, shape: layers[l].shape, positions: layers[l].positions, width: layers[l].width,
        gramEigenvalues: l < last ? grams[l].values : [], sizeAfterGram: l < last ? grams[l].kept : layers[l].width,
        lambda: nil, libSize: nil, constantLambda: nil)
    }
    if options.bases.contains(.pca) {
      bases[.pca] =
        (0..<last).map { BasisConstruction.pca(layers[$0], statistics: statistics[$0], gram: grams[$0]) }
        + [LayerBasis.output(layers[last], kind: .pca)]
    }
    if options.bases.contains(.lib) {
      var lib = [LayerBasis](repeating: LayerBasis.output(layers[last], kind: .lib), count: layers.count)
      try timed("lib basis") {
        for l in stride(from: last - 1, through: 0, by: -1) {
          let (s, constant) = try passes(l, next: lib[l + 1]).metric(mean: statistics[l].mean)
          let metric = try TruncatedEigen(
            BasisConstruction.whitenedMetric(s, gram: grams[l]), threshold: options.threshold,
            relative: options.relativeThreshold, name: "M of \(layers[l].site)")
          lib[l] = BasisConstruction.lib(
            layers[l], statistics: statistics[l], gram: grams[l], metric: metric, constant: constant)
          summaries[l].lambda = metric.values
          summaries[l].libSize = metric.kept
          summaries[l].constantLambda = constant
        }
      }
      bases[.lib] = lib
    }

    var edges: [BasisKind: [Tensor<Double>]] = [:]
    var edgeSummaries: [SectionEdgesSummary] = []
    for kind in options.bases {
      let basis = bases[kind]!
      let matrices = try timed("\(kind.rawValue) edges") {
        try (0..<last).map { l in try passes(l, next: basis[l + 1]).edges(start: basis[l]) }
      }
      edges[kind] = matrices
      edgeSummaries += (0..<last).map { l in
        SectionEdgesSummary(start: layers[l].site, end: layers[l + 1].site, basis: kind, edges: matrices[l])
      }
    }

    var baseline: AblationPoint? = nil
    var nodeCurves: [NodeAblationCurve] = []
    var edgeResults: [EdgeAblationResult] = []
    if let evaluation, !options.ablations.isEmpty {
      guard evaluation.inputs.isFinite else { throw InteractionBasisError.nonFinite("the ablation inputs hold NaN or Inf") }
      let scorer = AblationScorer(network: network, data: evaluation, batchSize: options.batchSize * 4)
      let base = try scorer.baseline()
      baseline = base
      if options.ablations.contains(.node) {
        nodeCurves = try timed("node ablation") {
          try options.bases.flatMap { kind in
            try (0..<last).map { l in
              try NodeAblation.run(
                bases[kind]![l], scorer: scorer, baseline: base.accuracy, tolerance: options.accuracyTolerance)
            }
          }
        }
      }
      if options.ablations.contains(.edge) {
        edgeResults = try timed("edge ablation") {
          try options.bases.flatMap { kind in
            try (0..<last).map { l in
              try EdgeAblation.run(
                section: sections(l), start: bases[kind]![l], end: bases[kind]![l + 1], edges: edges[kind]![l],
                scorer: scorer, baseline: base.accuracy, tolerance: options.accuracyTolerance)
            }
          }
        }
      }
    }

    var fourier: [FourierFeature] = []
    if let p = options.fourierModulus {
      fourier = try timed("fourier view") { try fourierFeatures(network: network, layers: layers, bases: bases, modulus: p) }
    }
    let result = InteractionBasisResult(
      nodeLayers: layers, options: options, samples: batches.sampleCount, layers: summaries, edges: edgeSummaries,
      baseline: baseline, nodeAblations: nodeCurves, edgeAblations: edgeResults, fourier: fourier, seconds: seconds)
    return InteractionBasisRun(result: result, bases: bases, edges: edges)
  }

  /// The leading ten features of every one-position node layer (the output left out) on all
  /// `p^2` inputs of modular addition, with their best Fourier frequency.
  static func fourierFeatures(
    network: Network<Double>, layers: [NodeLayer], bases: [BasisKind: [LayerBasis]], modulus p: Int
  ) throws -> [FourierFeature] {
    guard network.architecture.inputShape == [3] else {
      throw InteractionBasisError.invalidOption("the Fourier view needs modular-addition inputs [a, b, =]")
    }
    let grid = ActivationBatches(network: network, inputs: FourierView.inputs(modulus: p), batchSize: p * p)
    let candidates = layers.dropLast().filter { $0.positions == 1 }
    let activations = try grid.activations(0, layers: Array(candidates))
    var result: [FourierFeature] = []
    for kind in BasisKind.allCases {
      guard let basis = bases[kind] else { continue }
      for (layer, a) in zip(candidates, activations) {
        guard let b = basis.first(where: { $0.layer.site == layer.site }) else { continue }
        let features = b.features(a.reshaped([-1, layer.width]))
        for feature in 0..<Swift.min(10, b.size) {
          let values = (0..<(p * p)).map { features[flat: $0 * b.size + feature] }
          let best = FourierView.bestFrequency(values, modulus: p)
          result.append(
            FourierFeature(site: layer.site, basis: kind, feature: feature, frequency: best.frequency, share: best.share))
        }
      }
    }
    return result
  }
}
