import Foundation
import Networks
import Recipes
import Tensors
import Testing

@testable import Analyses
@testable import netatlas

/// `netatlas compress` on a tiny residual MLP with a hand-written layers.json.
@Suite struct CompressCommandTests {
  let folder = SubnetworkFixtures.folder("compress")

  @Test func removalPlans() {
    // Layers 0-4; layers 1, 2, 3 are the outputs of blocks 1, 2, 3.
    let blockOfLayer = [1: 1, 2: 2, 3: 3]
    #expect(CompressionRun.groupRemovals(groups: [[0, 1, 2], [3, 4]], blockOfLayer: blockOfLayer) == [1, 2])
    #expect(CompressionRun.groupRemovals(groups: [[0, 4], [1, 3], [2]], blockOfLayer: blockOfLayer) == [3])
    #expect(CompressionRun.groupRemovals(groups: [[0], [1], [2], [3], [4]], blockOfLayer: blockOfLayer) == [])
    let drawn = (0..<20).map { CompressionRun.randomRemovals(count: 2, candidates: [1, 2, 3], seed: UInt64($0)) }
    #expect(drawn.allSatisfy { $0.count == 2 && Set($0).count == 2 && Set($0).isSubset(of: [1, 2, 3]) })
    #expect(Set(drawn.map { $0.description }).count == 3)
    let (mean, sd) = CompressionRun.meanAndSD([1, 2, 4])
    #expect(Swift.abs(mean - 7.0 / 3) < 1e-15)
    #expect(
      Swift.abs(
        sd - (((1 - 7.0 / 3) * (1 - 7.0 / 3) + (2 - 7.0 / 3) * (2 - 7.0 / 3) + (4 - 7.0 / 3) * (4 - 7.0 / 3)) / 2).squareRoot())
        < 1e-15)
  }

  @Test func compressesByGroups() throws {
    let (model, network) = try SubnetworkFixtures.residualModel(in: folder)
    let layers = try SubnetworkFixtures.layersFile(in: folder)
    let out = folder.appendingPathComponent("out")
    let (status, message) = NetAtlasCommand.execute([
      "compress", model.path, "--layers", layers.path, "--random-seeds", "3", "--heal-epochs", "2", "--learning-rate", "0.002",
      "--out", out.path,
    ])
    #expect(status == 0, "\(message ?? "")")
    let json = try SubnetworkFixtures.readJSON(out.appendingPathComponent("compress.json"))
    #expect(json["removedCount"] as? Int == 2)
    let variants = json["variants"] as! [[String: Any]]
    #expect(variants.map { $0["rule"] as! String } == ["original", "groups", "random", "random", "random", "end"])
    #expect(variants.map { $0["removedBlocks"] as! [Int] }[1] == [1, 2])
    #expect(variants.last!["removedBlocks"] as? [Int] == [2, 3])
    #expect(variants[1]["removedLayers"] as? [String] == ["layers.1.out", "layers.2.out"])
    // Every figure is the test metric of the network with those blocks removed, computed here.
    let test = try TrainingRecipe.digitsMLP.data().test
    for variant in variants {
      let removed = Set(variant["removedBlocks"] as! [Int])
      let metrics = try network.removingBlocks(removed).evaluate(test)
      let measured = variant["test"] as! [String: Double]
      #expect(Swift.abs(measured["accuracy"]! - metrics.accuracy) < 1e-12)
      #expect(Swift.abs(measured["loss"]! - metrics.loss) < 1e-12)
      #expect(variant["parameterCount"] as? Int == 64 * 16 + 16 + (3 - removed.count) * (16 * 16 + 16) + 16 * 10 + 10)
      #expect(variant["healed"] is [String: Double])
    }
    // Healing: 2 epochs of the model's Adam at lr 0.002, batches of 64, on the training split.
    #expect((json["healingDescription"] as? String)?.contains("2 epochs of Adam lr 0.002") == true)
    var healed = try network.removingBlocks([1, 2])
    try healed.train(
      on: try TrainingRecipe.digitsMLP.data().train,
      configuration: TrainingConfiguration(optimizer: .adam(learningRate: 0.002), epochs: 2, batchSize: 64, seed: 0))
    let healedAccuracy = (variants[1]["healed"] as! [String: Double])["accuracy"]!
    #expect(Swift.abs(healedAccuracy - (try healed.evaluate(test)).accuracy) < 1e-12)
    let singles = json["singleRemovals"] as! [[String: Any]]
    #expect(singles.map { $0["layer"] as! String } == ["layers.1.out", "layers.2.out", "layers.3.out"])
    for single in singles {
      let accuracy = (single["test"] as! [String: Double])["accuracy"]!
      let reference = try network.removingBlocks([single["block"] as! Int]).evaluate(test).accuracy
      #expect(Swift.abs(accuracy - reference) < 1e-12)
    }
    let original = variants[0]["test"] as! [String: Double]
    #expect(original["accuracy"]! > 0.8)
    let summaries = json["summaries"] as! [[String: Any]]
    let random = summaries.first { $0["rule"] as? String == "random" }!
    let accuracies = variants.filter { $0["rule"] as? String == "random" }.map { ($0["test"] as! [String: Double])["accuracy"]! }
    let (mean, sd) = CompressionRun.meanAndSD(accuracies)
    #expect(Swift.abs(random["accuracyMean"] as! Double - mean) < 1e-12)
    #expect(Swift.abs(random["accuracySD"] as! Double - sd) < 1e-12)
    let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.contains("Compression by layer groups") && html.contains("<svg"))
  }

  @Test func hierarchicalGrouping() throws {
    let (model, _) = try SubnetworkFixtures.residualModel(in: folder)
    let layers = try SubnetworkFixtures.layersFile(in: folder)
    let out = folder.appendingPathComponent("hier")
    let (status, message) = NetAtlasCommand.execute([
      "compress", model.path, "--layers", layers.path, "--grouping", "hierarchical", "--random-seeds", "1", "--out", out.path,
    ])
    #expect(status == 0, "\(message ?? "")")
    let json = try SubnetworkFixtures.readJSON(out.appendingPathComponent("compress.json"))
    let variants = json["variants"] as! [[String: Any]]
    #expect(variants[1]["removedBlocks"] as? [Int] == [3])
    #expect(variants.last!["removedBlocks"] as? [Int] == [3])
    #expect(variants[0]["healed"] == nil)
  }

  /// A transformer: block b maps to blocks.b.resid_post; resid_mid and embed are never removed.
  @Test func transformerBlocks() throws {
    let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("checkpoints/modular-addition/model.safetensors")
    let layers = try SubnetworkFixtures.layersFile(
      in: folder, layers: ["embed", "blocks.0.resid_mid", "blocks.0.resid_post", "logits"], contiguous: [[0, 1, 2], [3]],
      hierarchical: [[0], [1, 2, 3]], name: "transformer.json")
    let out = folder.appendingPathComponent("transformer")
    let (status, message) = NetAtlasCommand.execute([
      "compress", model.path, "--layers", layers.path, "--random-seeds", "1", "--out", out.path,
    ])
    #expect(status == 0, "\(message ?? "")")
    let json = try SubnetworkFixtures.readJSON(out.appendingPathComponent("compress.json"))
    let blocks = json["blocks"] as! [[String: Any]]
    #expect(blocks.count == 1 && blocks[0]["outputSite"] as? String == "blocks.0.resid_post" && blocks[0]["layer"] as? Int == 2)
    let variants = json["variants"] as! [[String: Any]]
    #expect(variants[1]["removedBlocks"] as? [Int] == [0])
    let (network, _) = try ModelFile.read(model)
    let test = try TrainingRecipe.modularAddition.data().test
    let accuracy = (variants[1]["test"] as! [String: Double])["accuracy"]!
    #expect(Swift.abs(accuracy - (try network.removingBlocks([0]).evaluate(test)).accuracy) < 1e-12)
    #expect(accuracy < 0.1)
    #expect((variants[0]["test"] as! [String: Double])["accuracy"]! > 0.99)
  }

  func expectUserError(_ arguments: [String], mentions words: [String]) {
    let (status, message) = NetAtlasCommand.execute(arguments)
    #expect(status == 2, "\(arguments)")
    for word in words { #expect(message?.contains(word) == true, "\(arguments): \(message ?? "nil") lacks \(word)") }
  }

  @Test func badInput() throws {
    let (model, _) = try SubnetworkFixtures.residualModel(in: folder)
    let layers = try SubnetworkFixtures.layersFile(in: folder).path
    let out = folder.appendingPathComponent("bad").path
    let missing = folder.appendingPathComponent("nowhere/layers.json").path
    expectUserError(["compress", model.path, "--layers", missing, "--out", out], mentions: ["nowhere/layers.json"])
    let unknown = try SubnetworkFixtures.layersFile(
      in: folder, layers: ["layers.0.post", "layers.9.out", "layers.2.out", "layers.3.out", "logits"], name: "unknown.json")
    expectUserError(
      ["compress", model.path, "--layers", unknown.path, "--out", out], mentions: ["layers.9.out", "unknown.json"])
    expectUserError(
      ["compress", try SubnetworkFixtures.plainModel(in: folder).path, "--layers", layers, "--out", out],
      mentions: ["residual", "plain.safetensors"])
    let overlapping = try SubnetworkFixtures.layersFile(in: folder, contiguous: [[0, 1], [1, 2, 3, 4]], name: "overlap.json")
    expectUserError(
      ["compress", model.path, "--layers", overlapping.path, "--out", out], mentions: ["contiguous", "overlap.json"])
    let garbage = folder.appendingPathComponent("garbage.json")
    try Data("{\"layers\": 3}".utf8).write(to: garbage)
    expectUserError(["compress", model.path, "--layers", garbage.path, "--out", out], mentions: ["garbage.json"])
    let noBlocks = try SubnetworkFixtures.layersFile(
      in: folder, layers: ["layers.0.post", "layers.1.pre", "logits"], contiguous: [[0, 1], [2]], hierarchical: [[0], [1, 2]],
      name: "noblocks.json")
    expectUserError(["compress", model.path, "--layers", noBlocks.path, "--out", out], mentions: ["layers.1.out"])
    expectUserError(
      ["compress", model.path, "--layers", layers, "--random-seeds", "0", "--out", out], mentions: ["--random-seeds"])
    expectUserError(
      ["compress", model.path, "--layers", layers, "--heal-epochs", "-1", "--out", out], mentions: ["--heal-epochs"])
    expectUserError(["compress", model.path, "--layers", layers, "--grouping", "spectral", "--out", out], mentions: ["spectral"])
    expectUserError(
      ["compress", model.path, "--layers", layers, "--learning-rate", "0.01", "--out", out], mentions: ["--heal-epochs"])
  }
}
