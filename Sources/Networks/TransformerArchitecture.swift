import Autodiff
import Tensors

/// A decoder-style transformer over token ids: token and learned positional embeddings,
/// residual blocks of multi-head self-attention and an MLP (optional pre-LayerNorm), and
/// either a classifier head reading the last position or a language-model head.
///
/// Sites: "input" (token ids `[T]`), "embed" (the residual stream before block 0); per
/// block b: "blocks.b.attn.pattern" `[heads, T, T]`, "blocks.b.attn.out", "blocks.b.resid_mid",
/// "blocks.b.mlp.pre", "blocks.b.mlp.post", "blocks.b.mlp.out", "blocks.b.resid_post";
/// "final" (after the final LayerNorm, when LayerNorm is on); "logits" (`[classes]` for the
/// classifier head, `[T, vocabulary]` for the language model).
///
/// With the last-position head, the final block computes queries, the attention output, the
/// MLP and the residual stream at the last position only (their sites have one position):
/// nothing else reaches the logits, so this is the same function at a third of the cost.
public struct TransformerArchitecture: ArchitectureDefinition {
  /// What the network predicts.
  public enum Head: String, Codable, Sendable, Hashable {
    /// Class logits from the last position (modular arithmetic: tokens [a, b, =]).
    case lastPosition
    /// Next-token logits at every position.
    case languageModel
  }

  public var vocabularySize: Int
  public var contextLength: Int
  public var modelWidth: Int
  public var heads: Int
  public var mlpWidth: Int
  public var blocks: Int
  public var layerNorm: Bool
  public var causal: Bool
  public var activation: Activation
  public var head: Head
  /// The number of classes of the last-position head (ignored by the language model).
  public var classes: Int

  public init(
    vocabularySize: Int, contextLength: Int, modelWidth: Int, heads: Int, mlpWidth: Int, blocks: Int,
    layerNorm: Bool = false, causal: Bool = true, activation: Activation = .relu, head: Head = .lastPosition,
    classes: Int? = nil
  ) {
    self.vocabularySize = vocabularySize
    self.contextLength = contextLength
    self.modelWidth = modelWidth
    self.heads = heads
    self.mlpWidth = mlpWidth
    self.blocks = blocks
    self.layerNorm = layerNorm
    self.causal = causal
    self.activation = activation
    self.head = head
    self.classes = classes ?? vocabularySize
  }

  public var inputShape: [Int] { [contextLength] }

  var outputSize: Int { head == .lastPosition ? classes : vocabularySize }

  var parameterSpecs: [ParameterSpec] {
    let d = modelWidth
    let embedScale = 1 / Double(d).squareRoot()
    var specs = [
      ParameterSpec("embed.weight", [vocabularySize, d], .normal(standardDeviation: embedScale)),
      ParameterSpec("pos_embed.weight", [contextLength, d], .normal(standardDeviation: embedScale)),
    ]
    func layerNormSpecs(_ prefix: String) -> [ParameterSpec] {
      [ParameterSpec("\(prefix).weight", [d], .ones), ParameterSpec("\(prefix).bias", [d], .zeros)]
    }
    for b in 0..<blocks {
      if layerNorm { specs += layerNormSpecs("blocks.\(b).ln1") }
      for projection in ["q", "k", "v", "o"] {
        specs += ParameterSpec.linear("blocks.\(b).attn.\(projection)", inputs: d, outputs: d)
      }
      if layerNorm { specs += layerNormSpecs("blocks.\(b).ln2") }
      specs += ParameterSpec.linear("blocks.\(b).mlp.in", inputs: d, outputs: mlpWidth)
      specs += ParameterSpec.linear("blocks.\(b).mlp.out", inputs: mlpWidth, outputs: d)
    }
    if layerNorm { specs += layerNormSpecs("ln_final") }
    specs += ParameterSpec.linear("unembed", inputs: d, outputs: outputSize)
    return specs
  }

  func stages<Scalar: TensorScalar>() -> [Stage<Scalar>] {
    let (heads, causal, layerNorm, activation, head) = (self.heads, self.causal, self.layerNorm, self.activation, self.head)
    var stages: [Stage<Scalar>] = [
      Stage(site: "embed") { ids, c in
        let tokens = c.embedding(ids, "embed")
        let positions = c.parameter("pos_embed.weight").slice(axis: 0, 0..<ids.shape[1])
        return tokens + positions
      }
    ]
    for b in 0..<blocks {
      // With the last-position head, only the last position of the final block reaches the
      // logits, so from its attention on the final block runs at that position alone.
      let lastOnly = head == .lastPosition && b == blocks - 1
      stages.append(
        Stage(site: "blocks.\(b).resid_mid") { x, c in
          let normalized = layerNorm ? c.layerNorm(x, "blocks.\(b).ln1") : x
          let attention = try c.selfAttention(
            normalized, "blocks.\(b).attn", heads: heads, causal: causal, lastQueryOnly: lastOnly)
          let residual = lastOnly ? x.slice(axis: 1, (x.shape[1] - 1)..<x.shape[1]) : x
          return residual + attention
        })
      stages.append(
        Stage(site: "blocks.\(b).resid_post") { x, c in
          let normalized = layerNorm ? c.layerNorm(x, "blocks.\(b).ln2") : x
          let pre = try c.site("blocks.\(b).mlp.pre", c.linear(normalized, "blocks.\(b).mlp.in"))
          let post = try c.site("blocks.\(b).mlp.post", activation(pre))
          return x + (try c.site("blocks.\(b).mlp.out", c.linear(post, "blocks.\(b).mlp.out")))
        })
    }
    if layerNorm { stages.append(Stage(site: "final") { x, c in c.layerNorm(x, "ln_final") }) }
    stages.append(
      Stage(site: "logits") { x, c in
        switch head {
        case .lastPosition:
          let last = x.slice(axis: 1, (x.shape[1] - 1)..<x.shape[1]).squeezingDimension(at: 1)
          return c.linear(last, "unembed")
        case .languageModel:
          return c.linear(x, "unembed")
        }
      })
    return stages
  }

  func validate() throws {
    guard vocabularySize > 0, contextLength > 0, modelWidth > 0, heads > 0, mlpWidth > 0, blocks >= 0, classes > 0 else {
      throw NetworkError.invalidArchitecture("transformer sizes must be positive")
    }
    guard modelWidth % heads == 0 else {
      throw NetworkError.invalidArchitecture("model width \(modelWidth) is not divisible by \(heads) heads")
    }
  }
}
