import Networks
import Testing

@testable import Datasets

@Suite struct PlantedModulesTests {
  static let task = PlantedModulesTask()
  static let data: TaskData<Double> = try! task.load()

  @Test func shapesAndPlantedParts() {
    let data = Self.data
    #expect(data.inputShape == [32] && data.classes == 16)
    #expect(data.train.inputs.shape == [8000, 32] && data.test.inputs.shape == [2000, 32])
    #expect(Self.task.partCount == 4)
    #expect((0..<32).map(Self.task.plantedPart(ofInput:)) == (0..<4).flatMap { Array(repeating: $0, count: 8) })
    #expect(Self.task.plantedParts.count == 32)
  }

  @Test func classesAreBalanced() {
    for (split, perClass) in [(Self.data.train, 500), (Self.data.test, 125)] {
      var counts = [Int](repeating: 0, count: 16)
      for label in split.labels { counts[label] += 1 }
      #expect(counts.allSatisfy { abs($0 - perClass) <= perClass / 20 })
    }
  }

  @Test func deterministicPerSeed() throws {
    let again: TaskData<Double> = try BuiltInTask.plantedModules.load()
    let other: TaskData<Double> = try BuiltInTask.plantedModules.load(seed: 1)
    #expect(again.train.inputs == Self.data.train.inputs && again.test.labels == Self.data.test.labels)
    #expect(other.train.inputs != Self.data.train.inputs)
  }

  @Test func labelIsTheTupleOfSubAnswers() {
    let task = Self.task
    for label in 0..<16 {
      let answers = task.subAnswers(ofLabel: label)
      #expect(answers == (0..<4).map { (label >> $0) & 1 })
      #expect(task.label(forSubAnswers: answers) == label)
      #expect(answers.enumerated().reduce(0) { $0 + $1.element << $1.offset } == label)
    }
  }

  @Test func directionsAreOrthonormalPerPart() {
    let directions = Self.task.directions()
    #expect(directions.count == 4)
    for part in directions {
      #expect(part.count == 2 && part.allSatisfy { $0.count == 8 })
      for i in 0..<2 {
        for j in 0..<2 {
          let dot = zip(part[i], part[j]).reduce(0) { $0 + $1.0 * $1.1 }
          #expect(abs(dot - (i == j ? 1 : 0)) < 1e-12)
        }
      }
    }
  }

  /// Recomputes each sub-answer from its part's features alone with the documented decision
  /// rule (the direction of largest |projection|) and the label from the sub-answers.
  @Test func labelIsTheDocumentedFunctionOfThePartsFeatures() {
    let task = Self.task
    let directions = task.directions()
    for split in [Self.data.train, Self.data.test] {
      var labelAgreement = 0
      var partAgreement = [Int](repeating: 0, count: 4)
      for i in 0..<split.count {
        let x = split.inputs.scalars[(i * 32)..<((i + 1) * 32)].map { $0 }
        let truth = task.subAnswers(ofLabel: split.labels[i])
        let decoded = (0..<4).map { part -> Int in
          let features = Array(x[(part * 8)..<((part + 1) * 8)])
          let scores = directions[part].map { d in abs(zip(features, d).reduce(0) { $0 + $1.0 * $1.1 }) }
          return scores[1] > scores[0] ? 1 : 0
        }
        for part in 0..<4 where decoded[part] == truth[part] { partAgreement[part] += 1 }
        if task.label(forSubAnswers: decoded) == split.labels[i] { labelAgreement += 1 }
      }
      // The rule is Bayes-optimal; with separation 5 it errs on about 0.05% of parts.
      #expect(Double(labelAgreement) / Double(split.count) > 0.99)
      #expect(partAgreement.allSatisfy { Double($0) / Double(split.count) > 0.995 })
    }
  }

  /// A sub-answer is invisible to a linear read-out: both sub-classes of a part have mean ~0.
  @Test func subClassMeansCoincide() {
    let split = Self.data.train
    for part in 0..<4 {
      var sums = [[Double]](repeating: [Double](repeating: 0, count: 8), count: 2)
      var counts = [0, 0]
      for i in 0..<split.count {
        let answer = Self.task.subAnswers(ofLabel: split.labels[i])[part]
        counts[answer] += 1
        for f in 0..<8 { sums[answer][f] += split.inputs[i, part * 8 + f] }
      }
      for answer in 0..<2 {
        #expect(sums[answer].allSatisfy { abs($0 / Double(counts[answer])) < 0.35 })
      }
    }
  }

  @Test func rejectsBadParameters() {
    #expect(throws: DatasetError.self) { let _: TaskData<Float> = try PlantedModulesTask(subClassCount: 9).load() }
    #expect(throws: DatasetError.self) { let _: TaskData<Float> = try PlantedModulesTask(partCount: 0).load() }
    #expect(throws: DatasetError.self) { let _: TaskData<Float> = try PlantedModulesTask(partCount: 13).load() }
  }

  @Test func otherShapesWork() throws {
    let task = PlantedModulesTask(partCount: 2, featuresPerPart: 5, subClassCount: 3, trainCount: 90, testCount: 18)
    let data: TaskData<Float> = try task.load()
    #expect(data.classes == 9 && data.inputShape == [10])
    #expect(task.plantedPart(ofInput: 4) == 0 && task.plantedPart(ofInput: 5) == 1)
    #expect(task.label(forSubAnswers: [2, 1]) == 5)
    #expect(task.subAnswers(ofLabel: 5) == [2, 1])
    var counts = [Int](repeating: 0, count: 9)
    for label in data.train.labels { counts[label] += 1 }
    #expect(counts == [Int](repeating: 10, count: 9))
  }
}
