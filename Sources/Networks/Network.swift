import Autodiff
import Tensors

/// A network with named sites: the parameters of an ``Architecture`` and a forward pass that
/// can capture, replace and differentiate activations at any site, or run only a section.
public struct Network<Scalar: TensorScalar>: Sendable {
  /// What the network computes.
  public let architecture: Architecture
  /// Parameters and buffers by dotted name ("layers.0.weight", "blocks.0.mlp.in.bias").
  public var parameters: [String: Tensor<Scalar>]

  /// A freshly initialized network (PyTorch's default initializations, seeded).
  public init(architecture: Architecture, seed: UInt64) throws {
    try architecture.validate()
    var generator = SeededGenerator(seed: seed)
    var parameters: [String: Tensor<Scalar>] = [:]
    for spec in architecture.parameterSpecs { parameters[spec.name] = spec.initialValue(using: &generator) }
    self.architecture = architecture
    self.parameters = parameters
    self.sites = Network.probeSites(self)
  }

  /// A network with given parameters; every parameter must be present with its shape.
  public init(architecture: Architecture, parameters: [String: Tensor<Scalar>]) throws {
    try architecture.validate()
    for spec in architecture.parameterSpecs {
      guard let p = parameters[spec.name] else { throw NetworkError.missingParameter(spec.name) }
      guard p.shape == spec.shape else {
        throw NetworkError.shapeMismatch(parameter: spec.name, expected: spec.shape, found: p.shape)
      }
    }
    self.architecture = architecture
    self.parameters = parameters
    self.sites = Network.probeSites(self)
  }

  /// Parameter and buffer names in the architecture's order.
  public var parameterNames: [String] { architecture.parameterSpecs.map(\.name) }

  /// Names of the trainable parameters (buffers left out).
  public var trainableParameterNames: [String] { architecture.parameterSpecs.filter(\.isTrainable).map(\.name) }

  /// Parameters as graph leaves (`requiresGradient` for the trainable ones).
  public func parameterVariables(trainable names: Set<String>? = nil) -> [String: Variable<Scalar>] {
    var result: [String: Variable<Scalar>] = [:]
    for spec in architecture.parameterSpecs {
      let trainable = spec.isTrainable && (names?.contains(spec.name) ?? true)
      result[spec.name] = Variable(parameters[spec.name]!, requiresGradient: trainable)
    }
    return result
  }

  /// The sites in forward order with their per-sample shapes.
  public private(set) var sites: [Site] = []

  static func probeSites(_ network: Network) -> [Site] {
    let architecture = network.architecture
    let probeInput = Tensor<Scalar>.zeros([1] + architecture.inputShape)
    let context = SiteContext(options: ForwardOptions<Scalar>(), parameters: network.parameterVariables(trainable: []))
    context.recordsOrder = true
    _ = try? network.run(Variable(probeInput), context: context, from: nil)
    let main = Set(["input"] + (architecture.stages() as [Stage<Scalar>]).map(\.site))
    return context.order.map { Site(name: $0.0, shape: Array($0.1.dropFirst()), isOnMainPath: main.contains($0.0)) }
  }

  /// Runs the network on a batch.
  ///
  /// - Parameters:
  ///   - input: `[B, ...inputShape]`, or the start site's activation when
  ///     `options.startSite` is set.
  ///   - parameters: the parameters as variables (for gradients with respect to them);
  ///     nil uses the stored parameters as constants.
  public func forward(
    _ input: Variable<Scalar>, parameters: [String: Variable<Scalar>]? = nil, options: ForwardOptions<Scalar> = .init()
  ) throws -> ForwardResult<Scalar> {
    let siteList = sites
    let names = siteList.map(\.name)
    for name in options.capture.union(options.interventions.keys) + [options.startSite, options.stopSite].compactMap({ $0 })
    where !names.contains(name) {
      throw NetworkError.unknownSite(name, available: names)
    }
    if let start = options.startSite, siteList.first(where: { $0.name == start })?.isOnMainPath != true {
      throw NetworkError.notOnMainPath(start)
    }
    let expected = options.startSite.flatMap { s in siteList.first { $0.name == s }?.shape } ?? architecture.inputShape
    guard Array(input.shape.dropFirst()) == expected else {
      throw NetworkError.inputShape(expected: expected, found: Array(input.shape.dropFirst()))
    }
    let context = SiteContext(options: options, parameters: parameters ?? parameterVariables(trainable: []))
    let output = try run(input, context: context, from: options.startSite)
    return ForwardResult(output: output, captured: context.captured, updatedBuffers: context.updatedBuffers)
  }

  /// Runs the network on a batch of plain tensors and returns the logits.
  public func callAsFunction(_ input: Tensor<Scalar>) throws -> Tensor<Scalar> {
    try forward(Variable(input)).output.value
  }

  /// The section of the network from main-path site `start` to site `end` as a
  /// differentiable function (for Jacobians between sites).
  public func section(from start: String, to end: String, interventions: [String: Intervention<Scalar>] = [:]) throws
    -> @Sendable (Variable<Scalar>) -> Variable<Scalar>
  {
    let options = ForwardOptions(interventions: interventions, startSite: start, stopSite: end)
    let probe = try forward(Variable(Tensor.zeros([1] + (sites.first { $0.name == start }?.shape ?? []))), options: options)
    _ = probe
    let network = self
    return { x in
      // Validated above; a failure here is a programming error.
      (try? network.forward(x, options: options).output) ?? x
    }
  }

  func run(_ input: Variable<Scalar>, context: SiteContext<Scalar>, from start: String?) throws -> Variable<Scalar> {
    let stages: [Stage<Scalar>] = architecture.stages()
    do {
      var h = try context.site(start ?? "input", input)
      let first = start.flatMap { s in stages.firstIndex { $0.site == s }.map { $0 + 1 } } ?? 0
      for stage in stages[first...] { h = try context.site(stage.site, try stage.run(h, context)) }
      return h
    } catch is StopForward {
      return context.stopValue!
    }
  }
}
