import Testing

@testable import LayerSimilarity

@Suite struct BenchmarkTests {
  @Test func smallBenchmarkRuns() throws {
    let report = try GromovWassersteinBenchmark.run(sampleCount: 24, dimensions: (4, 3), seed: 2)
    #expect(report.sampleCount == 24)
    #expect(report.allStarts.value <= report.productStart.value)
    #expect(report.allStarts.starts.first?.start == .identity)
    #expect(report.description.contains("product start"))
  }
}
