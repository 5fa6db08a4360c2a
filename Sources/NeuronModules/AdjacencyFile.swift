import Foundation
import TensorIO
import Tensors

/// A problem with an adjacency file: the file and what is wrong with it.
public struct AdjacencyFileError: Error, Sendable, Equatable, CustomStringConvertible {
  public var path: String
  public var problem: String

  public init(path: String, problem: String) {
    self.path = path
    self.problem = problem
  }

  public var description: String { "\(path): \(problem)" }
}

extension NeuronGraph {
  /// A graph read from a NumPy file:
  /// - `.npy`: a dense `[n, n]` adjacency matrix (any numeric dtype), as written by
  ///   `np.save(FILE, A)`; every node is in one layer named "node";
  /// - `.npz`: a sparse matrix in coordinate form, as written by
  ///   `np.savez(FILE, row=A.row, col=A.col, data=A.data, shape=A.shape)` for a
  ///   `scipy.sparse.coo_matrix` `A`: integer arrays `row` and `col`, numeric `data` of the same
  ///   length, and `shape = [n, n]`. Duplicate coordinates are summed. An optional integer array
  ///   `layer` of length `n` assigns each node to a layer (nodes are then described as unit `u`
  ///   of "layer L", numbered in node order within each layer).
  ///
  /// The matrix must be symmetric (give both `(i, j)` and `(j, i)`), nonnegative and finite;
  /// the diagonal is ignored. Nodes without edges are isolated (labelled -1 by clustering).
  ///
  /// `scipy.sparse.save_npz` files cannot be read: they hold a string array `format`, which
  /// TensorIO does not decode; the error says how to write the file instead.
  ///
  /// - Throws: ``AdjacencyFileError`` naming the file and the problem.
  public init(adjacencyFile url: URL, symmetryTolerance: Double = 1e-8) throws {
    let path = url.path
    func failure(_ problem: String) -> AdjacencyFileError { AdjacencyFileError(path: path, problem: problem) }
    do {
      switch url.pathExtension.lowercased() {
      case "npy":
        let array = try NumPyFile.read(url)
        guard array.rank == 2, array.shape[0] == array.shape[1] else {
          throw failure("a dense adjacency matrix must be square [n, n], got shape \(array.shape)")
        }
        try self.init(denseAdjacency: array.tensor(as: Double.self), symmetryTolerance: symmetryTolerance)
      case "npz":
        let archive = try NumPyArchive.read(url)
        for name in ["row", "col", "data", "shape"] where archive[name] == nil {
          throw failure(
            "missing array '\(name)'; a sparse adjacency needs 'row', 'col', 'data' and 'shape' (found: \(archive.names.joined(separator: ", ")))"
          )
        }
        func integers(_ name: String) throws -> [Int] {
          let array = try archive.array(named: name)
          guard array.rank == 1 else { throw failure("'\(name)' must be one-dimensional, got shape \(array.shape)") }
          do { return try array.integers(as: Int.self) } catch {
            throw failure("'\(name)' must hold integers, got \(array.dtype)")
          }
        }
        let shape = try integers("shape")
        guard shape.count == 2, shape[0] == shape[1], shape[0] >= 0 else {
          throw failure("'shape' must be [n, n] for a square adjacency matrix, got \(shape)")
        }
        let n = shape[0]
        let rows = try integers("row")
        let columns = try integers("col")
        let data = try archive.array(named: "data")
        guard data.rank == 1 else { throw failure("'data' must be one-dimensional, got shape \(data.shape)") }
        guard rows.count == columns.count, rows.count == data.count else {
          throw failure("'row', 'col' and 'data' differ in length (\(rows.count), \(columns.count), \(data.count))")
        }
        var nodes: [NeuronNode]?
        if archive["layer"] != nil {
          let layers = try integers("layer")
          guard layers.count == n else { throw failure("'layer' has \(layers.count) entries for \(n) nodes") }
          var counts: [Int: Int] = [:]
          nodes = layers.map { layer in
            defer { counts[layer, default: 0] += 1 }
            return NeuronNode(layer: layer, unit: counts[layer, default: 0], layerName: "layer \(layer)")
          }
        }
        try self.init(
          order: n, rows: rows, columns: columns, values: data.tensor(as: Double.self).scalars, nodes: nodes,
          symmetryTolerance: symmetryTolerance)
      default:
        throw failure("an adjacency file must be .npy (dense) or .npz (sparse COO), got '.\(url.pathExtension)'")
      }
    } catch let error as AdjacencyFileError {
      throw error
    } catch let error as NeuronModulesError {
      var problem = error.description
      if case .asymmetric = error { problem += "; give both (i, j) and (j, i) entries" }
      throw failure(problem)
    } catch let error as TensorIOError {
      var problem = error.message
      if error.kind == .unsupportedDType {
        problem +=
          " (scipy.sparse.save_npz files hold a string 'format' array; write np.savez(FILE, row=A.row, col=A.col, data=A.data, shape=A.shape) instead)"
      }
      throw failure(problem)
    }
  }
}
