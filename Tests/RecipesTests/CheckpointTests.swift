import Foundation
import Networks
import Recipes
import Testing

/// The committed checkpoint that the demo loads was produced by `netatlas train
/// modular-addition --seed 0 --out checkpoints/modular-addition`; this test re-evaluates it.
@Suite struct CheckpointTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("checkpoints/modular-addition")

  @Test func modularAdditionCheckpointGeneralizes() throws {
    let (network, metadata) = try ModelFile.read(Self.folder.appendingPathComponent("model.safetensors"))
    #expect(metadata.task == TrainingRecipe.modularAddition.rawValue)
    let recipe = TrainingRecipe.modularAddition
    let data = try recipe.data()
    // Trained by the recipe: same architecture, same schedule.
    #expect(network.architecture == recipe.architecture(for: data))
    #expect(metadata.training?.optimizer == recipe.training(seed: 0).optimizer)
    let test = try network.evaluate(data.test)
    #expect(test.accuracy >= 0.99)
    #expect(try network.evaluate(data.train).accuracy >= 0.99)
    // Re-evaluated with today's kernels; float rounding may flip a handful of the 8,939 predictions.
    #expect(abs((metadata.metrics["test_accuracy"] ?? 0) - test.accuracy) < 1e-3)
  }
}
