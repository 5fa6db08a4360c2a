import Testing

@testable import NeuronModules

@Suite struct AdjustedRandIndexTests {
  @Test func matchesSklearn() {
    for fixture in SpectralFixtures.shared.ari {
      #expect(Swift.abs(adjustedRandIndex(fixture.a, fixture.b) - fixture.value) < 1e-12, "\(fixture.a) vs \(fixture.b)")
      #expect(Swift.abs(adjustedRandIndex(fixture.b, fixture.a) - fixture.value) < 1e-12)
    }
  }

  @Test func ignoresLabelNames() {
    #expect(adjustedRandIndex([0, 0, 1, 1, 2], [7, 7, -1, -1, 3]) == 1)
    #expect(adjustedRandIndex([], []) == 1)
    #expect(adjustedRandIndex([4], [9]) == 1)
  }
}
