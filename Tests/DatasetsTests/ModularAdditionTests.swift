import Networks
import Testing

@testable import Datasets

@Suite struct ModularAdditionTests {
  @Test func countsFollowTheDocumentedFloorRule() throws {
    let data: TaskData<Float> = try BuiltInTask.modularAddition.load()
    #expect(data.train.count == 3830)  // floor(0.3 * 113 * 113) = floor(3830.7)
    #expect(data.test.count == 113 * 113 - 3830)
    #expect(data.inputShape == [3])
    #expect(data.classes == 113)
    #expect(data.train.inputs.shape == [3830, 3])
    #expect(ModularAdditionTask(modulus: 7, trainFraction: 0.5).trainCount == 24)  // floor(24.5)
  }

  @Test func labelsAreTheSumModP() throws {
    let task = ModularAdditionTask(modulus: 13)
    let data: TaskData<Double> = try task.load()
    for split in [data.train, data.test] {
      for i in 0..<split.count {
        let a = Int(split.inputs[i, 0])
        let b = Int(split.inputs[i, 1])
        #expect(split.inputs[i, 2] == 13)  // "=" is token p
        #expect(split.labels[i] == (a + b) % 13)
      }
    }
  }

  @Test func splitsPartitionAllPairs() throws {
    let p = 17
    let data: TaskData<Float> = try ModularAdditionTask(modulus: p).load()
    func pairs(_ split: LabeledData<Float>) -> [Int] {
      (0..<split.count).map { Int(split.inputs[$0, 0]) * p + Int(split.inputs[$0, 1]) }
    }
    let train = Set(pairs(data.train))
    let test = Set(pairs(data.test))
    #expect(train.count == data.train.count && test.count == data.test.count)
    #expect(train.isDisjoint(with: test))
    #expect(train.union(test) == Set(0..<(p * p)))
  }

  @Test func sameSeedSameSplitOtherSeedOtherSplit() throws {
    let first: TaskData<Float> = try BuiltInTask.modularAddition.load(seed: 3)
    let again: TaskData<Float> = try BuiltInTask.modularAddition.load(seed: 3)
    let other: TaskData<Float> = try BuiltInTask.modularAddition.load(seed: 4)
    #expect(first.train.inputs == again.train.inputs && first.train.labels == again.train.labels)
    #expect(first.test.inputs == again.test.inputs)
    #expect(first.train.inputs != other.train.inputs)
  }

  @Test func rejectsBadParameters() {
    #expect(throws: DatasetError.self) { let _: TaskData<Float> = try ModularAdditionTask(modulus: 1).load() }
    #expect(throws: DatasetError.self) { let _: TaskData<Float> = try ModularAdditionTask(trainFraction: 1.5).load() }
  }
}
