import Analyses
import ArgumentParser
import Foundation
import NeuronModules
import Recipes
import Reports

/// `netatlas modules MODEL|--adjacency FILE --out DIR`: partition a network's neurons by
/// spectral clustering and test whether it is more clusterable than its shuffles.
struct ModulesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "modules",
    abstract: "Cluster a network's neurons and test clusterability; writes DIR/modules.json and DIR/report.html.",
    discussion: """
      Builds a graph of neurons: from the weights (MLP units with edges |w|, input and output units \
      included unless --exclude-io; CNN channels with edges a kernel norm, BatchNorm folded in), from \
      the squared Spearman correlation of hidden pre-activations over up to 5,000 test inputs \
      (--graph correlation, --scope global or local), or from --adjacency FILE (.npy dense [n, n], or \
      .npz with arrays row, col, data, shape and optionally layer). Nodes without edges, or with \
      constant pre-activations, get cluster -1. Spectral clustering (normalized-Laplacian embedding, \
      k-means++ with 25 starts, 100 above 2,000 nodes) gives k clusters and their n-cut; the shuffle \
      test re-clusters N shuffled graphs: p = (#{shuffled < true} + 1) / (N + 1), z = (true - mean) / std. \
      Shuffled graphs: weight matrices permuted (weights), the correlation graph of the \
      weight-shuffled network (correlation; not from the papers), or weights permuted within each \
      block of node pairs between two layers (adjacency files). On the planted-modules task, \
      hidden-unit clusters are compared with the planted parts by the adjusted Rand index.
      """)

  @Argument(help: "A model file written by `netatlas train` (or use --adjacency).")
  var model: String?

  @Option(help: "Adjacency file: .npy (dense [n, n]) or .npz (row, col, data, shape; optional layer).")
  var adjacency: String?

  @Option(help: "The task whose test inputs feed a correlation graph (default: the one recorded in the model file).")
  var task: TrainingRecipe?

  @Option(help: "Graph of neurons: weights or correlation.")
  var graph: ModulesOptions.GraphKind = .weights

  @Option(help: "Correlation graphs: global (all hidden units pooled) or local (one block per layer).")
  var scope: CorrelationScope?

  @Option(help: "Number of clusters k.")
  var clusters: Int = 12

  @Option(help: "Shuffled graphs of the clusterability test (0 skips it).")
  var shuffles: Int = 50

  @Option(
    help:
      "Sub-cluster tests: random same-size unit sets per sub-cluster (default 19); 0 skips the lesion test.")
  var lesionTrials: Int?

  @Option(help: "Sub-cluster coherence tests: vis, examples, both comma-separated, or none (default: examples).")
  var coherence: String?

  @Option(help: "Correlation graphs: test inputs to correlate over (default: all, at most 5,000).")
  var samples: Int?

  @Option(help: "Seed of clustering, shuffles and input sampling.")
  var seed: UInt64 = 0

  @Flag(help: "MLP weight graphs: leave out the input and output units.")
  var excludeIO = false

  @Option(help: "CNN weight graphs: kernel norm l1 (entrywise, default) or induced (largest column sum).")
  var kernelNorm: ModulesOptions.KernelNormChoice?

  @Option(help: "Cache folder for downloaded data.")
  var cache: String?

  @Option(help: "Output folder.")
  var out: String

  var options: ModulesOptions {
    get throws {
      ModulesOptions(
        graph: graph, scope: scope, clusters: clusters, shuffles: shuffles, seed: seed, excludeIO: excludeIO,
        kernelNorm: kernelNorm, samples: samples, lesionTrials: lesionTrials,
        coherence: try coherence.map(Self.coherenceTests))
    }
  }

  /// The tests named by `--coherence`: "vis", "examples", both comma-separated, or "none".
  static func coherenceTests(_ text: String) throws -> Set<ModulesOptions.CoherenceTest> {
    let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    if names == ["none"] { return [] }
    var tests: Set<ModulesOptions.CoherenceTest> = []
    for name in names {
      guard let test = ModulesOptions.CoherenceTest(rawValue: name) else {
        throw ValidationError("--coherence takes vis, examples, both comma-separated, or none; got \"\(text)\"")
      }
      tests.insert(test)
    }
    guard !tests.isEmpty else { throw ValidationError("--coherence lists no test; use none to skip them") }
    return tests
  }

  func validate() throws {
    if (model == nil) == (adjacency == nil) {
      throw ValidationError("pass either a MODEL file or --adjacency FILE, not \(model == nil ? "neither" : "both")")
    }
    if adjacency != nil && task != nil { throw ValidationError("--task needs a MODEL; an adjacency file is the graph itself") }
    try options.validate(forAdjacencyFile: adjacency != nil)
  }

  func run() throws {
    let output: ModulesOutput
    let options = try self.options
    if let adjacency {
      output = try ModulesRun.run(adjacency: URL(fileURLWithPath: adjacency), options: options)
    } else {
      output = try ModulesRun.run(
        model: URL(fileURLWithPath: model!), task: task, cacheDirectory: cache.map { URL(fileURLWithPath: $0) },
        options: options)
    }
    let folder = URL(fileURLWithPath: out)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try JSONOutput.write(output, to: folder.appendingPathComponent("modules.json"))
    let report = HTMLReport(
      title: "NetAtlas modules",
      generatedLine: String(format: "netatlas modules %@, %.1f s", output.source, output.timings.totalSeconds),
      sections: [ModulesReportSection.make(for: output)])
    try report.write(to: folder.appendingPathComponent("report.html"))
    let line = output.summary
    Console.log(
      line + String(format: " (%.1f s) -> %@", output.timings.totalSeconds, folder.appendingPathComponent("modules.json").path))
  }
}

extension CorrelationScope: ExpressibleByArgument {}
