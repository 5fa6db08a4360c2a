import Foundation
import Testing

@testable import Analyses
@testable import netatlas

/// `netatlas lib` in-process on the committed modular-addition checkpoint, and its errors.
@Suite struct LibCommandTests {
  let folder: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("netatlas-lib-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }()

  static let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("checkpoints/modular-addition/model.safetensors").path

  @Test func writesResultMatricesAndReport() throws {
    let out = folder.appendingPathComponent("run")
    let (status, message) = NetAtlasCommand.execute([
      "lib", Self.model, "--samples", "120", "--ablations", "node", "--out", out.path,
    ])
    #expect(status == 0, "\(message ?? "")")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("lib.json"))) as? [String: Any])
    #expect(json["samples"] as? Int == 120)
    let layers = try #require(json["layers"] as? [[String: Any]])
    #expect(layers.map { $0["site"] as? String } == ["embed", "blocks.0.resid_mid", "blocks.0.resid_post", "logits"])
    let libSize = try #require(layers[2]["libSize"] as? Int)
    #expect(libSize > 50 && libSize <= 128)
    let edges = try #require(json["edges"] as? [[String: Any]])
    #expect(edges.count == 6)
    let curves = try #require(json["nodeAblations"] as? [[String: Any]])
    #expect(curves.count == 6)
    #expect((json["fourier"] as? [Any])?.isEmpty == false)
    let report = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(report.contains("Local Interaction Basis") && report.contains("Interaction graph (lib)"))
    let matrices = try Data(contentsOf: out.appendingPathComponent("lib-matrices.safetensors"))
    #expect(matrices.count > 100_000)
  }

  @Test func badOptionsExitWithStatus2() {
    let out = folder.appendingPathComponent("bad").path
    let cases: [([String], String)] = [
      (["lib", Self.model, "--node-layers", "embed,nope", "--out", out], "unknown node layer \"nope\""),
      (["lib", Self.model, "--node-layers", "logits,embed", "--out", out], "forward order"),
      (["lib", Self.model, "--node-layers", "blocks.0.attn.pattern,logits", "--out", out], "side site"),
      (["lib", Self.model, "--threshold", "0", "--out", out], "threshold must be a positive number"),
      (["lib", Self.model, "--basis", "ica", "--out", out], "--basis takes lib, pca or both"),
      (["lib", Self.model, "--ablations", "nodes", "--out", out], "--ablations takes node, edge"),
      (["lib", folder.appendingPathComponent("missing.safetensors").path, "--out", out], "missing.safetensors"),
    ]
    for (arguments, expected) in cases {
      let (status, message) = NetAtlasCommand.execute(arguments)
      #expect(status == 2, "\(arguments)")
      #expect(message?.contains(expected) == true, "\(arguments): \(message ?? "")")
    }
  }
}
