import Datasets
import Foundation
import Networks
import NeuronModules
import Tensors

extension ModulesRun {
  /// Clusters the graph, runs the shuffle test and compares with planted parts.
  public static func analyze(
    _ setup: GraphSetup, source: String, task: String?, architecture: String?, planted: PlantedContext?,
    statistics: StatisticsContext?, options: ModulesOptions, started: Date
  ) throws -> ModulesOutput {
    let graph = setup.graph
    let clusteringOptions = SpectralClusteringOptions(clusterCount: options.clusters, seed: options.seed)
    let clusteringStarted = Date()
    let partition = try cluster(graph, clusteringOptions, statuses: setup.statuses)
    let clusteringSeconds = Date().timeIntervalSince(clusteringStarted)
    var notes = setup.notes
    let isolated = zip(graph.liveStatuses, setup.statuses).filter { $0 == "isolated" && $1 == "isolated" }.count
    if isolated > 0 {
      notes.append("\(isolated) node(s) have no edges (dead or disconnected units) and are left out (cluster -1).")
    }
    let components = graph.componentCount
    if components > 1 {
      notes.append(
        "The graph of live nodes has \(components) connected components. It is clustered anyway: "
          + (components >= options.clusters
            ? "with k = \(options.clusters) <= \(components) components every cluster is a union of whole components and the n-cut is 0."
            : "components are never joined by an edge, so each cluster's cut counts only edges inside its component."))
    }
    let used = Set(partition.labels.filter { $0 >= 0 })
    if used.count < options.clusters {
      notes.append("k-means left \(options.clusters - used.count) of the \(options.clusters) clusters empty.")
    }

    var shuffle: ModulesOutput.Shuffle?
    var shuffleSkipped: String?
    if options.shuffles > 0 {
      let shuffleStarted = Date()
      let build = setup.shuffledGraph
      let test: ClusterabilityTest
      do {
        test = try ClusterabilityTest.run(
          normalizedCut: partition.normalizedCut, shuffles: options.shuffles, seed: options.seed &+ 0x5EED,
          threads: options.threads
        ) { seed in
          try build(seed).spectralClustering(clusteringOptions).normalizedCut
        }
      } catch let error as NeuronModulesError {
        throw AnalysisError("a shuffled graph could not be clustered: \(error)")
      }
      shuffle = ModulesOutput.Shuffle(
        nullModel: setup.nullModel, normalizedCuts: test.shuffledNormalizedCuts, mean: test.mean,
        standardDeviation: test.standardDeviation, z: test.zScore, p: test.pValue,
        seconds: Date().timeIntervalSince(shuffleStarted))
    } else {
      shuffleSkipped = "--shuffles 0"
    }

    var plantedParts = [Int?](repeating: nil, count: graph.nodeCount)
    var plantedShares = [Double?](repeating: nil, count: graph.nodeCount)
    var plantedOutput: ModulesOutput.Planted?
    if let planted {
      (plantedOutput, plantedParts, plantedShares) = try comparePlanted(
        planted, graph: graph, labels: partition.labels, options: options)
    }

    let statisticsStarted = Date()
    var subClusterStatistics: ModuleStatistics?
    var statisticsSkipped: String?
    if let statistics {
      (subClusterStatistics, statisticsSkipped) = try Self.subClusterStatistics(
        statistics, graph: graph, labels: partition.labels, options: options)
    } else {
      statisticsSkipped =
        setup.kind == "adjacency"
        ? "an adjacency file has no network to lesion"
        : options.runsStatistics ? "no task data (pass --task)" : "--lesion-trials 0 --coherence none"
    }
    let statisticsSeconds = subClusterStatistics == nil ? 0 : Date().timeIntervalSince(statisticsStarted)

    let nodes = graph.nodes.enumerated().map { i, node in
      ModulesOutput.Node(
        layer: node.layer, layerName: node.layerName, unit: node.unit, cluster: partition.labels[i],
        status: setup.statuses[i], plantedPart: plantedParts[i], plantedShare: plantedShares[i])
    }
    let layers = graph.layerNodeIndices.map { layer in
      var sizes = [Int](repeating: 0, count: options.clusters)
      for i in layer.nodes where partition.labels[i] >= 0 { sizes[partition.labels[i]] += 1 }
      return ModulesOutput.Layer(
        index: layer.layer, name: layer.name, width: layer.nodes.count,
        liveUnits: layer.nodes.filter { partition.labels[$0] >= 0 }.count, clusterSizes: sizes)
    }
    let sizes = (0..<options.clusters).map { c in partition.labels.filter { $0 == c }.count }
    let clusters = try graph.adjacency.normalizedCutTerms(labels: partition.labels).map {
      ModulesOutput.Cluster(label: $0.label, size: sizes[$0.label], cut: $0.cut, volume: $0.volume, normalizedCut: $0.value)
    }
    return ModulesOutput(
      source: source, task: task, architecture: architecture, graphDescription: setup.description,
      options: .init(
        graph: setup.kind, scope: setup.scope?.rawValue, clusters: options.clusters, shuffles: options.shuffles,
        seed: options.seed, excludeIO: options.excludeIO, kernelNorm: setup.kernelNorm?.rawValue, samples: setup.samples),
      nodeCount: graph.nodeCount, liveNodeCount: graph.liveNodes.count, edgeCount: graph.adjacency.storedEntryCount / 2,
      componentCount: components, eigenSolver: partition.embedding.solver.rawValue,
      kMeansInitializations: partition.initializations, normalizedCut: partition.normalizedCut, layers: layers, nodes: nodes,
      clusters: clusters, strongestEdges: strongestEdges(graph, perBlock: ModulesOptions.drawnEdgesPerBlock), shuffle: shuffle,
      shuffleSkipped: shuffleSkipped, planted: plantedOutput, subClusterStatistics: subClusterStatistics,
      subClusterStatisticsSkipped: statisticsSkipped, notes: notes,
      timings: .init(
        graphSeconds: setup.seconds, clusteringSeconds: clusteringSeconds, shuffleSeconds: shuffle?.seconds ?? 0,
        statisticsSeconds: statisticsSeconds,
        totalSeconds: Date().timeIntervalSince(started)))
  }

