import Autodiff
import Tensors

/// The layer computations, written once over a forward pass's parameters. Weight layouts
/// follow PyTorch (`Linear.weight` is `[out, in]`, `Conv2d.weight` is `[out, in, kh, kw]`)
/// so that PyTorch state dicts load without transposes.
extension SiteContext {
  /// y = x W^T + b over the last axis.
  func linear(_ x: Variable<Scalar>, _ prefix: String, bias: Bool = true) -> Variable<Scalar> {
    let y = x.matmul(parameter("\(prefix).weight"), transposeOther: true)
    return bias ? y + parameter("\(prefix).bias") : y
  }

  /// 2-D convolution (NCHW) plus a per-channel bias.
  func conv2d(_ x: Variable<Scalar>, _ prefix: String, stride: Int, padding: Int) -> Variable<Scalar> {
    let y = x.conv2d(parameter("\(prefix).weight"), stride: stride, padding: padding)
    let bias = parameter("\(prefix).bias")
    return y + bias.reshaped([1, bias.shape[0], 1, 1])
  }

  /// Batch normalization over the channel axis 1 of `[N, C]` or `[N, C, H, W]`.
  ///
  /// Training uses batch statistics and records updated running averages (momentum 0.1, the
  /// running variance unbiased, as in PyTorch); inference uses the running averages.
  func batchNorm(_ x: Variable<Scalar>, _ prefix: String, epsilon: Scalar = 1e-5, momentum: Scalar = 0.1)
    -> Variable<Scalar>
  {
    let channels = x.shape[1]
    let statShape = x.rank == 4 ? [1, channels, 1, 1] : [1, channels]
    let gamma = parameter("\(prefix).weight").reshaped(statShape)
    let beta = parameter("\(prefix).bias").reshaped(statShape)
    let normalized: Variable<Scalar>
    if options.training {
      // Move channels last and flatten the rest: [M, C].
      let flat = x.rank == 4 ? x.permuted([0, 2, 3, 1]).reshaped([-1, channels]) : x
      let count = flat.shape[0]
      let mean = flat.mean(axis: 0, keepingDimension: true)
      let centered = flat - mean
      let variance = centered.squared().mean(axis: 0, keepingDimension: true)
      let scaled = centered / (variance + epsilon).sqrt()
      normalized =
        x.rank == 4
        ? scaled.reshaped([x.shape[0], x.shape[2], x.shape[3], channels]).permuted([0, 3, 1, 2]) : scaled
      let runningMean = parameter("\(prefix).running_mean").value
      let runningVariance = parameter("\(prefix).running_var").value
      let unbiased = variance.value.reshaped([channels]) * (Scalar(count) / Scalar(Swift.max(count - 1, 1)))
      updatedBuffers["\(prefix).running_mean"] = runningMean * (1 - momentum) + mean.value.reshaped([channels]) * momentum
      updatedBuffers["\(prefix).running_var"] = runningVariance * (1 - momentum) + unbiased * momentum
    } else {
      let mean = parameter("\(prefix).running_mean").value.reshaped(statShape)
      let variance = parameter("\(prefix).running_var").value.reshaped(statShape)
      normalized = (x - mean) / (variance + epsilon).sqrt()
    }
    return normalized * gamma + beta
  }

  /// LayerNorm over the last axis with gain and bias.
  func layerNorm(_ x: Variable<Scalar>, _ prefix: String) -> Variable<Scalar> {
    x.layerNormalized() * parameter("\(prefix).weight") + parameter("\(prefix).bias")
  }

  /// Rows of an embedding table `[vocabulary, width]` for integer ids given as scalars
  /// `[B, T]`; the result is `[B, T, width]`.
  func embedding(_ ids: Variable<Scalar>, _ prefix: String) -> Variable<Scalar> {
    let table = parameter("\(prefix).weight")
    let indices = ids.value.scalars.map { Int($0) }
    return table.gathering(indices).reshaped(ids.shape + [table.shape[1]])
  }

  /// Multi-head self-attention on `[B, T, d]` with an optional causal mask. Emits the
  /// sites "<prefix>.pattern" `[B, heads, Tq, T]` and "<prefix>.out" `[B, Tq, d]`, where
  /// `Tq` is T, or 1 when `lastQueryOnly` (only the last position attends; keys and values
  /// still come from every position).
  func selfAttention(_ x: Variable<Scalar>, _ prefix: String, heads: Int, causal: Bool, lastQueryOnly: Bool = false) throws
    -> Variable<Scalar>
  {
    let (batch, length, width) = (x.shape[0], x.shape[1], x.shape[2])
    let queries = lastQueryOnly ? 1 : length
    let headWidth = width / heads
    func split(_ t: Variable<Scalar>, _ positions: Int) -> Variable<Scalar> {
      t.reshaped([batch, positions, heads, headWidth]).permuted([0, 2, 1, 3])
    }
    let queryInput = lastQueryOnly ? x.slice(axis: 1, (length - 1)..<length) : x
    let q = split(linear(queryInput, "\(prefix).q"), queries)
    let k = split(linear(x, "\(prefix).k"), length)
    let v = split(linear(x, "\(prefix).v"), length)
    var scores = q.matmul(k, transposeOther: true) * (1 / Scalar(headWidth).squareRoot())
    if causal && !lastQueryOnly && length > 1 {
      var mask = Tensor<Scalar>.zeros([length, length])
      for i in 0..<(length - 1) { for j in (i + 1)..<length { mask[i, j] = -1e30 } }
      scores = scores + mask
    }
    let pattern = try site("\(prefix).pattern", scores.softmax(axis: -1))
    let mixed = pattern.matmul(v).permuted([0, 2, 1, 3]).reshaped([batch, queries, width])
    return try site("\(prefix).out", linear(mixed, "\(prefix).o"))
  }
}
