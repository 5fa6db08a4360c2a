import Networks
import Tensors

/// Which group of input features each unit of a network depends on, measured by resampling:
/// used to assign hidden units to the planted parts of a task whose inputs fall into
/// independent groups (``PlantedModulesTask``'s parts), so that clusters can be compared with
/// the planted structure.
///
/// For unit `u` and group `g`, the sensitivity is
/// `S[u][g] = mean_i (z_u(x_i) - z_u(x_i with group g's features taken from x_pi(i)))^2`,
/// where `z_u` is the unit's pre-activation and `pi` one seeded random permutation of the
/// samples (the same for every group). When the groups are independent, replacing group `g`
/// by another sample's draws it again from its own distribution, so `S[u][g]` measures how
/// much of the unit's variation comes from group `g`, through any nonlinearity before it.
/// The unit's group is the one of largest sensitivity, or -1 when no resampling changes it.
public struct InputGroupDependence: Sendable {
  /// The units, in the order asked for.
  public let units: [NeuronNode]
  /// The number of input groups.
  public let groupCount: Int
  /// `sensitivities[u][g]`, see the type's description.
  public let sensitivities: [[Double]]
  /// The group of largest sensitivity per unit (the first on a tie), -1 when all are 0.
  public let dominantGroups: [Int]
  /// `S[u][dominant] / sum_g S[u][g]` per unit: 1 when the unit reads one group only, `1 / G`
  /// when it reads all alike; 0 for a unit without a dominant group.
  public let dominantShares: [Double]

  /// Measures the dependence of `units` (nodes of an MLP or CNN unit layer, see
  /// ``unitLayerSites(of:)``; not input units) on the input groups.
  ///
  /// - Parameters:
  ///   - inputs: `[n, ...inputShape]`, at least 2 samples.
  ///   - inputGroups: the group `0..<G` of every input feature (flattened), or -1 for a
  ///     feature in no group.
  /// - Throws: ``NeuronModulesError`` for a unit not in the network, an input layer unit,
  ///   a group list of the wrong length, or inputs of the wrong shape.
  public init<Scalar: TensorScalar>(
    network: Network<Scalar>, units: [NeuronNode], inputs: Tensor<Scalar>, inputGroups: [Int], seed: UInt64 = 0
  ) throws {
    let features = network.architecture.inputShape.reduce(1, *)
    guard inputGroups.count == features else {
      throw NeuronModulesError.invalidShape("\(inputGroups.count) input groups for \(features) input features")
    }
    guard inputs.rank >= 1, inputs.shape[0] >= 2 else {
      throw NeuronModulesError.invalidShape("the dependence on input groups needs at least 2 samples")
    }
    let groupCount = (inputGroups.max() ?? -1) + 1
    let available = try unitLayerSites(of: network)
    var layers: [UnitLayerSite] = []
    var locations: [(layer: Int, unit: Int)] = []
    for node in units {
      guard let site = available.first(where: { $0.layer.index == node.layer && $0.layer.name == node.layerName }),
        node.unit >= 0, node.unit < site.layer.width
      else {
        throw NeuronModulesError.invalidOption(
          "unit \(node.unit) of layer \(node.layer) \"\(node.layerName)\" is not a unit of the network's layers after the input")
      }
      if !layers.contains(site) { layers.append(site) }
      locations.append((layers.firstIndex(of: site)!, node.unit))
    }
    let n = inputs.shape[0]
    var generator = SeededGenerator(seed: seed)
    let permutation = generator.permutation(n)
    let baseline = try capturedUnitValues(of: network, inputs: inputs, layers: layers)
    var sensitivities = [[Double]](repeating: [Double](repeating: 0, count: groupCount), count: units.count)
    for group in 0..<groupCount {
      let members = inputGroups.indices.filter { inputGroups[$0] == group }
      if members.isEmpty { continue }
      var scalars = inputs.scalars
      for i in 0..<n {
        let (target, source) = (i * features, permutation[i] * features)
        for f in members { scalars[target + f] = inputs.scalars[source + f] }
      }
      let resampled = try capturedUnitValues(
        of: network, inputs: Tensor(shape: inputs.shape, scalars: scalars), layers: layers)
      for (u, location) in locations.enumerated() {
        let width = layers[location.layer].layer.width
        let (before, after) = (baseline[location.layer].scalars, resampled[location.layer].scalars)
        var sum = 0.0
        for i in 0..<n {
          let change = after[i * width + location.unit] - before[i * width + location.unit]
          sum += change * change
        }
        sensitivities[u][group] = sum / Double(n)
      }
    }
    var dominant: [Int] = []
    var shares: [Double] = []
    for row in sensitivities {
      let total = row.reduce(0, +)
      guard total > 0, let best = row.indices.max(by: { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }) else {
        dominant.append(-1)
        shares.append(0)
        continue
      }
      dominant.append(best)
      shares.append(row[best] / total)
    }
    self.units = units
    self.groupCount = groupCount
    self.sensitivities = sensitivities
    self.dominantGroups = dominant
    self.dominantShares = shares
  }
}
