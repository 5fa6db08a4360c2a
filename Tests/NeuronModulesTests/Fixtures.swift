import Foundation
import Tensors

@testable import NeuronModules

/// Reference clusterings from scikit-learn, written by scripts/make_spectral_fixtures.py.
struct SpectralFixtures: Decodable {
  struct Graph: Decodable {
    var order: Int
    var rows: [Int]
    var columns: [Int]
    var values: [Double]
  }

  struct Matrix: Decodable {
    var shape: [Int]
    var data: [Double]
  }

  struct Case: Decodable {
    var name: String
    var clusters: Int
    var graph: Graph
    var sklearnLabels: [Int]
    var sklearnNormalizedCut: Double
    var plantedLabels: [Int]?
    var plantedNormalizedCut: Double?
    var embedding: Matrix?
    var eigenvalues: [Double]?

    func neuronGraph() throws -> NeuronGraph {
      try NeuronGraph(order: graph.order, rows: graph.rows, columns: graph.columns, values: graph.values)
    }
  }

  struct ARICase: Decodable {
    var a: [Int]
    var b: [Int]
    var value: Double
  }

  var sklearnVersion: String
  var graphs: [Case]
  var ari: [ARICase]

  static let shared: SpectralFixtures = {
    let url = Bundle.module.url(forResource: "spectral_fixtures", withExtension: "json", subdirectory: "Fixtures")!
    return try! JSONDecoder().decode(SpectralFixtures.self, from: Data(contentsOf: url))
  }()

  static func graph(_ name: String) -> Case { shared.graphs.first { $0.name == name }! }
}
