import Tensors

/// A residual block: a stage that adds a contribution to the residual stream, `h -> h + f(h)`.
///
/// Removing the block (see ``Architecture/removingBlocks(_:)``) makes the residual stream skip
/// it: `h -> h`, the same function as the block with its contribution `f(h)` zeroed.
public struct ResidualBlock: Sendable, Hashable, Codable {
  /// The block's number in its architecture: hidden layer `k` of a residual MLP, block `b` of a
  /// transformer.
  public var index: Int
  /// The main-path site holding the residual stream right after the block ("layers.k.out",
  /// "blocks.b.resid_post").
  public var outputSite: String
  /// Sites whose activations are the block's additive contributions; zeroing all of them
  /// turns the block into the identity ("layers.k.post"; "blocks.b.attn.out" and "blocks.b.mlp.out").
  public var contributionSites: [String]
  /// The parameters only this block reads (they disappear with it).
  public var parameterNames: [String]
}

extension Architecture {
  /// The residual blocks, in forward order: the residual hidden layers of an MLP (a hidden layer
  /// `k > 0` whose input and output widths are equal), every block of a transformer, none for a CNN.
  public var residualBlocks: [ResidualBlock] {
    switch self {
    case .mlp(let a):
      return (0..<Swift.max(a.widths.count - 2, 0)).filter(a.isResidual).map { k in
        ResidualBlock(
          index: k, outputSite: "layers.\(k).out", contributionSites: ["layers.\(k).post"],
          parameterNames: ["layers.\(k).weight", "layers.\(k).bias"])
      }
    case .transformer(let a):
      let specs = a.parameterSpecs
      return (0..<a.blocks).map { b in
        ResidualBlock(
          index: b, outputSite: "blocks.\(b).resid_post",
          contributionSites: ["blocks.\(b).attn.out", "blocks.\(b).mlp.out"],
          parameterNames: specs.map(\.name).filter { $0.hasPrefix("blocks.\(b).") })
      }
    case .cnn:
      return []
    }
  }

  /// The architecture with the residual blocks numbered `indices` taken out (the residual
  /// stream skips them), and how the parameters of the remaining layers are renamed
  /// (old name -> new name; the removed blocks' parameters are absent).
  ///
  /// MLP: hidden layer `k` and its width entry go, later layers shift down by one per removed
  /// layer before them. Transformer: `blocks` shrinks and later blocks are renumbered.
  ///
  /// - Throws: ``NetworkError/invalidArchitecture(_:)`` when an index is not a residual block
  ///   (including every index of a CNN).
  public func removingBlocks(_ indices: Set<Int>) throws -> (architecture: Architecture, renaming: [String: String]) {
    let blocks = residualBlocks
    let available = Set(blocks.map(\.index))
    for index in indices.sorted() where !available.contains(index) {
      let list = blocks.isEmpty ? "it has none" : "they are \(blocks.map { String($0.index) }.joined(separator: ", "))"
      throw NetworkError.invalidArchitecture("\(summary): \(index) is not a residual block; \(list)")
    }
    func renaming(prefix: String, keptOldIndices: [Int]) -> [String: String] {
      var result: [String: String] = [:]
      let newIndex = Dictionary(uniqueKeysWithValues: keptOldIndices.enumerated().map { ($1, $0) })
      for spec in parameterSpecs {
        let parts = spec.name.split(separator: ".", maxSplits: 2).map(String.init)
        guard parts.count == 3, parts[0] == prefix, let old = Int(parts[1]) else {
          result[spec.name] = spec.name
          continue
        }
        if let new = newIndex[old] { result[spec.name] = "\(prefix).\(new).\(parts[2])" }
      }
      return result
    }
    switch self {
    case .mlp(var a):
      let layerCount = a.widths.count - 1
      let kept = (0..<layerCount).filter { !indices.contains($0) }
      a.widths = [a.widths[0]] + kept.map { a.widths[$0 + 1] }
      return (.mlp(a), renaming(prefix: "layers", keptOldIndices: kept))
    case .transformer(var a):
      let kept = (0..<a.blocks).filter { !indices.contains($0) }
      a.blocks = kept.count
      return (.transformer(a), renaming(prefix: "blocks", keptOldIndices: kept))
    case .cnn:
      return (self, [:])
    }
  }
}

extension Network {
  /// The network with the residual blocks numbered `indices` removed: the residual stream skips
  /// them, so the result computes what this network computes with those blocks' contributions
  /// zeroed. The remaining parameters are shared (renamed where later blocks shift down).
  ///
  /// - Throws: ``NetworkError/invalidArchitecture(_:)`` when an index is not a residual block.
  public func removingBlocks(_ indices: Set<Int>) throws -> Network {
    let (architecture, renaming) = try self.architecture.removingBlocks(indices)
    var kept: [String: Tensor<Scalar>] = [:]
    for (old, new) in renaming { kept[new] = parameters[old] }
    return try Network(architecture: architecture, parameters: kept)
  }
}
