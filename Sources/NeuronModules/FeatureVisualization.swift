import Autodiff
import Networks
import Tensors

/// Options of feature visualization (Hod et al. 2021, section 4; Lucid's `render_vis`).
public struct FeatureVisualizationOptions: Sendable, Hashable {
  /// Adam steps [64].
  public var steps: Int
  /// Adam's learning rate [0.05].
  public var learningRate: Double
  /// nil picks Lucid's default: ``ImageParameterization/fourier`` when an image shape is
  /// known, else ``ImageParameterization/pixels``.
  public var parameterization: ImageParameterization?
  /// The image shape `[C, H, W]` of a flattened input (an MLP on MNIST: `[1, 28, 28]`); nil uses
  /// the network's input shape when it is `[C, H, W]`.
  public var imageShape: [Int]?
  /// Squash inputs into this range with a sigmoid (Lucid maps images to [0, 1] this way); nil
  /// leaves them unbounded.
  public var valueRange: ClosedRange<Double>?
  /// The standard deviation of the parameters' Gaussian initialization [0.01, Lucid's].
  public var initialStandardDeviation: Double
  /// The spectrum's decay power of the Fourier parameterization [1].
  public var decayPower: Double
  /// The most inputs optimized in one batch [400]; a sub-cluster and its random sets always
  /// share a batch.
  public var maximumBatchSize: Int
  /// The Benjamini-Hochberg false discovery rate across sub-clusters [0.05].
  public var falseDiscoveryRate: Double
  /// Seeds the initializations.
  public var seed: UInt64

  public init(
    steps: Int = 64, learningRate: Double = 0.05, parameterization: ImageParameterization? = nil, imageShape: [Int]? = nil,
    valueRange: ClosedRange<Double>? = nil, initialStandardDeviation: Double = 0.01, decayPower: Double = 1,
    maximumBatchSize: Int = 400, falseDiscoveryRate: Double = 0.05, seed: UInt64 = 0
  ) {
    self.steps = steps
    self.learningRate = learningRate
    self.parameterization = parameterization
    self.imageShape = imageShape
    self.valueRange = valueRange
    self.initialStandardDeviation = initialStandardDeviation
    self.decayPower = decayPower
    self.maximumBatchSize = maximumBatchSize
    self.falseDiscoveryRate = falseDiscoveryRate
    self.seed = seed
  }
}

/// Optimizes inputs that excite sets of units of one layer: input `b` maximizes
/// `sum_{u in S_b} |mean pre-activation of u|` (the mean over space for a CNN channel; for one
/// input and a dense unit, the pre-activation itself). Many sets are optimized as one batch: the
/// objective summed over the batch has, for input `b`, exactly the gradient of its own set's
/// objective, and Adam acts elementwise, so the batch equals separate optimizations.
public struct FeatureVisualizer<Scalar: TensorScalar>: Sendable {
  public let network: Network<Scalar>
  /// The pre-activation site, e.g. "layers.1.pre" or "conv.0.pre".
  public let site: String
  /// The parameterization in use.
  public let parameterization: ImageParameterization
  /// The image shape `[C, H, W]`, or nil for non-image inputs.
  public let imageShape: [Int]?
  public let options: FeatureVisualizationOptions
  let inputs: InputParameterization<Scalar>
  let unitCount: Int

  /// - Throws: ``NeuronModulesError/invalidOption(_:)`` for an unknown site, an image shape
  ///   that does not match the input, a Fourier parameterization without an image shape, or
  ///   non-positive steps or learning rate.
  public init(network: Network<Scalar>, site: String, options: FeatureVisualizationOptions = .init()) throws {
    guard let width = try hiddenLayerWidth(network: network, site: site) else {
      throw NeuronModulesError.invalidOption("the network has no site \"\(site)\"")
    }
    guard options.steps >= 0, options.learningRate > 0, options.initialStandardDeviation >= 0, options.maximumBatchSize > 0
    else {
      throw NeuronModulesError.invalidOption(
        "feature visualization needs steps >= 0, a positive learning rate and batch size, and a nonnegative initial scale")
    }
    if let range = options.valueRange,
      !(range.lowerBound < range.upperBound) || !range.lowerBound.isFinite
        || !range.upperBound.isFinite
    {
      throw NeuronModulesError.invalidOption("the visualization value range \(range) is empty or not finite")
    }
    let inputShape = network.architecture.inputShape
    let imageShape = options.imageShape ?? (inputShape.count == 3 ? inputShape : nil)
    if let imageShape {
      guard imageShape.count == 3, imageShape.allSatisfy({ $0 > 0 }), imageShape.reduce(1, *) == inputShape.reduce(1, *) else {
        throw NeuronModulesError.invalidOption("image shape \(imageShape) does not fit the network's input shape \(inputShape)")
      }
    }
    let kind = options.parameterization ?? (imageShape == nil ? .pixels : .fourier)
    self.network = network
    self.site = site
    self.parameterization = kind
    self.imageShape = imageShape
    self.options = options
    self.unitCount = width
    self.inputs = try InputParameterization(
      kind: kind, inputShape: inputShape, imageShape: imageShape, valueRange: options.valueRange, decayPower: options.decayPower)
  }

