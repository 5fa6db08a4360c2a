import Datasets
import Foundation
import InteractionBasis
import Networks
import TensorIO
import Tensors

/// The LIB and PCA passes on the committed modular-addition transformer against the PyTorch
/// reference computed the way rib does it (`scripts/bench_torch_lib.py`: one autograd call per
/// output feature and position), on the same inputs in the same run.
public enum InteractionBasisBenchmarks {
  public static func modularAddition(samples: Int, smallSamples: Int, python: String) throws -> [String] {
    let (network, _) = try ModelFile.read(URL(fileURLWithPath: "checkpoints/modular-addition/model.safetensors"))
    let data: TaskData<Float> = try ModularAdditionTask().load()
    var lines = ["## Local Interaction Basis (issue 11)", ""]
    let options = InteractionBasisOptions(ablations: [])
    // The smaller run first: the process's peak memory after each run shows whether it grows with N.
    var peaks: [(Int, Double)] = []
    var ours: [String: Double] = [:]
    var libSizes: [Int] = []
    for n in [smallSamples, samples] {
      let run = try InteractionBasisAnalysis.run(
        network: network, inputs: data.train.prefix(n).inputs, evaluation: nil, options: options)
      peaks.append((n, peakResidentMegabytes()))
      ours = run.result.seconds
      libSizes = run.result.layers.dropLast().compactMap(\.libSize)
    }
    let n = Swift.min(samples, data.train.count)
    let ids = data.train.prefix(n).inputs.converted(to: Double.self)
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("netatlas-lib-bench-\(UUID().uuidString).npy")
    try NumPyFile.write(StoredArray(ids), to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let peer = PythonPeer.run(
      python: python, script: "scripts/bench_torch_lib.py",
      arguments: ["checkpoints/modular-addition/model.safetensors", file.path, "\(ProcessInfo.processInfo.activeProcessorCount)"])
    let theirs = peer?["seconds"] as? [String: Double]
    lines.append("LIB + PCA on the committed modular-addition transformer, float64, \(n) training inputs, node layers")
    lines.append("embed, resid_mid, resid_post, logits. Peer: `scripts/bench_torch_lib.py` (PyTorch autograd,")
    lines.append("one `autograd.grad` per output feature and position, as rib does it).")
    lines.append("")
    lines.append("| stage | NetAtlas ms | PyTorch ms | speed-up |")
    lines.append("|:---|---:|---:|---:|")
    let stages = [("gram", "statistics"), ("lib basis", "lib basis"), ("lib edges", "lib edges"), ("pca edges", "pca edges")]
    var totalOurs = 0.0
    var totalTheirs = 0.0
    for (peerName, ourName) in stages {
      var mine = ours[ourName] ?? .nan
      if ourName == "statistics" { mine += ours["gram eigendecomposition"] ?? 0 }
      totalOurs += mine
      if let t = theirs?[peerName] {
        totalTheirs += t
        lines.append(String(format: "| %@ | %.0f | %.0f | %.2fx |", peerName, mine * 1000, t * 1000, t / mine))
      } else {
        lines.append(String(format: "| %@ | %.0f | - | - |", peerName, mine * 1000))
      }
    }
    if theirs != nil {
      lines.append(
        String(
          format: "| **total** | %.0f | %.0f | **%.2fx** (target >= 5) |", totalOurs * 1000, totalTheirs * 1000,
          totalTheirs / totalOurs))
      let peerSizes = (peer?["libSizes"] as? [Int]) ?? []
      lines.append("")
      lines.append("LIB sizes NetAtlas \(libSizes), PyTorch \(peerSizes).")
    } else {
      lines.append("")
      lines.append("PyTorch is not installed (`pip install torch==2.13.0`), so the peer was not timed.")
    }
    lines.append("")
    lines.append(
      "Peak resident memory of this process after \(peaks[0].0) inputs: \(String(format: "%.0f", peaks[0].1)) MB; after "
        + "\(peaks[1].0) inputs: \(String(format: "%.0f", peaks[1].1)) MB (batches of \(options.batchSize): memory does not grow with N)."
    )
    lines.append("")
    print(lines.joined(separator: "\n"))
    return lines
  }

  /// The process's peak resident set size in megabytes (`getrusage`, kilobytes on Linux).
  public static func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
  }
}
