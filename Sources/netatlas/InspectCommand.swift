import Analyses
import ArgumentParser
import Foundation
import Networks

/// `netatlas inspect MODEL`: lists sites and parameters with shapes.
struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect", abstract: "List a model's sites and parameters with their shapes.")

  @Argument(help: "A model file.")
  var model: String

  func run() throws {
    let (network, metadata) = try ModelFile.read(URL(fileURLWithPath: model))
    print("model: \(model)")
    print("task: \(metadata.task)")
    print("architecture: \(network.architecture.summary)")
    for (key, value) in metadata.metrics.sorted(by: { $0.key < $1.key }) { print("  \(key): \(value)") }
    print("\nsites (forward order; * = main path, a section can start there):")
    for site in network.sites {
      print("  \(site.isOnMainPath ? "*" : " ") \(site.name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(site.shape)")
    }
    print("\nparameters:")
    var total = 0
    for spec in network.architecture.parameterSpecs {
      total += spec.shape.reduce(1, *)
      print(
        "    \(spec.name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(spec.shape)\(spec.isTrainable ? "" : " (buffer)")")
    }
    print("\n\(total) values")
  }
}
