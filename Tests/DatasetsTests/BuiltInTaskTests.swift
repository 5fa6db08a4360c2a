import Foundation
import Networks
import Testing

@testable import Datasets

@Suite struct BuiltInTaskTests {
  @Test func namesRoundTrip() throws {
    #expect(BuiltInTask.allCases.map(\.rawValue) == ["modular-addition", "digits", "mnist", "planted-modules", "lee-corpus"])
    let encoded = try JSONEncoder().encode(BuiltInTask.plantedModules)
    #expect(String(decoding: encoded, as: UTF8.self) == "\"planted-modules\"")
    #expect(try JSONDecoder().decode(BuiltInTask.self, from: Data("\"modular-addition\"".utf8)) == .modularAddition)
  }

  @Test(arguments: [BuiltInTask.modularAddition, .digits, .plantedModules])
  func loadedTasksAreConsistent(task: BuiltInTask) throws {
    let data: TaskData<Float> = try task.load()
    #expect(data.name == task.rawValue)
    #expect(!data.description.isEmpty && !task.summary.isEmpty)
    for split in [data.train, data.test] {
      #expect(Array(split.inputs.shape.dropFirst()) == data.inputShape)
      #expect(split.labels.count == split.count)
      #expect(split.labels.allSatisfy { (0..<data.classes).contains($0) })
      #expect(split.inputs.isFinite)
    }
  }

  @Test func errorsNameTheFile() {
    let error = DatasetError(.missingFile, path: "/x/mnist_images.npy", "the file does not exist")
    #expect(error.description == "/x/mnist_images.npy: the file does not exist")
    #expect(DatasetError(.invalidParameter, path: nil, "bad").description == "bad")
  }
}
