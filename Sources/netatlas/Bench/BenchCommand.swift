import Analyses
import ArgumentParser
import Benchmarks
import Foundation
import TensorIO
import Tensors

/// `netatlas bench`: measures the engine against raw BLAS and PyTorch in the same run and
/// writes the figures as Markdown.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench", abstract: "Benchmark the engine against raw CBLAS and PyTorch; write docs/performance.md.")

  @Option(help: "Markdown file to write.")
  var out: String = "docs/performance.md"

  @Option(help: "Repetitions per GEMM measurement (median reported).")
  var repetitions: Int = 7

  @Option(help: "Python interpreter used for the PyTorch peer.")
  var python: String = "python3"

  @Flag(help: "Skip the 2048 GEMM and the factorizations (quick check).")
  var quick = false

  @Option(help: "Comma-separated sections to run: engine, gw, spectral, lib (default: all).")
  var only: String = "engine,gw,spectral,lib"

  @Option(help: "Training inputs of the LIB benchmark (default: all 3,830).")
  var libSamples: Int = 3830

  @Option(help: "Samples n of the Gromov-Wasserstein benchmarks.")
  var gwSamples: Int = 1000

  func run() throws {
    let sections = Set(only.split(separator: ",").map(String.init))
    let known: Set<String> = ["engine", "gw", "spectral", "lib"]
    guard sections.isSubset(of: known), !sections.isEmpty else {
      throw ValidationError("--only takes sections from \(known.sorted().joined(separator: ", ")), got \"\(only)\"")
    }
    guard gwSamples >= 2 else { throw ValidationError("--gw-samples must be at least 2, got \(gwSamples)") }
    var lines: [String] = []
    lines.append("# Performance")
    lines.append("")
    lines.append("Written by `make bench` (`netatlas bench`). Every figure is a ratio measured in one run on")
    lines.append(
      "the same machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, OpenBLAS with \(BLASThreads.count) threads.")
    lines.append("")
    if sections.contains("engine") { lines += try engineSection() }
    if sections.contains("gw") {
      lines += try AnalysisBenchmarks.gromovWasserstein(sampleCount: gwSamples, python: python, potRepetitions: quick ? 1 : 3)
    }
    if sections.contains("spectral") { lines += try SpectralBenchmarks.spectralClustering(python: python, repetitions: 3) }
    if sections.contains("lib") {
      guard libSamples >= 2 else { throw ValidationError("--lib-samples must be at least 2, got \(libSamples)") }
      lines += try InteractionBasisBenchmarks.modularAddition(
        samples: libSamples, smallSamples: Swift.max(2, libSamples / 4), python: python)
    }
    // Hand-written sections after the marker (figures of other benchmarks) are kept.
    let url = URL(fileURLWithPath: out)
    let marker = "<!-- end of netatlas bench output; text below is kept -->"
    var text = lines.joined(separator: "\n") + "\n" + marker + "\n"
    if let existing = try? String(contentsOf: url, encoding: .utf8), let range = existing.range(of: marker + "\n") {
      text += existing[range.upperBound...]
    }
    try AtomicWrite.write(Data(text.utf8), to: url)
    print("wrote \(out)")
  }

  /// GEMM, LAPACK, the MLP step and the transformer step against their peers.
  private func engineSection() throws -> [String] {
    let threads = BLASThreads.count
    var lines: [String] = []
    lines.append("## Engine (issue 2)")
    lines.append("")
    lines.append("### Matrix multiplication: `Tensor.matmul` vs raw `cblas_?gemm`")
    lines.append("")
    lines.append("| n | dtype | Tensor GFLOP/s | cblas GFLOP/s | ratio |")
    lines.append("|---:|:---|---:|---:|---:|")
    for n in quick ? [256, 1024] : [256, 1024, 2048] {
      for row in EngineBenchmarks.gemm(size: n, repetitions: n >= 2048 ? 3 : repetitions) {
        lines.append(
          String(format: "| %d | %@ | %.1f | %.1f | %.3f |", row.size, row.dtype, row.tensorGFLOPS, row.cblasGFLOPS, row.ratio))
        print(
          String(
            format: "gemm n=%d %@: Tensor %.1f GFLOP/s, cblas %.1f GFLOP/s, ratio %.3f", row.size, row.dtype, row.tensorGFLOPS,
            row.cblasGFLOPS, row.ratio))
      }
    }
    if !quick {
      lines.append("")
      lines.append("### LAPACK at n = 1024 (Double)")
      lines.append("")
      lines.append("| routine | seconds | multiples of one 1024 dgemm |")
      lines.append("|:---|---:|---:|")
      for row in try EngineBenchmarks.factorizations(size: 1024) {
        lines.append(String(format: "| %@ | %.3f | %.1f |", row.name, row.seconds, row.gemmMultiples))
        print(String(format: "%@ n=%d: %.3f s (%.1f x dgemm)", row.name, row.size, row.seconds, row.gemmMultiples))
      }
    }
    lines.append("")
    lines.append("### MLP 784-256-256-10, batch 256, one forward + backward (Float)")
    lines.append("")
    let ours = EngineBenchmarks.mlpStep(repetitions: 50)
    print(String(format: "mlp step: NetAtlas %.3f ms", ours * 1000))
    lines.append("| implementation | ms per step |")
    lines.append("|:---|---:|")
    lines.append(String(format: "| NetAtlas | %.3f |", ours * 1000))
    if let peer = PythonPeer.run(python: python, script: "scripts/bench_torch_mlp.py", arguments: ["\(threads)", "50"]),
      let seconds = peer["seconds"] as? Double
    {
      let version = peer["torch"] as? String ?? "?"
      lines.append(String(format: "| PyTorch %@ (%d threads) | %.3f |", version, threads, seconds * 1000))
      lines.append("")
      lines.append(String(format: "Ratio NetAtlas / PyTorch: **%.2f** (target <= 1.5).", ours / seconds))
      print(String(format: "mlp step: PyTorch %.3f ms, ratio %.2f", seconds * 1000, ours / seconds))
    } else {
      lines.append("")
      lines.append("PyTorch is not installed here (`pip install torch==2.13.0`), so the comparison was skipped.")
      print("mlp step: PyTorch not available, comparison skipped")
    }
    lines.append("")
    lines.append("### Modular-addition transformer, one full-batch AdamW step (Float)")
    lines.append("")
    lines.append("p = 113, 3,830 training pairs, d_model 128, 4 heads, d_mlp 512, 1 block; the grokking setup of issue 3.")
    lines.append("")
    let step = try EngineBenchmarks.transformerStep(repetitions: quick ? 5 : 15)
    print(String(format: "transformer step: NetAtlas %.1f ms", step * 1000))
    lines.append("| implementation | ms per step |")
    lines.append("|:---|---:|")
    lines.append(String(format: "| NetAtlas | %.1f |", step * 1000))
    if let peer = PythonPeer.run(
      python: python, script: "scripts/bench_torch_transformer.py", arguments: ["\(threads)", quick ? "5" : "15"]),
      let seconds = peer["seconds"] as? Double
    {
      let version = peer["torch"] as? String ?? "?"
      lines.append(String(format: "| PyTorch %@ (%d threads, same computation) | %.1f |", version, threads, seconds * 1000))
      lines.append("")
      lines.append(String(format: "Ratio NetAtlas / PyTorch: **%.2f**.", step / seconds))
      print(String(format: "transformer step: PyTorch %.1f ms, ratio %.2f", seconds * 1000, step / seconds))
    } else {
      lines.append("")
      lines.append("PyTorch is not installed here, so the comparison was skipped.")
    }
    lines.append("")
    return lines
  }
}
