import Networks
import Testing

@testable import Datasets

@Suite struct DigitsTests {
  @Test func allImagesMatchScikitLearn() throws {
    let all: LabeledData<Double> = try DigitsTask.allImages()
    #expect(all.count == 1797)
    #expect(all.inputs.shape == [1797, 1, 8, 8])
    #expect(all.inputs.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
    #expect(all.inputs.scalars.contains(1))  // some pixel is 16
    var counts = [Int](repeating: 0, count: 10)
    for label in all.labels { counts[label] += 1 }
    #expect(counts == DigitsReference.labelCounts)
    #expect(all.labels[0] == DigitsReference.firstLabel)
    let firstImage = all.inputs.scalars[0..<64].map { Int(($0 * 16).rounded()) }
    #expect(firstImage == DigitsReference.firstImage)
    #expect(all.inputs.scalars[0..<64].map { $0 * 16 } == DigitsReference.firstImage.map(Double.init))
  }

  @Test func splitIsStratifiedEightyTwenty() throws {
    let data: TaskData<Float> = try BuiltInTask.digits.load()
    #expect(data.train.count == 1438 && data.test.count == 359)
    #expect(data.inputShape == [1, 8, 8] && data.classes == 10)
    #expect(data.train.inputs.shape == [1438, 1, 8, 8])
    var testCounts = [Int](repeating: 0, count: 10)
    for label in data.test.labels { testCounts[label] += 1 }
    #expect(testCounts == DigitsReference.labelCounts.map { Int((Double($0) / 5).rounded()) })
  }

  @Test func splitsPartitionTheImages() throws {
    let all: LabeledData<Float> = try DigitsTask.allImages()
    let data: TaskData<Float> = try DigitsTask(seed: 7).load()
    // How often each (label, pixels) sample occurs, so the splits must be a multiset partition.
    func histogram(_ splits: [LabeledData<Float>]) -> [String: Int] {
      var counts: [String: Int] = [:]
      for split in splits {
        for i in 0..<split.count {
          let pixels = split.inputs.scalars[(i * 64)..<((i + 1) * 64)].map { Int($0 * 16) }
          counts["\(split.labels[i]):\(pixels)", default: 0] += 1
        }
      }
      return counts
    }
    #expect(data.train.count + data.test.count == all.count)
    #expect(histogram([data.train, data.test]) == histogram([all]))
  }

  @Test func sameSeedSameSplit() throws {
    let first: TaskData<Float> = try DigitsTask(seed: 1).load()
    let again: TaskData<Float> = try DigitsTask(seed: 1).load()
    let other: TaskData<Float> = try DigitsTask(seed: 2).load()
    #expect(first.train.labels == again.train.labels && first.test.inputs == again.test.inputs)
    #expect(first.train.labels != other.train.labels)
  }

  @Test func flattenedViewForMLPs() throws {
    let data: TaskData<Float> = try BuiltInTask.digits.load()
    let flat = data.flattened()
    #expect(flat.inputShape == [64] && flat.featureCount == 64)
    #expect(flat.train.inputs.shape == [1438, 64])
    #expect(flat.train.inputs.scalars == data.train.inputs.scalars)
    #expect(flat.test.labels == data.test.labels)
  }
}
