import Foundation
import Networks
import TensorIO
import Tensors
import Testing

@testable import Analyses
@testable import netatlas

/// `netatlas layers` in-process: a tiny MLP on digits and an .npz activations file.
@Suite struct LayersCommandTests {
  let folder: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("netatlas-layers-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }()

  func modelFile() throws -> URL {
    let network = try Network<Float>(architecture: .mlp(MLPArchitecture(widths: [64, 16, 12, 10])), seed: 3)
    let url = folder.appendingPathComponent("tiny.safetensors")
    try ModelFile.write(network, metadata: ModelMetadata(architecture: network.architecture, task: "digits-mlp"), to: url)
    return url
  }

  /// Layer a: a random cloud; b: a as a feature-permuted copy; c: an independent cloud.
  func activationsFile(n: Int = 30, corrupt: Bool = false, mismatched: Bool = false) throws -> URL {
    var generator = SeededGenerator(seed: 11)
    let a = (0..<(n * 5)).map { _ in Float.random(in: -1...1, using: &generator) }
    var b = [Float](repeating: 0, count: n * 5)
    for i in 0..<n { for k in 0..<5 { b[i * 5 + (k + 2) % 5] = a[i * 5 + k] } }
    var c = (0..<(n * 3)).map { _ in Float.random(in: -1...1, using: &generator) }
    if corrupt { c[3 * 4 + 1] = .nan }
    let cCount = mismatched ? n - 1 : n
    let url = folder.appendingPathComponent("acts-\(corrupt)-\(mismatched).npz")
    try NumPyArchive.write(
      [
        ("a", StoredArray(Tensor(shape: [n, 5], scalars: a))),
        ("b", StoredArray(Tensor(shape: [n, 5], scalars: b))),
        ("c", StoredArray(Tensor(shape: [cCount, 3], scalars: Array(c.prefix(cCount * 3))))),
      ], to: url)
    return url
  }

  func readJSON(_ dir: URL) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("layers.json"))) as! [String: Any]
  }

  func checkMatrices(_ json: [String: Any], layers: Int) {
    for key in ["gw", "linearCKA", "rsmDifference", "procrustes"] {
      let m = json[key] as! [[Double]]
      #expect(m.count == layers && m.allSatisfy { $0.count == layers }, "\(key)")
      for i in 0..<layers {
        if key != "linearCKA" { #expect(m[i][i] == 0, "\(key)") }
        for j in 0..<layers { #expect(m[i][j] == m[j][i], "\(key)") }
      }
    }
    let groups = json["groups"] as! [String: Any]
    for method in ["hierarchical", "contiguous"] {
      let members = ((groups[method] as! [String: Any])["groups"] as! [[Int]]).flatMap { $0 }
      #expect(members.sorted() == Array(0..<layers), "\(method)")
    }
    #expect((groups["linkage"] as! [[Double]]).count == layers - 1)
    #expect((json["pairs"] as! [Any]).count == layers * (layers - 1) / 2)
  }

  @Test func modelRun() throws {
    let model = try modelFile()
    let out = folder.appendingPathComponent("model-out")
    let (status, message) = NetAtlasCommand.execute(["layers", model.path, "--samples", "40", "--starts", "1", "--out", out.path])
    #expect(status == 0, "\(message ?? "")")
    let json = try readJSON(out)
    #expect(json["layers"] as? [String] == ["layers.0.post", "layers.1.post", "logits"])
    #expect(json["widths"] as? [Int] == [16, 12, 10])
    #expect(json["samples"] as? Int == 40)
    checkMatrices(json, layers: 3)
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))

    let sitesOut = folder.appendingPathComponent("sites-out")
    let chosen = NetAtlasCommand.execute([
      "layers", model.path, "--sites", "input,layers.0.pre,layers.1.post", "--samples", "20", "--metric", "cosine",
      "--normalize", "max", "--solver", "entropic", "--epsilon", "0.02", "--out", sitesOut.path,
    ])
    #expect(chosen.status == 0, "\(chosen.message ?? "")")
    let sitesJSON = try readJSON(sitesOut)
    #expect(sitesJSON["layers"] as? [String] == ["input", "layers.0.pre", "layers.1.post"])
    checkMatrices(sitesJSON, layers: 3)
  }

  @Test func activationsRun() throws {
    let out = folder.appendingPathComponent("acts-out")
    let (status, message) = NetAtlasCommand.execute(["layers", "--activations", try activationsFile().path, "--out", out.path])
    #expect(status == 0, "\(message ?? "")")
    let json = try readJSON(out)
    #expect(json["layers"] as? [String] == ["a", "b", "c"])
    #expect(json["widths"] as? [Int] == [5, 5, 3])
    checkMatrices(json, layers: 3)
    let gw = json["gw"] as! [[Double]]
    #expect(gw[0][1] < 1e-9 && gw[0][2] > 1e-3)
  }

  func expectUserError(_ arguments: [String], mentions words: [String]) {
    let (status, message) = NetAtlasCommand.execute(arguments)
    #expect(status == 2, "\(arguments)")
    for word in words { #expect(message?.contains(word) == true, "\(arguments): \(message ?? "nil") lacks \(word)") }
  }

  @Test func badInput() throws {
    let model = try modelFile().path
    let out = folder.appendingPathComponent("bad").path
    expectUserError(
      ["layers", model, "--sites", "layers.0.post,nonsense", "--out", out], mentions: ["nonsense", "layers.1.post"])
    expectUserError(["layers", model, "--samples", "1", "--out", out], mentions: ["--samples"])
    expectUserError(["layers", model, "--sites", "logits", "--samples", "10", "--out", out], mentions: ["2 sites"])
    expectUserError(
      ["layers", "--activations", try activationsFile(mismatched: true).path, "--out", out], mentions: ["'c'", "29", "30"])
    expectUserError(
      ["layers", "--activations", try activationsFile(corrupt: true).path, "--out", out], mentions: ["'c'", "sample 4", "NaN"])
    expectUserError(["layers", "--out", out], mentions: ["MODEL"])
    expectUserError(["layers", model, "--activations", try activationsFile().path, "--out", out], mentions: ["both"])
    expectUserError(["layers", model, "--solver", "entropic", "--starts", "2", "--out", out], mentions: ["--starts"])
    expectUserError(["layers", model, "--epsilon", "0.1", "--out", out], mentions: ["--epsilon"])
    expectUserError(["layers", "--activations", try activationsFile().path, "--sites", "a", "--out", out], mentions: ["--sites"])
    expectUserError(
      ["layers", "--activations", try activationsFile().path, "--samples", "10", "--out", out], mentions: ["--samples"])
    expectUserError(["layers", model, "--samples", "100000", "--out", out], mentions: ["100000", "359"])
    expectUserError(["layers", model, "--metric", "manhattan", "--out", out], mentions: ["manhattan"])
    expectUserError(["layers", "--activations", folder.appendingPathComponent("x.csv").path, "--out", out], mentions: ["x.csv"])
  }
}
