import Autodiff
import Networks
import Tensors

/// Runs many lesioned copies of a network over a dataset as a few large forward passes.
///
/// The activations up to the lesioned site are computed once per data chunk (from the last
/// main-path site at or before it); a group of `G` lesions is then one batch of `G * n` rows:
/// the shared prefix broadcast against `G` unit masks, run through the rest of the network
/// only. No network is copied.
struct BatchedLesions<Scalar: TensorScalar> {
  let network: Network<Scalar>
  /// The site whose units are zeroed.
  let site: String
  /// The per-sample shape at ``site``: `[units]` or `[channels, height, width]`.
  let siteShape: [Int]
  /// The main-path site the rest of the forward pass starts from (``site`` itself when it is
  /// on the main path, else the nearest main-path site before it).
  let startSite: String
  let startShape: [Int]
  /// The largest number of activation elements one batch may hold.
  let elementBudget: Int

  init(network: Network<Scalar>, site: String, elementBudget: Int) throws {
    let sites = network.sites
    guard let index = sites.firstIndex(where: { $0.name == site }) else {
      throw NeuronModulesError.invalidOption("the network has no site \"\(site)\"")
    }
    guard sites[index].shape.count == 1 || sites[index].shape.count == 3 else {
      throw NeuronModulesError.unsupportedArchitecture(
        "lesions at \"\(site)\" with per-sample shape \(sites[index].shape) (expected [units] or [C, H, W])")
    }
    guard let start = sites[...index].last(where: \.isOnMainPath) else {
      throw NeuronModulesError.invalidOption("no main-path site precedes \"\(site)\"")
    }
    self.network = network
    self.site = site
    self.siteShape = sites[index].shape
    self.startSite = start.name
    self.startShape = start.shape
    self.elementBudget = Swift.max(1, elementBudget)
  }

  /// The number of units along the unit axis (axis 0 of the per-sample shape).
  var unitCount: Int { siteShape[0] }

  /// The predicted class of every sample with each unit set lesioned: `[sets][samples]`.
  func predictions(inputs: Tensor<Scalar>, unitSets: [[Int]]) throws -> [[Int]] {
    for set in unitSets {
      for u in set where u < 0 || u >= unitCount {
        throw NeuronModulesError.invalidOption("unit \(u) is outside \"\(site)\", which has \(unitCount) units")
      }
    }
    let sampleCount = inputs.shape[0]
    var result = [[Int]](repeating: [], count: unitSets.count)
    guard sampleCount > 0, !unitSets.isEmpty else { return result }
    let perSample = Swift.max(siteShape.reduce(1, *), startShape.reduce(1, *))
    let chunk = Swift.max(1, Swift.min(sampleCount, elementBudget / perSample))
    var begin = 0
    while begin < sampleCount {
      let end = Swift.min(sampleCount, begin + chunk)
      let part = begin == 0 && end == sampleCount ? inputs : inputs.slice(axis: 0, begin..<end)
      let prefix = try self.prefix(part)
      let n = end - begin
      let groupSize = Swift.max(1, Swift.min(unitSets.count, elementBudget / (n * perSample)))
      var first = 0
      while first < unitSets.count {
        let last = Swift.min(unitSets.count, first + groupSize)
        let predicted = try groupPredictions(prefix: prefix, unitSets: Array(unitSets[first..<last]))
        for g in 0..<(last - first) { result[first + g] += predicted[(g * n)..<((g + 1) * n)] }
        first = last
      }
      begin = end
    }
    return result
  }

  /// The activations at ``startSite`` for `inputs`.
  func prefix(_ inputs: Tensor<Scalar>) throws -> Tensor<Scalar> {
    if startSite == "input" { return inputs }
    return try network.forward(Variable(inputs), options: ForwardOptions(stopSite: startSite)).output.value
  }

  /// Predictions of `G = unitSets.count` lesioned networks on the `n` samples whose start-site
  /// activations are `prefix`, as one batch of `G * n` rows (set-major).
  private func groupPredictions(prefix: Tensor<Scalar>, unitSets: [[Int]]) throws -> [Int] {
    let logits = try groupLogits(prefix: prefix, unitSets: unitSets)
    return logits.reshaped([logits.shape[0], -1]).argmax(axis: 1)
  }

  /// The logits `[G * n, classes]` of `G = unitSets.count` lesioned networks on the `n`
  /// samples whose start-site activations are `prefix` (set-major rows).
  func groupLogits(prefix: Tensor<Scalar>, unitSets: [[Int]]) throws -> Tensor<Scalar> {
    let (g, n) = (unitSets.count, prefix.shape[0])
    // Masks [G, 1, units] or [G, 1, C, 1, 1]: 0 on the lesioned units, 1 elsewhere.
    let trailing = [Int](repeating: 1, count: siteShape.count - 1)
    var maskScalars = [Scalar](repeating: 1, count: g * unitCount)
    for (k, set) in unitSets.enumerated() { for u in set { maskScalars[k * unitCount + u] = 0 } }
    let mask = Tensor(shape: [g, 1, unitCount] + trailing, scalars: maskScalars)
    let batchShape = [g * n] + siteShape
    let output: Variable<Scalar>
    if startSite == site {
      let lesioned = (prefix.reshaped([1, n] + siteShape) * mask).reshaped(batchShape)
      output = try network.forward(Variable(lesioned), options: ForwardOptions(startSite: startSite)).output
    } else {
      let tiled = Tensor.concatenate([Tensor](repeating: prefix, count: g), axis: 0)
      let groupShape = [g, n] + siteShape
      let zeroing = Intervention<Scalar> { x in (x.reshaped(groupShape) * mask).reshaped(batchShape) }
      output = try network.forward(
        Variable(tiled), options: ForwardOptions(interventions: [site: zeroing], startSite: startSite)
      ).output
    }
    return output.value
  }
}
