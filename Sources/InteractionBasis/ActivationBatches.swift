import Autodiff
import Networks
import Tensors

/// The inputs of an analysis cut into batches, and the node-layer activations of each batch
/// in float64 as `[B, P, n]` (recomputed on demand, so memory does not grow with the inputs).
struct ActivationBatches: Sendable {
  let network: Network<Double>
  let inputs: Tensor<Double>
  let batchSize: Int

  var sampleCount: Int { inputs.shape[0] }
  var batchCount: Int { (sampleCount + batchSize - 1) / batchSize }

  func range(_ batch: Int) -> Range<Int> { (batch * batchSize)..<Swift.min(sampleCount, (batch + 1) * batchSize) }

  func inputs(_ batch: Int) -> Tensor<Double> {
    let r = range(batch)
    return r.count == sampleCount ? inputs : inputs.slice(axis: 0, r)
  }

  /// The activations `[B, P, n]` of `layers` for batch `batch`, checked to be finite.
  func activations(_ batch: Int, layers: [NodeLayer]) throws -> [Tensor<Double>] {
    let x = inputs(batch)
    let result = try network.forward(Variable(x), options: ForwardOptions(capture: Set(layers.map(\.site))))
    return try layers.map { layer in
      let a = result.captured[layer.site]!.value
      guard a.isFinite else { throw InteractionBasisError.nonFinite("activations at \(layer.site) in samples \(range(batch))") }
      return a.reshaped([x.shape[0], layer.positions, layer.width])
    }
  }
}

/// The mean `mu` (positions pooled) and the centred Gram matrix
/// `G = E[(f - mu)(f - mu)^T]` of a node layer, accumulated over batches in float64 (two
/// passes: the mean, then the centred products, so no cancellation).
struct LayerStatistics: Sendable {
  /// `mu`, `[n]`.
  var mean: Tensor<Double>
  /// `G`, `[n, n]`.
  var gram: Tensor<Double>

  /// Statistics of every layer in `layers` from the same batches.
  static func compute(_ batches: ActivationBatches, layers: [NodeLayer]) throws -> [LayerStatistics] {
    var sums = layers.map { Tensor<Double>.zeros([$0.width]) }
    for b in 0..<batches.batchCount {
      let acts = try batches.activations(b, layers: layers)
      for k in layers.indices { sums[k] += acts[k].reshaped([-1, layers[k].width]).sum(axis: 0) }
    }
    let means = layers.indices.map { k in sums[k] / Double(batches.sampleCount * layers[k].positions) }
    var grams = layers.map { Tensor<Double>.zeros([$0.width, $0.width]) }
    for b in 0..<batches.batchCount {
      let acts = try batches.activations(b, layers: layers)
      for k in layers.indices {
        let centred = acts[k].reshaped([-1, layers[k].width]) - means[k]
        grams[k] += centred.matmul(centred, transposeSelf: true)
      }
    }
    return layers.indices.map { k in
      LayerStatistics(mean: means[k], gram: grams[k] / Double(batches.sampleCount * layers[k].positions))
    }
  }
}
