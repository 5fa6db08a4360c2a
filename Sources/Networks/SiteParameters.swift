import Autodiff
import Tensors

extension Network {
  /// Splits the forward pass at the given sites and returns, per site (in the order given),
  /// the parameters read after the previous of these sites in forward order and up to this one:
  /// the parameters that compute the layer from the one before it.
  ///
  /// For a residual MLP analysed at "layers.0.post", "layers.1.out", ..., "logits", that is
  /// hidden layer k's weight and bias for each layer and the readout for "logits". Parameters
  /// read after the last given site belong to none. Buffers (BatchNorm running statistics) are
  /// included; filter with ``trainableParameterNames`` for training.
  ///
  /// - Throws: ``NetworkError/unknownSite(_:available:)`` for a name that is not a site.
  public func parameterOwnership(of siteNames: [String]) throws -> [[String]] {
    let names = sites.map(\.name)
    for name in siteNames where !names.contains(name) { throw NetworkError.unknownSite(name, available: names) }
    let context = SiteContext(options: ForwardOptions<Scalar>(), parameters: parameterVariables(trainable: []))
    context.recordsOrder = true
    _ = try run(Variable(Tensor.zeros([1] + architecture.inputShape)), context: context, from: nil)
    // The position of each requested site in the visit order.
    let visited = context.order.map(\.0)
    let positions = siteNames.map { name in visited.firstIndex(of: name) ?? -1 }
    var result = [[String]](repeating: [], count: siteNames.count)
    var owned = Set<String>()
    for read in context.parameterReads where !owned.contains(read.name) {
      // A read that happened after `sitesBefore` visits belongs to the first requested site
      // visited at or after position `sitesBefore`.
      let owner = positions.enumerated().filter { $0.element >= read.sitesBefore }.min { $0.element < $1.element }
      guard let owner else { continue }
      result[owner.offset].append(read.name)
      owned.insert(read.name)
    }
    return result
  }
}
