import Datasets
import Foundation
import Networks
import Recipes
import Testing

/// The lee-lm recipe's architecture and schedule on a tiny inline text (no download): the
/// language-model head predicts every position and trains on `N * T` labels.
@Suite struct LanguageModelRecipeTests {
  static let texts = (0..<4).map { k in
    String(repeating: "the cat sat on the mat, the dog sat on the log. ", count: 2 + k % 2)
  }

  @Test func leeLMLearnsATinyText() throws {
    let recipe = TrainingRecipe.leeLM
    #expect(recipe.task == .leeCorpus && recipe.task.needsDownload)
    let data: TaskData<Float> = try LeeCorpusTask(contextLength: 8, testFraction: 0.25).makeTask(texts: Self.texts)
    guard case .transformer(let transformer) = recipe.architecture(for: data) else {
      Issue.record("lee-lm is not a transformer")
      return
    }
    #expect(transformer.head == .languageModel && transformer.causal && transformer.contextLength == 8)
    #expect(transformer.vocabularySize == CharacterVocabulary.size && transformer.blocks >= 4)
    var network = try Network<Float>(architecture: .transformer(transformer), seed: 0)
    let logits = try network.logits(data.test.inputs.slice(axis: 0, 0..<3))
    #expect(logits.shape == [3, 8, CharacterVocabulary.size])
    let before = try network.evaluate(data.test)
    #expect(abs(before.loss - log(Double(CharacterVocabulary.size))) < 0.5)
    var configuration = recipe.training(seed: 0)
    configuration.epochs = 4
    try network.train(on: data.train, configuration: configuration)
    let after = try network.evaluate(data.test)
    // The text repeats one 49-character sentence: 12 steps (39 windows, batches of 16, 4 epochs)
    // learn most of it (measured: loss 4.98 -> 0.65, accuracy 0.91 on the 17 held-out windows).
    #expect(after.loss < 0.25 * before.loss)
    #expect(after.accuracy > 0.8)
    // Accuracy is over all N * T positions, not the last one only.
    let predictions = try network.logits(data.test.inputs).reshaped([-1, CharacterVocabulary.size]).argmax(axis: 1)
    #expect(predictions.count == data.test.count * 8 && data.test.labels.count == predictions.count)
    let correct = zip(predictions, data.test.labels).filter { $0 == $1 }.count
    #expect(after.accuracy == Double(correct) / Double(predictions.count))
  }
}
