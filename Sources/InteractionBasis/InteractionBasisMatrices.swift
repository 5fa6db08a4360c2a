import Foundation
import TensorIO
import Tensors

extension InteractionBasisRun {
  /// Writes every basis and edge matrix to one safetensors file (float64), atomically:
  /// `{basis}.{site}.C` (`[n, k]`), `{basis}.{site}.C_pinv` (`[k, n]`), `{basis}.{site}.mean`
  /// (`[n]`), `{basis}.{site}.importances` (Lambda or D) for every node layer but the output,
  /// and `{basis}.edges.{start}->{end}` (`[k', k + 1]`, column 0 the constant node) per section.
  public func writeMatrices(to url: URL) throws {
    var tensors: [(String, StoredArray)] = []
    for kind in BasisKind.allCases {
      guard let bases = self.bases[kind] else { continue }
      for basis in bases.dropLast() {
        let prefix = "\(kind.rawValue).\(basis.layer.site)"
        tensors.append(("\(prefix).C", StoredArray(basis.basis)))
        tensors.append(("\(prefix).C_pinv", StoredArray(basis.inverse)))
        tensors.append(("\(prefix).mean", StoredArray(basis.mean)))
        tensors.append(("\(prefix).importances", StoredArray(Tensor(basis.importances))))
      }
      for (l, e) in (edges[kind] ?? []).enumerated() {
        tensors.append(("\(kind.rawValue).edges.\(bases[l].layer.site)->\(bases[l + 1].layer.site)", StoredArray(e)))
      }
    }
    let constants = bases[.lib].map { $0.dropLast().map { "\($0.layer.site)=\($0.constantScale)" }.joined(separator: ",") }
    var metadata = ["netatlas.kind": "interaction-basis"]
    if let constants { metadata["lib.constant_scales"] = constants }
    try SafetensorsFile.write(tensors, metadata: metadata, to: url)
  }
}
