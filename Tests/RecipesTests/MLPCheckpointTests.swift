import Foundation
import Networks
import Recipes
import Testing

/// The committed residual-MLP checkpoint that the demo's layers and compress steps load was
/// produced by `netatlas train modular-addition-mlp --out checkpoints/modular-addition-mlp`;
/// this test re-evaluates it.
@Suite struct MLPCheckpointTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("checkpoints/modular-addition-mlp")

  @Test func residualMLPCheckpointGeneralizes() throws {
    let (network, metadata) = try ModelFile.read(Self.folder.appendingPathComponent("model.safetensors"))
    let recipe = TrainingRecipe.modularAdditionMLP
    #expect(metadata.task == recipe.rawValue)
    let data = try recipe.data()
    #expect(data.train.count == 10_215 && data.test.count == 2_554)
    #expect(network.architecture == recipe.architecture(for: data))
    #expect(metadata.training == recipe.training(seed: 0))
    let test = try network.evaluate(data.test)
    #expect(test.accuracy >= 0.99)
    #expect(try network.evaluate(data.train).accuracy >= 0.99)
    #expect(abs((metadata.metrics["test_accuracy"] ?? 0) - test.accuracy) < 2e-3)
  }
}
