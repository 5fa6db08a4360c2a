import Networks
import Tensors

/// The names of the parameters ``shufflingWeights(of:seed:)`` permutes: every weight matrix or
/// convolution kernel (a parameter named "*.weight" of rank 2 or more), in the architecture's
/// parameter order. Biases and BatchNorm or LayerNorm vectors (rank 1) are left alone.
public func shuffledWeightNames<Scalar: TensorScalar>(of network: Network<Scalar>) -> [String] {
  network.parameterNames.filter { name in
    name.hasSuffix(".weight") && (network.parameters[name]?.rank ?? 0) >= 2
  }
}

/// The null model of the clusterability test: a copy of `network` in which the entries of each
/// weight matrix and kernel (see ``shuffledWeightNames(of:)``) are permuted uniformly at random
/// within that tensor, zeros included, so each layer keeps its weight distribution and
/// sparsity but loses its structure.
///
/// Each parameter is shuffled with its own generator split, in parameter order, from
/// `SeededGenerator(seed:)`: the same seed gives the same network.
public func shufflingWeights<Scalar: TensorScalar>(of network: Network<Scalar>, seed: UInt64) -> Network<Scalar> {
  var generator = SeededGenerator(seed: seed)
  var shuffled = network
  for name in shuffledWeightNames(of: network) {
    var parameterGenerator = generator.split()
    var tensor = network.parameters[name]!
    var scalars = tensor.scalars
    parameterGenerator.shuffle(&scalars)
    tensor = Tensor(shape: tensor.shape, scalars: scalars)
    shuffled.parameters[name] = tensor
  }
  return shuffled
}
