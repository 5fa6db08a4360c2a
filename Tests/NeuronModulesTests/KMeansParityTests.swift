import Foundation
import Tensors
import Testing

@testable import NeuronModules

/// Reference k-means runs from scikit-learn, written by scripts/make_kmeans_fixtures.py.
struct KMeansFixtures: Decodable {
  struct Case: Decodable {
    var name: String
    var clusters: Int
    var shape: [Int]
    var points: [Double]
    var sklearnInertia: Double
    var plantedLabels: [Int]?

    var tensor: Tensor<Double> { Tensor(shape: shape, scalars: points) }
  }

  var sklearnVersion: String
  var cases: [Case]

  static let shared: KMeansFixtures = {
    let url = Bundle.module.url(forResource: "kmeans_fixtures", withExtension: "json", subdirectory: "Fixtures")!
    return try! JSONDecoder().decode(KMeansFixtures.self, from: Data(contentsOf: url))
  }()

  static func named(_ name: String) -> Case { shared.cases.first { $0.name == name }! }
}

@Suite struct KMeansParityTests {
  @Test(arguments: KMeansFixtures.shared.cases.map(\.name))
  func inertiaMatchesOrBeatsSklearn(name: String) throws {
    let fixture = KMeansFixtures.named(name)
    let (n, d, k) = (fixture.shape[0], fixture.shape[1], fixture.clusters)
    let result = try KMeans(points: fixture.tensor, options: .init(clusterCount: k, initializations: 10, seed: 0))
    // Same number of starts as scikit-learn's fit: the best inertia is as low (within 1%).
    #expect(result.inertia <= fixture.sklearnInertia * 1.01)
    // The reported inertia is the exact sum of squared distances to the reported centers.
    var inertia = 0.0
    for i in 0..<n {
      for f in 0..<d {
        let e = fixture.points[i * d + f] - result.centers.scalars[result.labels[i] * d + f]
        inertia += e * e
      }
    }
    #expect(Swift.abs(inertia - result.inertia) <= 1e-12 * inertia)
    // Each center is the mean of its points (Lloyd's update); every cluster is used.
    for c in 0..<k {
      let members = (0..<n).filter { result.labels[$0] == c }
      #expect(!members.isEmpty)
      for f in 0..<d {
        let mean = members.reduce(0.0) { $0 + fixture.points[$1 * d + f] } / Double(members.count)
        let center = result.centers.scalars[c * d + f]
        #expect(Swift.abs(mean - center) <= 1e-9 * Swift.max(1, Swift.abs(mean)))
      }
    }
    if let planted = fixture.plantedLabels { #expect(adjustedRandIndex(result.labels, planted) == 1) }
  }

  @Test(arguments: ["overlapping-k5", "many-clusters-k30"])
  func startsInParallelGiveTheSerialResult(name: String) throws {
    let fixture = KMeansFixtures.named(name)
    let serial = try KMeans(
      points: fixture.tensor, options: .init(clusterCount: fixture.clusters, initializations: 7, seed: 3, threads: 1))
    let parallel = try KMeans(
      points: fixture.tensor, options: .init(clusterCount: fixture.clusters, initializations: 7, seed: 3, threads: 3))
    #expect(serial.labels == parallel.labels)
    #expect(serial.inertia == parallel.inertia)
    #expect(serial.centers == parallel.centers)
    #expect(throws: NeuronModulesError.self) {
      try KMeans(points: fixture.tensor, options: .init(clusterCount: 2, threads: 0))
    }
  }

  @Test(arguments: [1e-30, 1e30])
  func scaleDoesNotChangeTheClustering(factor: Double) throws {
    // Beyond single precision's range both ways: the kernels rescale by a power of two.
    let fixture = KMeansFixtures.named("separated-blobs")
    let scaled = Tensor(shape: fixture.shape, scalars: fixture.points.map { $0 * factor })
    let result = try KMeans(points: scaled, options: .init(clusterCount: 6, initializations: 3, seed: 2))
    #expect(adjustedRandIndex(result.labels, fixture.plantedLabels!) == 1)
    #expect(result.inertia.isFinite && result.inertia > 0)
  }

  @Test func translationDoesNotChangeTheClustering() throws {
    // The kernels center the points, so a far offset leaves single precision enough digits.
    let fixture = KMeansFixtures.named("overlapping-k5")
    let shifted = Tensor(shape: fixture.shape, scalars: fixture.points.map { $0 + 1e6 })
    let near = try KMeans(points: fixture.tensor, options: .init(clusterCount: 5, initializations: 4, seed: 1))
    let far = try KMeans(points: shifted, options: .init(clusterCount: 5, initializations: 4, seed: 1))
    #expect(adjustedRandIndex(near.labels, far.labels) == 1)
    #expect(Swift.abs(near.inertia - far.inertia) <= 1e-6 * near.inertia)
  }
}
