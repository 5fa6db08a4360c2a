import Foundation
import NeuronModules
import TensorIO
import Tensors

/// The spectral-clustering benchmark of issue 5: a 10,000-node planted-partition graph clustered
/// by NetAtlas and by scikit-learn (through `scripts/bench_sklearn_spectral.py`) on the same graph.
public enum SpectralBenchmarks {
  /// Markdown lines for `docs/performance.md`; progress goes to standard output.
  public static func spectralClustering(
    nodes: Int = 10_000, clusters: Int = 12, initializations: Int = 25, python: String, repetitions: Int
  ) throws -> [String] {
    let graph = try SpectralBenchmark.plantedPartitionGraph(
      nodes: nodes, blocks: clusters, averageDegree: 20, inBlockFraction: 0.8)
    let options = SpectralClusteringOptions(clusterCount: clusters, initializations: initializations, seed: 0)
    let threads = BLASThreads.count
    // One warm-up run, then the run of median total time (embedding + k-means) of `repetitions`.
    _ = try SpectralBenchmark.run(graph: graph, options: options)
    let measurements = try (0..<Swift.max(1, repetitions)).map { _ in try SpectralBenchmark.run(graph: graph, options: options) }
      .sorted { $0.totalSeconds < $1.totalSeconds }
    let ours = measurements[measurements.count / 2]
    let seconds = ours.totalSeconds
    print(
      String(
        format:
          "spectral n=%d k=%d n_init=%d: NetAtlas %.3f s (embedding %.3f s, %d iterations, %d products; k-means %.3f s), n-cut %.6f",
        nodes, clusters, initializations, seconds, ours.embeddingSeconds, ours.solverIterations, ours.solverProducts,
        ours.kMeansSeconds, ours.normalizedCut))
    let peer = try sklearnPeer(graph.adjacency, clusters: clusters, initializations: initializations, python: python)

    var lines: [String] = []
    lines.append("## Spectral clustering (issue 5)")
    lines.append("")
    lines.append(
      "Planted-partition graph (`SpectralBenchmark.plantedPartitionGraph`): \(nodes) nodes in \(clusters) blocks, average")
    lines.append(
      "degree 20, 80% of edges inside blocks, weights uniform in [0.5, 1.5); \(ours.storedEntries) stored entries. k = \(clusters),"
    )
    lines.append(
      "n_init = \(initializations), seed 0. NetAtlas: median of \(repetitions) runs of `SpectralBenchmark.run` after one warm-up;"
    )
    lines.append("scikit-learn: `SpectralClustering(affinity=\"precomputed\", assign_labels=\"kmeans\", random_state=0)`,")
    lines.append(
      "median of \(repetitions) fits on the same graph (written as .npz; arpack once, it is slow); n-cut = sum over clusters of")
    lines.append("cut / volume, computed the same way on both sides (`scripts/bench_sklearn_spectral.py`).")
    lines.append("")
    lines.append("| implementation | eigen-solver | seconds | n-cut | sklearn time / ours |")
    lines.append("|:---|:---|---:|---:|---:|")
    lines.append(
      String(
        format:
          "| NetAtlas (%d threads) | Chebyshev-filtered subspace iteration (%d filters, %d sparse products): %.3f s; k-means: %.3f s | %.3f | %.6f | |",
        threads, ours.solverIterations, ours.solverProducts, ours.embeddingSeconds, ours.kMeansSeconds, seconds,
        ours.normalizedCut))
    if let peer {
      for solver in peer.solvers {
        lines.append(
          String(
            format: "| scikit-learn %@%@ | %@ | %.3f | %.6f | %.2f |", peer.version,
            peer.threads.map { " (\($0) BLAS threads)" } ?? "", solver.name, solver.seconds, solver.normalizedCut,
            solver.seconds / seconds))
        print(
          String(
            format: "spectral: scikit-learn %@ %.3f s, n-cut %.6f, ratio %.2f", solver.name, solver.seconds,
            solver.normalizedCut, solver.seconds / seconds))
      }
      if let lobpcg = peer.solvers.first(where: { $0.name == "lobpcg" }) {
        lines.append("")
        lines.append(
          String(
            format:
              "Speed-up against scikit-learn's lobpcg: **%.2fx** (target >= 3); n-cut NetAtlas %.6f vs scikit-learn %.6f (%@).",
            lobpcg.seconds / seconds, ours.normalizedCut, lobpcg.normalizedCut,
            ours.normalizedCut <= lobpcg.normalizedCut * (1 + 1e-12) ? "equal or lower" : "higher"))
      }
      if !peer.solvers.contains(where: { $0.name == "amg" }) {
        lines.append("")
        lines.append("pyamg is not installed, so scikit-learn's amg solver was not timed.")
      }
    } else {
      lines.append("| scikit-learn not available (`pip install scikit-learn`): comparison skipped | | | | |")
      print("spectral: scikit-learn not available, comparison skipped")
    }
    lines.append("")
    return lines
  }

  public struct PeerSolver {
    public var name: String
    public var seconds: Double
    public var normalizedCut: Double
  }

  public struct PeerResult {
    public var version: String
    public var threads: Int?
    public var solvers: [PeerSolver]
  }

  /// Writes `adjacency` as COO arrays `row`, `col`, `data`, `shape` to a temporary .npz and runs
  /// the scikit-learn peer on it.
  public static func sklearnPeer(_ adjacency: SymmetricSparseMatrix, clusters: Int, initializations: Int, python: String) throws
    -> PeerResult?
  {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netatlas-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("graph.npz")
    try writeCOO(adjacency, to: file)
    guard
      let peer = PythonPeer.run(
        python: python, script: "scripts/bench_sklearn_spectral.py",
        arguments: [file.path, "\(clusters)", "\(initializations)", "3"]),
      let solvers = peer["solvers"] as? [String: Any]
    else { return nil }
    var results: [PeerSolver] = []
    for name in ["lobpcg", "arpack", "amg"] {
      guard let entry = solvers[name] as? [String: Any], let seconds = entry["seconds"] as? Double,
        let cut = entry["ncut"] as? Double
      else { continue }
      results.append(PeerSolver(name: name, seconds: seconds, normalizedCut: cut))
    }
    return PeerResult(version: peer["sklearn"] as? String ?? "?", threads: peer["threads"] as? Int, solvers: results)
  }

  /// The matrix as a scipy-style COO .npz: int64 `row` and `col`, float64 `data`, int64 `shape`.
  public static func writeCOO(_ matrix: SymmetricSparseMatrix, to url: URL) throws {
    var rows: [Int] = []
    var columns: [Int] = []
    var values: [Double] = []
    rows.reserveCapacity(matrix.storedEntryCount)
    columns.reserveCapacity(matrix.storedEntryCount)
    values.reserveCapacity(matrix.storedEntryCount)
    matrix.forEachEntry { row, column, value in
      rows.append(row)
      columns.append(column)
      values.append(value)
    }
    try NumPyArchive.write(
      [
        ("row", try StoredArray(shape: [rows.count], integers: rows)),
        ("col", try StoredArray(shape: [columns.count], integers: columns)),
        ("data", StoredArray(Tensor(shape: [values.count], scalars: values))),
        ("shape", try StoredArray(shape: [2], integers: [matrix.order, matrix.order])),
      ], to: url)
  }
}
