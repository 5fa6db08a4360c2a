import Networks
import Tensors

/// A sub-cluster (Hod et al.): the units of one cluster within one hidden layer, with the
/// random same-size sets of the same layer it is compared with.
public struct SubCluster: Sendable, Hashable, Codable {
  /// The cluster label.
  public var cluster: Int
  /// The layer's position in the network (``NeuronNode/layer``).
  public var layer: Int
  /// The layer's name (``NeuronNode/layerName``), e.g. "layers.1" or "conv.0".
  public var layerName: String
  /// The site of the layer's pre-activations, "{layerName}.pre".
  public var site: String
  /// The units (neurons, or channels of a CNN) within the layer, increasing.
  public var units: [Int]
  /// The graph node of each unit.
  public var nodes: [Int]
  /// The number of live (clustered, label >= 0) units of the layer.
  public var liveUnitCount: Int
  /// The number of units of the layer in the network (the site's unit axis).
  public var layerWidth: Int
  /// Random sets of ``size`` live units of the same layer (each increasing): the null model
  /// of every test. Dead units (label -1) are never drawn.
  public var randomUnitSets: [[Int]]

  /// The number of units.
  public var size: Int { units.count }
}

/// Which sub-clusters are formed and how many random sets each gets.
public struct SubClusterOptions: Sendable, Hashable {
  /// The smallest sub-cluster kept [2].
  public var minimumSize: Int
  /// The largest sub-cluster kept, as a fraction of the layer's live units [0.99].
  public var maximumFraction: Double
  /// Random same-size sets per sub-cluster, `n` [19, so that rank p-values are multiples of 1/20].
  public var randomSetCount: Int
  /// Seeds the random sets.
  public var seed: UInt64

  public init(minimumSize: Int = 2, maximumFraction: Double = 0.99, randomSetCount: Int = 19, seed: UInt64 = 0) {
    self.minimumSize = minimumSize
    self.maximumFraction = maximumFraction
    self.randomSetCount = randomSetCount
    self.seed = seed
  }
}

extension NeuronGraph {
  /// The sub-clusters of a partition: every cluster intersected with every hidden layer,
  /// kept when it has at least ``SubClusterOptions/minimumSize`` units and at most
  /// ``SubClusterOptions/maximumFraction`` of the layer's live units (the authors'
  /// `MIN_SIZE = 2`, `MAX_PROP = 0.99`).
  ///
  /// A graph layer is hidden when the network has a site "{layerName}.pre" (MLP layers
  /// "layers.k" and CNN stages "conv.k" and "dense.j", not the input or the logits); other
  /// layers are skipped, so a graph without such layers (e.g. from an adjacency file) gives no
  /// sub-clusters. Sub-clusters are ordered by layer, then cluster label.
  ///
  /// - Parameters:
  ///   - labels: the cluster of every node (``SpectralPartition/labels``), -1 for a dead node.
  ///   - network: the network whose units the graph's nodes are.
  /// - Throws: ``NeuronModulesError/labelCount(expected:found:)`` for a labelling of the wrong
  ///   length; ``NeuronModulesError/invalidOption(_:)`` for bad options or a node whose unit does
  ///   not exist in the network's layer.
  public func subClusters<Scalar: TensorScalar>(
    labels: [Int], network: Network<Scalar>, options: SubClusterOptions = .init()
  ) throws -> [SubCluster] {
    guard labels.count == nodes.count else { throw NeuronModulesError.labelCount(expected: nodes.count, found: labels.count) }
    guard options.minimumSize >= 1, options.maximumFraction > 0, options.maximumFraction <= 1 else {
      throw NeuronModulesError.invalidOption(
        "sub-cluster sizes need minimumSize >= 1 and 0 < maximumFraction <= 1, got \(options.minimumSize), \(options.maximumFraction)"
      )
    }
    guard options.randomSetCount >= 1 else {
      throw NeuronModulesError.invalidOption("at least one random set per sub-cluster is needed, got \(options.randomSetCount)")
    }
    var candidates: [SubCluster] = []
    for layer in layerNodeIndices {
      let site = "\(layer.name).pre"
      guard let width = try hiddenLayerWidth(network: network, site: site) else { continue }
      var live: [Int] = []
      var members: [Int: [Int]] = [:]
      for node in layer.nodes {
        let unit = nodes[node].unit
        guard unit >= 0, unit < width else {
          throw NeuronModulesError.invalidOption("node \(node) is unit \(unit) of \"\(layer.name)\", which has \(width) units")
        }
        guard labels[node] >= 0 else { continue }
        live.append(unit)
        members[labels[node], default: []].append(node)
      }
      live.sort()
      for cluster in members.keys.sorted() {
        let clusterNodes = members[cluster]!.sorted { nodes[$0].unit < nodes[$1].unit }
        let size = clusterNodes.count
        guard size >= options.minimumSize, Double(size) <= options.maximumFraction * Double(live.count) else { continue }
        candidates.append(
          SubCluster(
            cluster: cluster, layer: layer.layer, layerName: layer.name, site: site,
            units: clusterNodes.map { nodes[$0].unit }, nodes: clusterNodes, liveUnitCount: live.count, layerWidth: width,
            randomUnitSets: [live]))  // the live units; replaced by random sets below
      }
    }
    var generator = SeededGenerator(seed: options.seed)
    let generators = generator.split(into: candidates.count)
    return candidates.indices.map { i in
      var subCluster = candidates[i]
      var random = generators[i]
      let live = subCluster.randomUnitSets[0]
      subCluster.randomUnitSets = (0..<options.randomSetCount).map { _ in
        random.sample(subCluster.size, from: live.count).map { live[$0] }.sorted()
      }
      return subCluster
    }
  }
}

/// The width of the hidden layer whose pre-activations are `site`, or nil when the network
/// has no such site; throws for a site whose activations are neither `[units]` nor
/// `[channels, height, width]`.
func hiddenLayerWidth<Scalar: TensorScalar>(network: Network<Scalar>, site: String) throws -> Int? {
  guard let shape = network.sites.first(where: { $0.name == site })?.shape else { return nil }
  switch shape.count {
  case 1: return shape[0]
  case 3: return shape[0]
  default:
    throw NeuronModulesError.unsupportedArchitecture(
      "site \"\(site)\" with per-sample shape \(shape) (expected [units] or [C, H, W])")
  }
}
