import Foundation
import Tensors
import Testing

@testable import LayerSimilarity

@Suite struct EntropicTests {
  let fixtures = GWFixtures.shared

  @Test func matchesPOTWithoutAnnealing() throws {
    var compared = 0
    for testCase in fixtures.gw {
      let (a, b) = try testCase.spaces()
      for reference in testCase.entropic where reference.converged {
        let options = EntropicGromovWassersteinOptions(epsilon: reference.epsilon, initialEpsilon: reference.epsilon)
        let result = try GromovWasserstein.entropic(a, b, options: options)
        #expect(result.converged)
        #expect(result.marginalError < 1e-8)
        #expect(relativeError(result.value, reference.value) < 1e-4, "\(testCase.name) eps \(reference.epsilon)")
        compared += 1
      }
    }
    #expect(compared >= 4)
  }
}

@Suite struct EntropicAnnealingTests {
  @Test func annealedSolveIsFeasibleAndConverges() throws {
    let testCase = GWFixtures.shared.gw[0]
    let (a, b) = try testCase.spaces()
    let options = EntropicGromovWassersteinOptions(epsilon: 0.05, start: .identity)
    #expect(options.schedule == [0.8, 0.4, 0.2, 0.1, 0.05])
    let result = try GromovWasserstein.entropic(a, b, options: options)
    #expect(result.converged)
    #expect(result.marginalError < 1e-8)
    #expect(result.epsilons == options.schedule)
    // The entropic plan is a feasible coupling, so its value cannot beat the exact optimum by much.
    #expect(result.value > 0 && result.value < 0.5)
    let noAnnealing = EntropicGromovWassersteinOptions(epsilon: 0.05, initialEpsilon: 0.01)
    #expect(noAnnealing.schedule == [0.05])
  }

  @Test func smallEpsilonStaysFinite() throws {
    // eps = 1e-3 underflows a plain Sinkhorn kernel exp(-M / eps); the log domain does not.
    let testCase = GWFixtures.shared.gw[0]
    let (a, b) = try testCase.spaces()
    let result = try GromovWasserstein.entropic(
      a, b,
      options: EntropicGromovWassersteinOptions(
        epsilon: 1e-3, initialEpsilon: 0.004, maxIterations: 3, sinkhornMaxIterations: 300))
    #expect(result.epsilons == [0.004, 0.002, 0.001])
    #expect(result.value.isFinite)
    #expect(result.coupling.isFinite)
    #expect(result.coupling.scalars.allSatisfy { $0 >= 0 })
    #expect(result.marginalError < 1e-2)
  }

  @Test func rejectsInvalidOptions() throws {
    let testCase = GWFixtures.shared.gw[0]
    let (a, b) = try testCase.spaces()
    #expect(throws: LayerSimilarityError.self) {
      _ = try GromovWasserstein.entropic(a, b, options: EntropicGromovWassersteinOptions(epsilon: 0))
    }
    #expect(throws: LayerSimilarityError.self) {
      _ = try GromovWasserstein.entropic(a, b, options: EntropicGromovWassersteinOptions(epsilon: 0.1, annealingFactor: 1))
    }
  }
}
