import Datasets
import Foundation
import Networks
import Recipes
import Testing

/// The committed checkpoints of recipes whose data is downloaded (MNIST, the Lee corpus): each
/// test re-evaluates one and runs only when its data is cached already, so the suite needs no
/// network. Fetch with `python3 scripts/fetch_mnist.py` and `python3 scripts/fetch_lee_corpus.py`.
@Suite struct CachedDataCheckpointTests {
  static let checkpoints = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("checkpoints")

  /// Reads `checkpoints/<recipe>` and its task's data; checks that it is the recipe's model
  /// and that the file is small enough to commit.
  func checkpoint(_ recipe: TrainingRecipe) throws -> (network: Network<Float>, metadata: ModelMetadata, data: TaskData<Float>) {
    let file = Self.checkpoints.appendingPathComponent(recipe.rawValue).appendingPathComponent("model.safetensors")
    let (network, metadata) = try ModelFile.read(file)
    #expect(metadata.task == recipe.rawValue)
    let data = try recipe.data()
    #expect(network.architecture == recipe.architecture(for: data))
    #expect(metadata.training?.optimizer == recipe.training(seed: 0).optimizer)
    let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size]
    #expect(((size as? Int) ?? .max) < 3_000_000)
    return (network, metadata, data)
  }

  /// The 4x256 MLP of the neuron-modules headline: 0.937 test accuracy. Trained on 4,000
  /// images it overfits (train 0.999); the same recipe in PyTorch reaches 0.945 on a similar split.
  @Test(.enabled(if: MNISTTask().isCached, "fetch MNIST to run"))
  func mnistMLPCheckpoint() throws {
    let (network, metadata, data) = try checkpoint(.mnistMLP)
    let test = try network.evaluate(data.test)
    // Re-evaluated with today's kernels; float rounding may flip a prediction or so.
    #expect(abs((metadata.metrics["test_accuracy"] ?? 0) - test.accuracy) < 1e-3)
    #expect(test.accuracy >= 0.93)
    #expect(try network.evaluate(data.train).accuracy >= test.accuracy)
  }

  /// Next-character accuracy and loss over all 64 positions. The 499 test windows of the 30
  /// held-out documents take about 20 s in a debug build, so this evaluates the first 128
  /// (8,192 predictions from a seeded random sample of windows) against the recorded figures
  /// for the whole split (test accuracy 0.543, loss 1.566 nats per character).
  @Test(.enabled(if: LeeCorpusTask().isCached, "fetch the Lee corpus to run"))
  func leeLMCheckpoint() throws {
    let (network, metadata, data) = try checkpoint(.leeLM)
    #expect(data.test.count == 499)
    let recorded = metadata.metrics["test_accuracy"] ?? 0
    #expect(recorded >= 0.54)
    let sample = try network.evaluate(data.test.prefix(128))
    #expect(abs(sample.accuracy - recorded) < 0.03)
    // Cross-entropy in nats per character; a unigram model of English text is near 3.0.
    #expect(sample.loss < 1.7)
  }
}
