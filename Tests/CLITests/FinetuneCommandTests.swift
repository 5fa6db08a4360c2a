import Datasets
import Foundation
import Networks
import Recipes
import Tensors
import Testing

@testable import Analyses
@testable import netatlas

/// `netatlas finetune` on a tiny residual MLP with a hand-written layers.json, and the shifts.
@Suite struct FinetuneCommandTests {
  let folder = SubnetworkFixtures.folder("finetune")

  /// The modular shifts against labels computed here from the token form of the task.
  @Test func modularShifts() throws {
    let tokens: TaskData<Float> = try BuiltInTask.modularAddition.load()
    let oneHot = try TrainingRecipe.modularAdditionMLP.data()
    let oneHotTokens: TaskData<Float> = try ModularAdditionTask(
      trainFraction: TrainingRecipe.modularAdditionMLPTrainFraction
    ).load()
    let p = 113
    let expected: [TaskShift: (Int, Int) -> Int] = [
      .offset: { ($0 + $1 + 1) % p }, .aPlus2b: { ($0 + 2 * $1) % p }, .aMinusB: { ($0 - $1 + p) % p },
    ]
    for (shift, label) in expected {
      // Token inputs for every shift; one-hot inputs (slower to decode in debug builds) for one.
      var layouts = [(tokens, TrainingRecipe.modularAddition, tokens)]
      if shift == .aPlus2b { layouts.append((oneHot, .modularAdditionMLP, oneHotTokens)) }
      for (data, recipe, source) in layouts {
        let shifted = try shift.apply(to: data, recipe: recipe, seed: 0)
        for (split, source) in [(shifted.train, source.train), (shifted.test, source.test)] {
          let reference = (0..<source.count).map { label(Int(source.inputs[$0, 0]), Int(source.inputs[$0, 1])) }
          #expect(split.labels == reference, "\(shift) \(recipe)")
        }
        #expect(shifted.test.inputs.scalars == data.test.inputs.scalars)
      }
    }
    // (a + b + 1) mod p is (a + b) mod p moved by one.
    let offset = try TaskShift.offset.apply(to: oneHot, recipe: .modularAdditionMLP, seed: 0)
    #expect(offset.train.labels == oneHot.train.labels.map { ($0 + 1) % p })
    let permuted = try TaskShift.permutedLabels.apply(to: oneHot, recipe: .modularAdditionMLP, seed: 4)
    let pi = TaskShift.permutation(classes: p, seed: 4)
    #expect(Set(pi) == Set(0..<p))
    #expect(permuted.test.labels == oneHot.test.labels.map { pi[$0] })
    #expect(throws: (any Error).self) {
      try TaskShift.aPlus2b.apply(to: try TrainingRecipe.digitsMLP.data(), recipe: .digitsMLP, seed: 0)
    }
  }

  @Test func budgetEntries() {
    let parameters = [(name: "w", count: 30), (name: "b", count: 5), (name: "v", count: 10)]
    let drawn = FinetuneRun.entries(budget: 12, of: parameters, seed: 3)!
    #expect(drawn.values.reduce(0) { $0 + $1.count } == 12)
    #expect(drawn["w", default: []].allSatisfy { $0 >= 0 && $0 < 30 })
    #expect(drawn["b", default: []].allSatisfy { $0 >= 0 && $0 < 5 })
    #expect(drawn["v", default: []].allSatisfy { $0 >= 0 && $0 < 10 })
    #expect(drawn.values.allSatisfy { Set($0).count == $0.count })
    #expect(FinetuneRun.entries(budget: 45, of: parameters, seed: 3) == nil)
    #expect(FinetuneRun.entries(budget: 12, of: parameters, seed: 3) == drawn)
  }

  @Test func finetunesEveryGroupAtTheSameBudget() throws {
    let (model, network) = try SubnetworkFixtures.residualModel(in: folder)
    let layers = try SubnetworkFixtures.layersFile(in: folder)
    let out = folder.appendingPathComponent("out")
    let (status, message) = NetAtlasCommand.execute([
      "finetune", model.path, "--layers", layers.path, "--shift", "permuted-labels", "--epochs", "3", "--seed", "2",
      "--out", out.path,
    ])
    #expect(status == 0, "\(message ?? "")")
    let json = try SubnetworkFixtures.readJSON(out.appendingPathComponent("finetune.json"))
    // Groups [layers.0.post, layers.1.out, layers.2.out] own hidden layers 0-2; [layers.3.out, logits] own 3 and the readout.
    let first = 64 * 16 + 16 + 2 * (16 * 16 + 16)
    let second = 16 * 16 + 16 + 16 * 10 + 10
    #expect(json["budget"] as? Int == Swift.min(first, second))
    let variants = json["variants"] as! [[String: Any]]
    #expect(variants.map { $0["name"] as! String } == ["group 1", "group 2", "random"])
    #expect(
      variants.map { $0["availableEntries"] as! Int } == [first, second, network.parameters.values.reduce(0) { $0 + $1.count }])
    #expect(variants.allSatisfy { $0["trainedEntries"] as? Int == second })
    #expect(
      variants[0]["parameters"] as? [String] == [
        "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias", "layers.2.weight", "layers.2.bias",
      ])
    #expect(variants.allSatisfy { ($0["history"] as! [Any]).count == 3 })
    // Before fine-tuning, the network is measured on the permuted labels.
    let data = try TrainingRecipe.digitsMLP.data()
    let shifted = try TaskShift.permutedLabels.apply(to: data, recipe: .digitsMLP, seed: 2)
    let before = json["beforeShiftedTest"] as! [String: Double]
    #expect(Swift.abs(before["accuracy"]! - (try network.evaluate(shifted.test)).accuracy) < 1e-12)
    let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.contains("Fine-tuning one layer group at a time"))
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
    expectUserError(["finetune", model.path, "--layers", layers, "--shift", "rotated", "--out", out], mentions: ["rotated"])
    expectUserError(
      ["finetune", model.path, "--layers", layers, "--shift", "a-plus-2b", "--out", out], mentions: ["a-plus-2b", "digits"])
    expectUserError(
      [
        "finetune", model.path, "--layers", folder.appendingPathComponent("none.json").path, "--shift", "permuted-labels",
        "--out", out,
      ],
      mentions: ["none.json"])
    let unknown = try SubnetworkFixtures.layersFile(
      in: folder, layers: ["layers.0.post", "layers.1.out", "blocks.0.resid_post", "layers.3.out", "logits"], name: "unknown.json"
    )
    expectUserError(
      ["finetune", model.path, "--layers", unknown.path, "--shift", "permuted-labels", "--out", out],
      mentions: ["blocks.0.resid_post"])
    expectUserError(
      ["finetune", model.path, "--layers", layers, "--shift", "permuted-labels", "--budget", "100000", "--out", out],
      mentions: ["--budget", "442"])
    expectUserError(
      ["finetune", model.path, "--layers", layers, "--shift", "permuted-labels", "--epochs", "0", "--out", out],
      mentions: ["--epochs"])
  }
}
