import CLinearAlgebra
import Foundation
import LayerSimilarity
import TensorIO
import Tensors

/// The analysis benchmarks of issue 4: one exact Gromov-Wasserstein pair against POT on the same
/// distance matrices, all pairs of a 12-layer chain, and the fraction of the GEMM peak reached.
public enum AnalysisBenchmarks {
  /// Markdown lines for `docs/performance.md`; progress goes to standard output.
  public static func gromovWasserstein(sampleCount n: Int, python: String, potRepetitions: Int) throws -> [String] {
    var lines: [String] = []
    let chain = try GromovWassersteinBenchmark.layerChain(count: 12, sampleCount: n, seed: 0)
    let first = chain.layers[0]
    let second = chain.layers[5]
    let a = try MetricMeasureSpace(representation: first.values, layer: first.name)
    let b = try MetricMeasureSpace(representation: second.values, layer: second.name)
    let peak = BLASThreads.withCount(1) { singleThreadSGEMM(size: n) }
    print(String(format: "sgemm n=%d, 1 thread: %.1f GFLOP/s", n, peak / 1e9))

    lines.append("## Layer similarity (issue 4)")
    lines.append("")
    lines.append("Synthetic chain of 12 layers on n = \(n) shared samples (`GromovWassersteinBenchmark.layerChain`,")
    lines.append("widths 64/48/32/96, each layer `tanh` of a random map of the previous one plus noise);")
    lines.append("distances euclidean, mean-normalized. One pair = layers 0 and 5.")
    lines.append("")
    lines.append("### One exact GW pair against POT (same distance matrices)")
    lines.append("")
    lines.append(
      "| solver | starts (iterations) | GW value | seconds | POT time / ours | GEMM share of time | GFLOP/s in GEMM | of peak |")
    lines.append("|:---|:---|---:|---:|---:|---:|---:|---:|")
    let configurations: [(String, ConditionalGradientOptions)] = [
      ("NetAtlas CG, product start (POT's algorithm)", .productStartOnly),
      ("NetAtlas CG, identity + product starts", ConditionalGradientOptions(samplesAreShared: true, randomStarts: 0)),
      (
        "NetAtlas CG, identity + product starts, simplex only",
        ConditionalGradientOptions(samplesAreShared: true, randomStarts: 0, linearSolver: .networkSimplex)
      ),
      (
        "NetAtlas CG, identity + product + 1 random (the layers default)",
        ConditionalGradientOptions(samplesAreShared: true, randomStarts: 1)
      ),
      ("NetAtlas CG, identity + product + 3 random", ConditionalGradientOptions(samplesAreShared: true, randomStarts: 3)),
    ]
    let peer = try potPeer(a, b, python: python, repetitions: potRepetitions)
    for (name, options) in configurations {
      var result: GromovWassersteinResult?
      let seconds = try BLASThreads.withCount(1) {
        try Stopwatch.median(repetitions: 3, warmup: 0) {
          result = try GromovWasserstein.conditionalGradient(a, b, options: options)
        }
      }
      let r = result!
      let starts = r.starts.map { "\($0.start) (\($0.iterations))" }.joined(separator: ", ")
      let gemmRate = r.productSeconds > 0 ? r.productFlops / r.productSeconds : 0
      let speedup = peer.map { String(format: "%.1f", $0.seconds / seconds) } ?? "n/a"
      lines.append(
        String(
          format: "| %@ | %@ | %.9g | %.3f | %@ | %.0f%% | %.1f | %.0f%% |", name, starts, r.value, seconds, speedup,
          100 * r.productSeconds / seconds, gemmRate / 1e9, 100 * gemmRate / peak))
      print(
        String(
          format: "gw pair %@: value %.9g, %.3f s, %@ x POT, GEMM %.1f GFLOP/s", name, r.value, seconds, speedup,
          gemmRate / 1e9))
    }
    if let peer {
      lines.append(
        String(
          format: "| POT %@ `gromov_wasserstein2` (product start) | product (%d) | %.9g | %.3f | 1.0 | | | |", peer.version,
          peer.iterations, peer.value, peer.seconds))
    } else {
      lines.append("| POT not installed (`pip install POT`): comparison skipped | | | | | | | |")
    }
    lines.append("")
    lines.append(
      String(
        format: "GEMM peak of this machine, one thread, sgemm n = %d: %.1f GFLOP/s. Each pair runs single-threaded; the", n,
        peak / 1e9))
    lines.append("GFLOP/s column is the rate of the `C1 V C2^T` products (single precision, `V` the sparse linear-step")
    lines.append("solution or its difference from the previous one) inside the CG iterations, and \"of peak\" its fraction")
    lines.append("of that sgemm peak. Values are recomputed exactly in double precision from the coupling's support.")
    lines.append("")

    lines.append("### All pairs of the 12 layers")
    lines.append("")
    lines.append("`LayerSimilarityAnalysis` (CG plus linear CKA, the RSM difference and the Procrustes distance per pair),")
    lines.append("\(ProcessInfo.processInfo.activeProcessorCount) worker threads, one BLAS thread each.")
    lines.append("")
    lines.append("| CG starts | pairs | distance matrices (s) | pairs (s) | total (s) | target (s) | starts won |")
    lines.append("|:---|---:|---:|---:|---:|---:|:---|")
    for (name, randomStarts) in [("identity + product + 1 random (default)", 1), ("identity + product", 0)] {
      var analysis: LayerSimilarityAnalysis?
      let seconds = try Stopwatch.time {
        analysis = try LayerSimilarityAnalysis(chain, options: LayerSimilarityOptions(randomStarts: randomStarts))
      }
      let result = analysis!
      let winners = Dictionary(grouping: result.pairs, by: \.winningStart).mapValues(\.count)
        .sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
      print(String(format: "all %d pairs, %@: %.1f s (%@)", result.pairs.count, name, seconds, winners))
      lines.append(
        String(
          format: "| %@ | %d | %.2f | %.2f | %.2f | 20 | %@ |", name, result.pairs.count, result.spacesSeconds,
          result.pairsSeconds, seconds, winners))
    }
    lines.append("")
    return lines
  }

