import Networks

/// One node layer: a main-path site whose activation is everything that crosses the cut.
///
/// A per-sample activation of shape `[T, d]` is read as `T` positions of width `d` (positions
/// pooled in the Gram matrix, as in rib); `[d]` is one position; a feature map `[C, H, W]` is
/// flattened into one position of width `C*H*W` (nothing is assumed about spatial structure).
public struct NodeLayer: Codable, Sendable, Hashable {
  /// The site's name.
  public var site: String
  /// The site's per-sample shape.
  public var shape: [Int]

  public init(site: String, shape: [Int]) {
    self.site = site
    self.shape = shape
  }

  /// The number of positions P.
  public var positions: Int { shape.count == 2 ? shape[0] : 1 }
  /// The width n of one position.
  public var width: Int { shape.count == 2 ? shape[1] : shape.reduce(1, *) }
}

/// Choosing and checking node layers.
public enum NodeLayers {
  /// The default node layers: every main-path site that ends a layer or block and the logits.
  /// MLPs: each hidden layer's output (`layers.k.post`, or `layers.k.out` with a residual
  /// connection) and the logits; CNNs: each stage's output (`conv.k.pool` or `conv.k.post`),
  /// each dense layer's output and the logits; transformers: rib's layout, the residual stream
  /// before attention (`embed`, all positions), after attention (`blocks.b.resid_mid`), after
  /// the MLP (`blocks.b.resid_post`) and the logits. Inputs, pre-activations, BatchNorm
  /// outputs, `flatten` and the final LayerNorm are left out.
  public static func defaults<Scalar>(for network: Network<Scalar>) -> [NodeLayer] {
    let main = network.sites.filter(\.isOnMainPath)
    let names = Set(main.map(\.name))
    return main.filter { site in
      let name = site.name
      if name == "input" || name == "flatten" || name == "final" { return false }
      if name.hasSuffix(".pre") || name.hasSuffix(".norm") { return false }
      if name.hasSuffix(".post") {
        let stem = name.dropLast(".post".count)
        if names.contains(stem + ".pool") || names.contains(stem + ".out") { return false }
      }
      return true
    }.map { NodeLayer(site: $0.name, shape: $0.shape) }
  }

  /// The node layers named `names`, checked: known, on the main path, in forward order, at
  /// least two, and not the integer input of a token model.
  public static func resolve<Scalar>(_ names: [String]?, in network: Network<Scalar>) throws -> [NodeLayer] {
    let layers: [NodeLayer]
    if let names {
      let sites = network.sites
      let mainNames = sites.filter(\.isOnMainPath).map(\.name)
      var result: [NodeLayer] = []
      var lastIndex = -1
      for name in names {
        guard let index = sites.firstIndex(where: { $0.name == name }) else {
          throw InteractionBasisError.unknownNodeLayer(name, available: mainNames)
        }
        guard sites[index].isOnMainPath else { throw InteractionBasisError.sideSite(name) }
        if index <= lastIndex { throw InteractionBasisError.outOfOrder(name, after: sites[lastIndex].name) }
        if name == "input", case .transformer = network.architecture {
          throw InteractionBasisError.invalidOption("the input of a token model (ids) cannot be a node layer")
        }
        lastIndex = index
        result.append(NodeLayer(site: name, shape: sites[index].shape))
      }
      layers = result
    } else {
      layers = defaults(for: network)
    }
    guard layers.count >= 2 else { throw InteractionBasisError.tooFewNodeLayers(layers.count) }
    return layers
  }
}