  /// The number of optimization parameters per input.
  public var parameterCount: Int { inputs.parameterCount }

  /// The network inputs `[B, ...inputShape]` for parameters `[B, parameterCount]`.
  public func images(_ parameters: Variable<Scalar>) -> Variable<Scalar> { inputs.inputs(parameters) }

  /// The objective of each input `[B]`: input `b` scores `sum_{u in unitSets[b]} |mean pre-activation|`.
  public func objectives(_ parameters: Variable<Scalar>, unitSets: [[Int]]) throws -> Variable<Scalar> {
    guard parameters.rank == 2, parameters.shape[0] == unitSets.count, parameters.shape[1] == parameterCount else {
      throw NeuronModulesError.invalidShape(
        "parameters \(parameters.shape) for \(unitSets.count) unit sets (expected [\(unitSets.count), \(parameterCount)])")
    }
    var mask = [Scalar](repeating: 0, count: unitSets.count * unitCount)
    for (b, set) in unitSets.enumerated() {
      for u in set {
        guard u >= 0, u < unitCount else {
          throw NeuronModulesError.invalidOption("unit \(u) is outside \"\(site)\", which has \(unitCount) units")
        }
        mask[b * unitCount + u] = 1
      }
    }
    var pre = try network.forward(images(parameters), options: ForwardOptions(stopSite: site)).output
    if pre.rank == 4 { pre = pre.mean(axis: 3).mean(axis: 2) }
    return (pre.abs() * Tensor(shape: [unitSets.count, unitCount], scalars: mask)).sum(axis: 1)
  }

  /// The optimized inputs of a batch of unit sets.
  public struct Result: Sendable {
    /// The final parameters `[B, parameterCount]`.
    public var parameters: Tensor<Scalar>
    /// The final inputs `[B, ...inputShape]`.
    public var images: Tensor<Scalar>
    /// Each input's objective before optimization.
    public var initialObjectives: [Double]
    /// Each input's objective at the final inputs.
    public var objectives: [Double]
  }

  /// Maximizes each set's objective from a seeded Gaussian start with standard deviation
  /// ``FeatureVisualizationOptions/initialStandardDeviation`` (see ``optimize(unitSets:start:)``).
  public func optimize(unitSets: [[Int]], seed: UInt64) throws -> Result {
    var generator = SeededGenerator(seed: seed)
    let count = unitSets.count * parameterCount
    let start = (0..<count).map { _ in Scalar(generator.nextStandardNormal() * options.initialStandardDeviation) }
    return try optimize(unitSets: unitSets, start: Tensor(shape: [unitSets.count, parameterCount], scalars: start))
  }

  /// Maximizes each set's objective from the parameters `start` `[B, parameterCount]` with
  /// Adam (``FeatureVisualizationOptions/learningRate``, ``FeatureVisualizationOptions/steps``),
  /// all sets as one batch.
  public func optimize(unitSets: [[Int]], start: Tensor<Scalar>) throws -> Result {
    var parameters = ["x": start]
    var optimizer = Optimizer<Scalar>(.adam(learningRate: options.learningRate))
    var initial: [Double] = []
    for step in 0..<options.steps {
      let variable = Variable(parameters["x"]!, requiresGradient: true)
      let objectives = try self.objectives(variable, unitSets: unitSets)
      if step == 0 { initial = objectives.value.scalars.map { Double($0) } }
      // Ascend: Adam minimizes the negated objective.
      let gradient = objectives.sum().gradient(withRespectTo: variable)
      optimizer.step(&parameters, gradients: ["x": -gradient])
    }
    let final = parameters["x"]!
    let finalObjectives = try objectives(Variable(final), unitSets: unitSets).value.scalars.map { Double($0) }
    return Result(
      parameters: final, images: images(Variable(final)).value, initialObjectives: options.steps == 0 ? finalObjectives : initial,
      objectives: finalObjectives)
  }
}
