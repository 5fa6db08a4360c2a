import Foundation
import Networks
import TensorIO
import Tensors
import Testing

@testable import Analyses
@testable import netatlas

/// `netatlas modules` in-process: hand-built models with known modules, adjacency files, bad input.
@Suite struct ModulesCommandTests {
  let folder: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("netatlas-modules-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }()

  /// Writes an MLP whose weight matrices are zero except on the blocks where `block(o, i)` is
  /// true (those keep their random initial values).
  func modelFile(
    _ name: String, widths: [Int], task: String, seed: UInt64 = 3, block: (_ layer: Int, _ output: Int, _ input: Int) -> Bool
  ) throws -> URL {
    var network = try Network<Float>(architecture: .mlp(MLPArchitecture(widths: widths)), seed: seed)
    for k in 0..<(widths.count - 1) {
      let parameter = "layers.\(k).weight"
      var scalars = network.parameters[parameter]!.scalars
      for o in 0..<widths[k + 1] {
        for i in 0..<widths[k] where !block(k, o, i) { scalars[o * widths[k] + i] = 0 }
      }
      network.parameters[parameter] = Tensor(shape: [widths[k + 1], widths[k]], scalars: scalars)
    }
    let url = folder.appendingPathComponent("\(name).safetensors")
    try ModelFile.write(network, metadata: ModelMetadata(architecture: network.architecture, task: task), to: url)
    return url
  }

  /// MLP 8-8-8-4 made of two disjoint halves (units below and above half of each layer).
  func twoHalves() throws -> URL {
    let widths = [8, 8, 8, 4]
    // A task that is not built in: no data, so no sub-cluster statistics by default.
    return try modelFile("halves", widths: widths, task: "hand-built") { k, o, i in
      (o < widths[k + 1] / 2) == (i < widths[k] / 2)
    }
  }

  func readJSON(_ dir: URL) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("modules.json"))) as! [String: Any]
  }

  func run(_ arguments: [String]) throws -> [String: Any] {
    let out = folder.appendingPathComponent(UUID().uuidString)
    let (status, message) = NetAtlasCommand.execute(["modules"] + arguments + ["--out", out.path])
    #expect(status == 0, "\(arguments): \(message ?? "")")
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))
    return try readJSON(out)
  }

  func clusters(_ json: [String: Any]) -> [Int] { (json["nodes"] as! [[String: Any]]).map { $0["cluster"] as! Int } }

  @Test func weightGraphFindsTheHalves() throws {
    let json = try run([try twoHalves().path, "--clusters", "2", "--shuffles", "8"])
    #expect(json["nodeCount"] as? Int == 28)
    #expect(json["componentCount"] as? Int == 2)
    let labels = clusters(json)
    let halves = [8, 8, 8, 4].flatMap { w in (0..<w).map { $0 < w / 2 ? 0 : 1 } }
    #expect(labels == halves)
    #expect(json["normalizedCut"] as? Double == 0)
    let shuffle = json["shuffle"] as! [String: Any]
    #expect((shuffle["normalizedCuts"] as! [Double]).count == 8)
    // No shuffle reaches n-cut 0: the true graph ranks first.
    #expect(Swift.abs((shuffle["p"] as! Double) - 1.0 / 9) < 1e-12)
    #expect((shuffle["z"] as! Double) < 0)
    #expect((json["notes"] as! [String]).contains { $0.contains("2 connected components") })
    let layers = json["layers"] as! [[String: Any]]
    #expect(layers.map { $0["name"] as! String } == ["input", "layers.0", "layers.1", "layers.2"])
    #expect(layers.map { $0["clusterSizes"] as! [Int] } == [[4, 4], [4, 4], [4, 4], [2, 2]])
    // Every edge is drawn: 2 blocks of 4 x 4 between input and layers.0 and between the hidden
    // layers, 2 of 2 x 4 to the outputs.
    let edgeCount = (json["strongestEdges"] as! [Any]).count
    #expect(edgeCount == 80)
    #expect(json["planted"] == nil)
    #expect(json["subClusterStatistics"] == nil)
    #expect((json["subClusterStatisticsSkipped"] as? String)?.contains("--task") == true)

    let hidden = try run([try twoHalves().path, "--clusters", "2", "--shuffles", "0", "--exclude-io"])
    #expect(hidden["nodeCount"] as? Int == 16)
    #expect(hidden["shuffleSkipped"] as? String == "--shuffles 0")
    #expect(hidden["shuffle"] == nil)
  }

  @Test func reportDrawsTheNetworkAndTheHistogram() throws {
    let out = folder.appendingPathComponent("report-out")
    let status = NetAtlasCommand.execute([
      "modules", try twoHalves().path, "--clusters", "2", "--shuffles", "5", "--out", out.path,
    ])
    #expect(status.status == 0, "\(status.message ?? "")")
    let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.contains("class=\"layered-graph\""))
    #expect(html.contains("class=\"histogram\""))
    #expect(html.contains("true n-cut"))
    #expect(html.contains("Neuron modules"))
  }

  /// MLP 32-8-4-16 on planted-modules: first-layer units 2p and 2p+1 read part p only,
  /// second-layer unit p reads them, output o reads unit o % 4. The planted parts of the hidden
  /// units are their parts, and clustering recovers them.
  @Test func plantedPartsAreRecovered() throws {
    let model = try modelFile("planted", widths: [32, 8, 4, 16], task: "planted-modules-mlp", seed: 5) { k, o, i in
      switch k {
      case 0: o / 2 == i / 8
      case 1: o == i / 2
      default: o % 4 == i
      }
    }
    let json = try run([model.path, "--clusters", "4", "--shuffles", "3"])
    let planted = try #require(json["planted"] as? [String: Any])
    #expect(planted["parts"] as? Int == 4)
    #expect(planted["hiddenUnits"] as? Int == 12)
    #expect(planted["hiddenARI"] as? Double == 1)
    #expect(planted["inputARI"] as? Double == 1)
    #expect(planted["purity"] as? Double == 1)
    #expect(planted["meanDominantShare"] as? Double == 1)
    // Default sub-cluster statistics: lesions and dataset examples. Only layers.0 has
    // sub-clusters of 2 or more units (2 per part; layers.1 has 1 unit per part).
    let statistics = try #require(json["subClusterStatistics"] as? [String: Any])
    let subClusters = statistics["subClusters"] as! [[String: Any]]
    #expect(subClusters.count == 4)
    for item in subClusters {
      let sub = item["subCluster"] as! [String: Any]
      #expect(sub["layerName"] as? String == "layers.0" && (sub["units"] as! [Int]).count == 2)
      #expect((sub["randomUnitSets"] as! [[Int]]).count == 19)
    }
    #expect(
      (statistics["combinedTests"] as! [[String: Any]]).map { $0["kind"] as! String }.sorted()
        == ["datasetExampleEntropy", "lesionAccuracy", "lesionSelectivity"])
    let nodes = json["nodes"] as! [[String: Any]]
    let parts = nodes.map { $0["plantedPart"] as? Int }
    let expected: [Int?] =
      (0..<32).map { $0 / 8 } + (0..<8).map { $0 / 2 } + (0..<4).map { $0 } + [Int?](repeating: nil, count: 16)
    #expect(parts == expected)
  }

  @Test func correlationGraphOfHiddenUnits() throws {
    let network = try Network<Float>(architecture: .mlp(MLPArchitecture(widths: [64, 16, 12, 10])), seed: 3)
    let model = folder.appendingPathComponent("digits.safetensors")
    try ModelFile.write(network, metadata: ModelMetadata(architecture: network.architecture, task: "digits-mlp"), to: model)
    let global = try run([model.path, "--graph", "correlation", "--samples", "120", "--clusters", "3", "--shuffles", "4"])
    #expect(global["nodeCount"] as? Int == 28)
    let options = global["options"] as! [String: Any]
    #expect(options["graph"] as? String == "correlation" && options["scope"] as? String == "global")
    #expect(options["samples"] as? Int == 120)
    #expect(((global["shuffle"] as! [String: Any])["nullModel"] as! String).contains("not from the papers"))
    let local = try run([
      model.path, "--graph", "correlation", "--scope", "local", "--samples", "120", "--clusters", "3", "--shuffles", "0",
    ])
    #expect(local["componentCount"] as? Int == 2)
    // No edges between the two layers: no cluster mixes them.
    let labels = clusters(local)
    #expect(Set(labels[0..<16]).isDisjoint(with: Set(labels[16..<28])))
  }

  /// `--lesion-trials` and `--coherence` on a digits MLP: random-set count, the tests run, and
  /// the feature visualizations drawn as 8x8 images.
  @Test func subClusterStatisticsOptions() throws {
    let model = try modelFile("digits-stats", widths: [64, 12, 10, 10], task: "digits-mlp") { _, _, _ in true }
    let out = folder.appendingPathComponent("stats-out")
    let (status, message) = NetAtlasCommand.execute([
      "modules", model.path, "--clusters", "3", "--shuffles", "0", "--lesion-trials", "5", "--coherence", "vis",
      "--out", out.path,
    ])
    #expect(status == 0, "\(message ?? "")")
    let json = try readJSON(out)
    let statistics = try #require(json["subClusterStatistics"] as? [String: Any])
    #expect(statistics["randomSetCount"] as? Int == 5)
    #expect(
      (statistics["combinedTests"] as! [[String: Any]]).map { $0["kind"] as! String }.sorted()
        == ["lesionAccuracy", "lesionSelectivity", "visualizationEntropy", "visualizationObjective"])
    #expect((statistics["featureVisualization"] as! [String: Any])["imageShape"] as? [Int] == [1, 8, 8])
    #expect(statistics["datasetExamples"] == nil)
    let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.contains("Feature visualizations") && html.contains("Sub-clusters: importance and coherence"))

    let none = try run([model.path, "--clusters", "3", "--shuffles", "0", "--lesion-trials", "0", "--coherence", "none"])
    #expect(none["subClusterStatistics"] == nil)
    #expect(none["subClusterStatisticsSkipped"] as? String == "--lesion-trials 0 --coherence none")
  }

  @Test func constantUnitsAreLeftOut() throws {
    // Layer 1 has no weights: its pre-activations are its biases, constant over the inputs.
    let model = try modelFile("dead", widths: [64, 16, 12, 10], task: "digits-mlp") { k, _, _ in k != 1 }
    let json = try run([model.path, "--graph", "correlation", "--samples", "60", "--clusters", "3", "--shuffles", "2"])
    let nodes = json["nodes"] as! [[String: Any]]
    #expect(nodes[16..<28].allSatisfy { $0["status"] as? String == "constant" && $0["cluster"] as? Int == -1 })
    #expect(nodes[0..<16].allSatisfy { $0["status"] as? String == "live" && ($0["cluster"] as! Int) >= 0 })
    #expect((json["notes"] as! [String]).contains { $0.contains("constant pre-activation") })
  }

  func adjacencyFile(_ name: String, _ matrix: [[Double]]) throws -> URL {
    let url = folder.appendingPathComponent(name)
    try NumPyFile.write(StoredArray(Tensor(rows: matrix)), to: url)
    return url
  }

  /// Two triangles joined by one weak edge, as a dense .npy and a sparse .npz.
  @Test func adjacencyFilesAreClustered() throws {
    var a = [[Double]](repeating: [Double](repeating: 0, count: 6), count: 6)
    for (i, j) in [(0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5)] {
      a[i][j] = 1
      a[j][i] = 1
    }
    a[2][3] = 0.05
    a[3][2] = 0.05
    let dense = try run(["--adjacency", try adjacencyFile("triangles.npy", a).path, "--clusters", "2", "--shuffles", "6"])
    #expect(clusters(dense) == [0, 0, 0, 1, 1, 1])
    #expect(Swift.abs((dense["normalizedCut"] as! Double) - 2 * 0.05 / 6.05) < 1e-12)
    #expect(((dense["shuffle"] as! [String: Any])["nullModel"] as! String).contains("all node pairs"))

    var rows: [Int64] = []
    var columns: [Int64] = []
    var values: [Double] = []
    for i in 0..<6 {
      for j in 0..<6 where a[i][j] != 0 && !(i == 2 && j == 3) && !(i == 3 && j == 2) {
        rows.append(Int64(i))
        columns.append(Int64(j))
        values.append(a[i][j])
      }
    }
    let sparse = folder.appendingPathComponent("triangles.npz")
    try NumPyArchive.write(
      [
        ("row", try StoredArray(shape: [rows.count], integers: rows)),
        ("col", try StoredArray(shape: [columns.count], integers: columns)),
        ("data", StoredArray(Tensor(shape: [values.count], scalars: values))),
        ("shape", try StoredArray(shape: [2], integers: [Int64(6), 6])),
      ], to: sparse)
    // Without the weak edge: two components, clustered into them with n-cut 0.
    let disconnected = try run(["--adjacency", sparse.path, "--clusters", "2", "--shuffles", "4"])
    #expect(disconnected["componentCount"] as? Int == 2)
    #expect(clusters(disconnected) == [0, 0, 0, 1, 1, 1])
    #expect(disconnected["normalizedCut"] as? Double == 0)
    #expect((disconnected["notes"] as! [String]).contains { $0.contains("connected components") })
  }

  func expectUserError(_ arguments: [String], mentions words: [String]) {
    let (status, message) = NetAtlasCommand.execute(["modules"] + arguments)
    #expect(status == 2, "\(arguments)")
    for word in words { #expect(message?.contains(word) == true, "\(arguments): \(message ?? "nil") lacks \(word)") }
  }

  @Test func badInput() throws {
    let out = folder.appendingPathComponent("bad").path
    let model = try twoHalves().path
    let square = [[0.0, 1, 2], [1, 0, 3], [2, 3, 0]]
    var asymmetric = square
    asymmetric[0][2] = 2.5
    var negative = square
    negative[1][2] = -3
    negative[2][1] = -3
    var withNaN = square
    withNaN[0][1] = .nan
    withNaN[1][0] = .nan
    expectUserError(
      ["--adjacency", try adjacencyFile("asym.npy", asymmetric).path, "--out", out], mentions: ["asym.npy", "not symmetric"])
    expectUserError(
      ["--adjacency", try adjacencyFile("neg.npy", negative).path, "--out", out], mentions: ["neg.npy", "negative"])
    expectUserError(["--adjacency", try adjacencyFile("nan.npy", withNaN).path, "--out", out], mentions: ["nan.npy", "finite"])
    expectUserError(
      ["--adjacency", try adjacencyFile("wide.npy", [[0, 1, 2], [1, 0, 3]]).path, "--out", out], mentions: ["wide.npy", "square"])
    expectUserError(
      ["--adjacency", try adjacencyFile("ok.npy", square).path, "--clusters", "4", "--out", out],
      mentions: ["--clusters 4", "3 live nodes"])
    expectUserError([model, "--clusters", "40", "--out", out], mentions: ["--clusters 40", "28 live nodes"])
    expectUserError([model, "--clusters", "1", "--out", out], mentions: ["--clusters"])
    expectUserError([model, "--shuffles", "-1", "--out", out], mentions: ["--shuffles"])
    expectUserError(["--out", out], mentions: ["MODEL"])
    expectUserError([try adjacencyFile("as-model.npy", square).path, "--out", out], mentions: ["as-model.npy", "--adjacency"])
    expectUserError([model, "--adjacency", try adjacencyFile("ok2.npy", square).path, "--out", out], mentions: ["both"])
    expectUserError([model, "--scope", "local", "--out", out], mentions: ["--scope"])
    expectUserError([model, "--samples", "10", "--out", out], mentions: ["--samples"])
    expectUserError([model, "--kernel-norm", "induced", "--out", out], mentions: ["--kernel-norm", "MLP"])
    expectUserError([model, "--graph", "correlation", "--exclude-io", "--out", out], mentions: ["--exclude-io"])
    expectUserError([model, "--graph", "correlation", "--samples", "2", "--out", out], mentions: ["--samples"])
    let digits = try modelFile("digits", widths: [64, 6, 5, 10], task: "digits-mlp") { _, _, _ in true }.path
    expectUserError(
      [digits, "--graph", "correlation", "--samples", "100000", "--out", out], mentions: ["--samples 100000", "359"])
    // A model whose input does not fit its task.
    expectUserError([model, "--task", "digits-mlp", "--out", out], mentions: ["expects inputs [8]", "[64]"])
    // Sub-cluster statistics need a model and its task's data.
    expectUserError([model, "--lesion-trials", "5", "--out", out], mentions: ["hand-built", "--task"])
    expectUserError([model, "--lesion-trials", "-1", "--out", out], mentions: ["--lesion-trials"])
    expectUserError([model, "--coherence", "vis,pictures", "--out", out], mentions: ["--coherence", "vis,pictures"])
    expectUserError(
      ["--adjacency", try adjacencyFile("ok4.npy", square).path, "--coherence", "examples", "--out", out],
      mentions: ["--coherence", "MODEL"])
    expectUserError(
      ["--adjacency", try adjacencyFile("ok3.npy", square).path, "--exclude-io", "--out", out], mentions: ["--exclude-io"])
    // Every hidden unit constant: no correlation graph.
    let dead = try modelFile("all-dead", widths: [64, 16, 12, 10], task: "digits-mlp") { k, _, _ in k == 2 }
    expectUserError([dead.path, "--graph", "correlation", "--samples", "50", "--out", out], mentions: ["constant"])
    // A model whose task is not built in needs --task for a correlation graph.
    let foreign = try modelFile("foreign", widths: [64, 4, 3], task: "someone-elses-task") { _, _, _ in true }
    expectUserError([foreign.path, "--graph", "correlation", "--out", out], mentions: ["someone-elses-task", "--task"])
    // A transformer has no neuron graph here.
    let transformer = try Network<Float>(
      architecture: .transformer(
        TransformerArchitecture(
          vocabularySize: 5, contextLength: 3, modelWidth: 8, heads: 2, mlpWidth: 16, blocks: 1, layerNorm: false,
          causal: true, activation: .relu, head: .lastPosition, classes: 4)), seed: 0)
    let transformerURL = folder.appendingPathComponent("transformer.safetensors")
    try ModelFile.write(
      transformer, metadata: ModelMetadata(architecture: transformer.architecture, task: "modular-addition"), to: transformerURL)
    expectUserError([transformerURL.path, "--out", out], mentions: ["MLP and CNN"])
  }
}
