import Autodiff
import Networks
import Tensors

/// Runs many lesioned copies of a network over a dataset as a few large forward passes.
///
/// The activations up to the lesioned site are computed once per data chunk (from the last
/// main-path site at or before it); a group of `G` lesions is then one batch of `G * n` rows:
/// the shared prefix broadcast against `G` unit masks, run through the rest of the network
/// only. No network is copied.
///
/// In an MLP without residual connections a lesion of layer `k` changes the next layer's
/// pre-activations by a low-rank term: with the units `S` replaced by `r` (the activation of 0
/// for an incoming-weights lesion, 0 for an output lesion),
/// `pre_{k+1} = pre_{k+1}^full - (post_k[:, S] - r_S) W_{k+1}[:, S]^T`. Then the unlesioned
/// `pre_{k+1}` is computed once and each lesion costs an `n x |S| x width` product instead of
/// `n x width x width` (``usesLinearShortcut``); results equal the direct computation up to
/// rounding.
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
  /// The low-rank update of the next linear layer, when it applies.
  let shortcut: LinearShortcut<Scalar>?

  init(network: Network<Scalar>, site: String, elementBudget: Int, allowsShortcut: Bool = true) throws {
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
    self.elementBudget = Swift.max(1, elementBudget)
    self.shortcut = allowsShortcut ? try LinearShortcut(network: network, site: site) : nil
    let startName = shortcut?.postSite ?? start.name
    self.startSite = startName
    self.startShape = sites.first { $0.name == startName }?.shape ?? start.shape
  }

  /// Whether lesions use the low-rank update of the next linear layer.
  var usesLinearShortcut: Bool { shortcut != nil }

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
    let perSample = Swift.max(siteShape.reduce(1, *), startShape.reduce(1, *), shortcut?.weight.shape[0] ?? 0)
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

  /// The activations at ``startSite`` for `inputs`, and with the shortcut the unlesioned
  /// pre-activations of the next layer.
  func prefix(_ inputs: Tensor<Scalar>) throws -> LesionPrefix<Scalar> {
    let activations =
      startSite == "input"
      ? inputs : try network.forward(Variable(inputs), options: ForwardOptions(stopSite: startSite)).output.value
    return LesionPrefix(activations: activations, next: shortcut.map { $0.next(activations) })
  }

  /// Predictions of `G = unitSets.count` lesioned networks on the `n` samples whose start-site
  /// activations are `prefix`, as one batch of `G * n` rows (set-major).
  private func groupPredictions(prefix: LesionPrefix<Scalar>, unitSets: [[Int]]) throws -> [Int] {
    let logits = try groupLogits(prefix: prefix, unitSets: unitSets)
    return logits.reshaped([logits.shape[0], -1]).argmax(axis: 1)
  }

  /// The logits `[G * n, classes]` of `G = unitSets.count` lesioned networks on the `n`
  /// samples whose start-site activations are `prefix` (set-major rows).
  func groupLogits(prefix lesionPrefix: LesionPrefix<Scalar>, unitSets: [[Int]]) throws -> Tensor<Scalar> {
    let prefix = lesionPrefix.activations
    if let shortcut, let next = lesionPrefix.next {
      let stacked = Tensor.concatenate(unitSets.map { shortcut.lesioned(next, post: prefix, units: $0) }, axis: 0)
      return try network.forward(Variable(stacked), options: ForwardOptions(startSite: shortcut.nextSite)).output.value
    }
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

/// The activations a group of lesions starts from.
struct LesionPrefix<Scalar: TensorScalar> {
  /// At ``BatchedLesions/startSite``, `[n, ...]`.
  let activations: Tensor<Scalar>
  /// With the linear shortcut: the next layer's unlesioned pre-activations `[n, width']`.
  let next: Tensor<Scalar>?
}

/// The low-rank lesion update through the linear layer after a lesioned MLP layer (see
/// ``BatchedLesions``).
struct LinearShortcut<Scalar: TensorScalar> {
  /// "layers.k.post": the lesioned layer's outputs.
  let postSite: String
  /// "layers.{k+1}.pre", or "logits" after the last hidden layer.
  let nextSite: String
  /// `W_{k+1}` `[width', width]` and its bias.
  let weight: Tensor<Scalar>
  let bias: Tensor<Scalar>
  /// The output of a lesioned unit, `[width]`.
  let replacement: Tensor<Scalar>

  /// The shortcut for a lesion at `site`, or nil when it does not apply (not an MLP hidden
  /// layer's "pre" or "post" site, or residual connections).
  init?(network: Network<Scalar>, site: String) throws {
    guard case .mlp(let architecture) = network.architecture, !architecture.residual else { return nil }
    let parts = site.split(separator: ".")
    let hidden = architecture.widths.count - 2
    guard parts.count == 3, parts[0] == "layers", let k = Int(parts[1]), k >= 0, k < hidden,
      parts[2] == "pre" || parts[2] == "post",
      let weight = network.parameters["layers.\(k + 1).weight"], let bias = network.parameters["layers.\(k + 1).bias"]
    else { return nil }
    let width = architecture.widths[k + 1]
    self.postSite = "layers.\(k).post"
    self.nextSite = k + 1 < hidden ? "layers.\(k + 1).pre" : "logits"
    self.weight = weight
    self.bias = bias
    if parts[2] == "pre" {
      // The activation of a zero pre-activation, unit by unit.
      self.replacement = try network.forward(
        Variable(Tensor.zeros([1, width])), options: ForwardOptions(startSite: "layers.\(k).pre", stopSite: postSite)
      ).output.value.reshaped([width])
    } else {
      self.replacement = Tensor.zeros([width])
    }
  }

  /// The next layer's unlesioned pre-activations for outputs `post` `[n, width]`.
  func next(_ post: Tensor<Scalar>) -> Tensor<Scalar> {
    post.matmul(weight, transposeOther: true) + bias
  }

  /// The next layer's pre-activations with `units` lesioned: `next - (post[:, S] - r_S) W[:, S]^T`.
  func lesioned(_ next: Tensor<Scalar>, post: Tensor<Scalar>, units: [Int]) -> Tensor<Scalar> {
    guard !units.isEmpty else { return next }
    let change = post.gathering(units, axis: 1) - replacement.gathering(units)
    return next - change.matmul(weight.gathering(units, axis: 1), transposeOther: true)
  }
}
