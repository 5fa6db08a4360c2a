import Analyses
import ArgumentParser
import Autodiff
import Foundation
import LayerSimilarity
import Networks
import Recipes
import Reports
import Tensors

/// `netatlas layers MODEL|--activations FILE --out DIR`: Gromov-Wasserstein distances between
/// every pair of layers, linear CKA and RSM baselines, and groups of functionally similar layers.
struct LayersCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "layers",
    abstract: "Compare every pair of layers by Gromov-Wasserstein; writes DIR/layers.json and DIR/report.html.",
    discussion: """
      Feeds N test samples through the model (or reads one [N, ...] array per layer from \
      --activations, a .safetensors or .npz file, in file order), builds each layer's normalized \
      distance matrix, and computes GW (POT's convention: sum (C1_ik - C2_jl)^2 T_ij T_kl), linear \
      CKA and the RSM difference mean((C_a - C_b)^2) for all pairs, in parallel. Layers are grouped \
      by average-linkage clustering and by contiguous segmentation, the number of groups chosen by \
      the mean silhouette on the GW distances.
      """)

  typealias Metric = LayersMetric

  @Argument(help: "A model file written by `netatlas train` (or use --activations).")
  var model: String?

  @Option(help: "Activations file (.safetensors or .npz): one [N, ...] array per layer, in layer order.")
  var activations: String?

  @Option(help: "The task whose test split feeds the model (default: the one recorded in the model file).")
  var task: TrainingRecipe?

  @Option(help: "Comma-separated site names (default: every main-path layer output except the input).")
  var sites: String?

  @Option(help: "Number of test samples fed through the model (default 512, or the whole test split if smaller).")
  var samples: Int?

  @Option(help: "Distance inside a layer: euclidean, cosine or sqeuclidean.")
  var metric: Metric = .euclidean

  @Option(help: "Normalization of each distance matrix: mean, max or none.")
  var normalize: DistanceNormalization = .mean

  @Option(help: "GW solver: cg (exact, multi-start) or entropic.")
  var solver: LayerGWSolver = .cg

  @Option(help: "Random permutation starts of the cg solver, besides the identity and product starts (default 1).")
  var starts: Int?

  @Option(help: "Entropic regularization on normalized distances (entropic solver only; default 0.005).")
  var epsilon: Double?

  @Option(help: "Seed of the sample draw and of the random starts.")
  var seed: UInt64 = 0

  @Option(help: "Convolution maps [C, H, W]: flatten, or mean over space.")
  var conv: LayerRepresentations.ConvolutionReduction = .flatten

  @Option(help: "Sequences [T, d]: last position, first position, or mean over positions.")
  var sequence: LayerRepresentations.SequenceReduction = .last

  @Option(help: "Cache folder for downloaded data.")
  var cache: String?

  @Option(help: "Output folder.")
  var out: String

  func validate() throws {
    if (model == nil) == (activations == nil) {
      throw ValidationError("pass either a MODEL file or --activations FILE, not \(model == nil ? "neither" : "both")")
    }
    if activations != nil {
      if task != nil { throw ValidationError("--task needs a MODEL; --activations already holds the representations") }
      if sites != nil { throw ValidationError("--sites needs a MODEL; an activations file is used whole") }
    }
    if let samples, samples < 2 { throw ValidationError("--samples must be at least 2, got \(samples)") }
    if samples != nil && activations != nil {
      throw ValidationError("--samples needs a MODEL; an activations file is used whole")
    }
    if let starts {
      if starts < 0 { throw ValidationError("--starts must be >= 0, got \(starts)") }
      if solver == .entropic {
        throw ValidationError("--starts applies to the cg solver only; entropic starts from the identity")
      }
    }
    if let epsilon {
      if solver != .entropic { throw ValidationError("--epsilon applies to --solver entropic only") }
      if !(epsilon > 0 && epsilon.isFinite) { throw ValidationError("--epsilon must be positive, got \(epsilon)") }
    }
  }

  func run() throws {
    let (representations, source) = try loadRepresentations()
    let output = try LayersRun.analyze(representations, source: source, settings: settings)
    let folder = URL(fileURLWithPath: out)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try JSONOutput.write(output, to: folder.appendingPathComponent("layers.json"))
    let report = HTMLReport(
      title: "NetAtlas layers",
      generatedLine: String(format: "netatlas layers %@, %.1f s", source, output.timings.totalSeconds),
      sections: [LayersReportSection.make(for: output)])
    try report.write(to: folder.appendingPathComponent("report.html"))
    Console.log(output.summary + " -> " + folder.appendingPathComponent("layers.json").path)
  }

  /// The analysis settings given on the command line.
  var settings: LayersSettings {
    LayersSettings(
      metric: metric, normalize: normalize, solver: solver, starts: starts, epsilon: epsilon, seed: seed, conv: conv,
      sequence: sequence)
  }

  func loadRepresentations() throws -> (LayerRepresentations, String) {
    do {
      if let activations {
        let url = URL(fileURLWithPath: activations)
        return (try LayerRepresentations(contentsOf: url, convolution: conv, sequence: sequence), url.path)
      }
      let path = model!
      let (network, metadata) = try ModelFile.read(URL(fileURLWithPath: path))
      guard let recipe = task ?? TrainingRecipe(rawValue: metadata.task) else {
        throw ValidationError("\(path) records task \"\(metadata.task)\", which is not built in; pass --task")
      }
      let available = network.sites.map(\.name)
      let chosen: [String]
      if let sites {
        chosen = sites.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !chosen.isEmpty else { throw ValidationError("--sites lists no site names") }
        for name in chosen where !available.contains(name) {
          throw ValidationError("unknown site '\(name)'; available sites: \(available.joined(separator: ", "))")
        }
        guard Set(chosen).count == chosen.count else { throw ValidationError("--sites lists a site twice") }
      } else {
        chosen = LayersRun.defaultSites(network.sites)
      }
      guard chosen.count >= 2 else {
        throw ValidationError("at least 2 sites are needed to compare layers, got \(chosen.count)")
      }
      let data = try recipe.data(cacheDirectory: cache.map { URL(fileURLWithPath: $0) })
      guard Array(data.test.inputs.shape.dropFirst()) == network.architecture.inputShape else {
        throw ValidationError(
          "\(path) expects inputs \(network.architecture.inputShape) but task \(recipe.rawValue) gives \(Array(data.test.inputs.shape.dropFirst()))"
        )
      }
      let samples = self.samples ?? Swift.min(512, data.test.count)
      guard samples <= data.test.count else {
        throw ValidationError("--samples \(samples) exceeds the \(data.test.count) test samples of \(recipe.rawValue)")
      }
      let representations = try LayersRun.representations(
        of: network, on: data.test, sites: chosen, samples: samples, settings: settings)
      return (representations, path)
    } catch let error as LayerSimilarityError {
      throw ValidationError(error.description)
    }
  }
}

extension DistanceNormalization: ExpressibleByArgument {}
extension LayerGWSolver: ExpressibleByArgument {}
extension LayerRepresentations.ConvolutionReduction: ExpressibleByArgument {}
extension LayerRepresentations.SequenceReduction: ExpressibleByArgument {}
extension LayersMetric: ExpressibleByArgument {}