  /// Spectral clustering with errors that say what to change.
  public static func cluster(_ graph: NeuronGraph, _ options: SpectralClusteringOptions, statuses: [String]) throws
    -> SpectralPartition
  {
    do {
      return try graph.spectralClustering(options)
    } catch NeuronModulesError.tooManyClusters(let k, let live) {
      let constant = statuses.filter { $0 == "constant" || $0 == "non-finite" }.count
      let leftOut = graph.nodeCount - live
      let detail =
        leftOut == 0
        ? ""
        : " (\(leftOut) of \(graph.nodeCount) nodes are left out: "
          + (constant > 0 ? "\(constant) with constant or non-finite values, " : "") + "\(leftOut - constant) without edges)"
      throw AnalysisError(
        "--clusters \(k) is more than the \(live) live node\(live == 1 ? "" : "s") of the graph\(detail); use --clusters "
          + (live >= 2 ? "\(live) or fewer" : "2 or more on a graph with more live nodes"))
    } catch NeuronModulesError.emptyGraph {
      throw AnalysisError("the graph has no edges (all \(graph.nodeCount) nodes are isolated): nothing to cluster")
    } catch let error as NeuronModulesError {
      throw AnalysisError("spectral clustering failed: \(error)")
    }
  }

  /// The strongest `perBlock` edges between each pair of layers (and within each layer).
  public static func strongestEdges(_ graph: NeuronGraph, perBlock: Int) -> [ModulesOutput.Edge] {
    var blocks: [Int: [ModulesOutput.Edge]] = [:]
    let layerIndex = Dictionary(uniqueKeysWithValues: graph.layerNodeIndices.enumerated().map { ($1.layer, $0) })
    let count = layerIndex.count
    graph.adjacency.forEachEntry { i, j, value in
      guard i < j else { return }
      let (a, b) = (layerIndex[graph.nodes[i].layer]!, layerIndex[graph.nodes[j].layer]!)
      blocks[Swift.min(a, b) * count + Swift.max(a, b), default: []].append(.init(from: i, to: j, weight: value))
    }
    return blocks.keys.sorted().flatMap { key in
      blocks[key]!.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : ($0.from, $0.to) < ($1.from, $1.to) }
        .prefix(perBlock)
    }
  }

  /// The planted part of every unit and the agreement of clusters with them.
  ///
  /// Input unit `i`: part `i / featuresPerPart`. Hidden unit: the part whose resampling changes
  /// its pre-activation most (``InputGroupDependence`` on the test inputs). Output units have
  /// none: every class depends on every part.
  public static func comparePlanted(_ planted: PlantedContext, graph: NeuronGraph, labels: [Int], options: ModulesOptions) throws
    -> (ModulesOutput.Planted?, [Int?], [Double?])
  {
    let sites = try unitLayerSites(of: planted.network)
    let hiddenLayers = Set(sites.filter(\.isHidden).map(\.layer.index))
    let hidden = graph.nodes.indices.filter { hiddenLayers.contains(graph.nodes[$0].layer) }
    var parts = [Int?](repeating: nil, count: graph.nodeCount)
    for (i, node) in graph.nodes.enumerated() where node.layer == 0 {
      parts[i] = planted.task.plantedPart(ofInput: node.unit)
    }
    let dependence = try InputGroupDependence(
      network: planted.network, units: hidden.map { graph.nodes[$0] }, inputs: planted.inputs,
      inputGroups: planted.task.plantedParts, seed: options.seed)
    var shares = [Double?](repeating: nil, count: graph.nodeCount)
    for (r, i) in hidden.enumerated() {
      parts[i] = dependence.dominantGroups[r]
      shares[i] = dependence.dominantShares[r]
    }
    let compared = hidden.filter { labels[$0] >= 0 && (parts[$0] ?? -1) >= 0 }
    guard compared.count >= 2 else { return (nil, parts, shares) }
    func ari(_ nodes: [Int]) -> Double { adjustedRandIndex(nodes.map { labels[$0] }, nodes.map { parts[$0]! }) }
    let inputs = graph.nodes.indices.filter { graph.nodes[$0].layer == 0 && labels[$0] >= 0 }
    var contingency = [[Int]](
      repeating: [Int](repeating: 0, count: planted.task.partCount), count: options.clusters)
    for i in compared { contingency[labels[i]][parts[i]!] += 1 }
    let purity = Double(contingency.reduce(0) { $0 + ($1.max() ?? 0) }) / Double(compared.count)
    let liveShares = hidden.indices.filter { dependence.dominantGroups[$0] >= 0 }.map { dependence.dominantShares[$0] }
    return (
      ModulesOutput.Planted(
        definition:
          "input unit i: part i / \(planted.task.featuresPerPart); hidden unit: the part whose resampling (its "
          + "\(planted.task.featuresPerPart) features replaced by those of a randomly paired test input) changes the unit's "
          + "pre-activation most in mean square over the \(planted.inputs.shape[0]) test inputs; output units: none",
        parts: planted.task.partCount, hiddenUnits: compared.count, hiddenARI: ari(compared),
        layerARI: graph.layerNodeIndices.compactMap { layer in
          let members = Set(layer.nodes)
          let units = compared.filter { members.contains($0) }
          return units.count >= 2 ? .init(layer: layer.name, units: units.count, ari: ari(units)) : nil
        },
        inputARI: inputs.count >= 2 ? ari(inputs) : nil,
        inputAndHiddenARI: inputs.count >= 2 ? ari(inputs + compared) : nil, purity: purity,
        meanDominantShare: liveShares.isEmpty ? 0 : liveShares.reduce(0, +) / Double(liveShares.count),
        contingency: contingency),
      parts, shares
    )
  }
}