  /// GFLOP/s of one `n x n` sgemm (median of 5).
  public static func singleThreadSGEMM(size n: Int) -> Double {
    var generator = SeededGenerator(seed: 7)
    let a = (0..<(n * n)).map { _ in generator.nextUniform(as: Float.self) }
    let b = (0..<(n * n)).map { _ in generator.nextUniform(as: Float.self) }
    var c = [Float](repeating: 0, count: n * n)
    let seconds = Stopwatch.median(repetitions: 5) {
      cblas_sgemm(
        CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, a, Int32(n), b, Int32(n), 0, &c,
        Int32(n))
    }
    return 2 * Double(n) * Double(n) * Double(n) / seconds
  }

  public struct PeerResult {
    public var version: String
    public var value: Double
    public var seconds: Double
    public var iterations: Int
  }

  /// Runs POT on the two spaces' distance matrices, written to a temporary folder.
  public static func potPeer(_ a: MetricMeasureSpace, _ b: MetricMeasureSpace, python: String, repetitions: Int) throws
    -> PeerResult?
  {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netatlas-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = folder.appendingPathComponent("c1.npy")
    let second = folder.appendingPathComponent("c2.npy")
    try NumPyFile.write(StoredArray(a.distances), to: first)
    try NumPyFile.write(StoredArray(b.distances), to: second)
    guard
      let peer = PythonPeer.run(
        python: python, script: "scripts/bench_pot_gw.py", arguments: [first.path, second.path, "\(repetitions)"]),
      let value = peer["value"] as? Double, let seconds = peer["seconds"] as? Double
    else { return nil }
    return PeerResult(
      version: peer["pot"] as? String ?? "?", value: value, seconds: seconds, iterations: peer["iterations"] as? Int ?? 0)
  }
}
