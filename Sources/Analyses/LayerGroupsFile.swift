import Foundation
import Networks

/// Which grouping of layers.json the downstream commands use.
public enum LayerGroupingChoice: String, Codable, CaseIterable {
  /// The dynamic-programming segmentation into runs of consecutive layers (the default: a
  /// contiguous run is a sub-network with one entry and one exit).
  case contiguous
  /// The average-linkage clusters (may join layers that are not adjacent).
  case hierarchical
}

/// The parts of a layers.json (written by `netatlas layers`) that `compress` and `finetune` read:
/// the layer (site) names and the groups of both methods. A hand-written file needs only
/// `{"layers": [...], "groups": {"contiguous": {"groups": [[0, 1], [2]]}, "hierarchical": ...}}`.
public struct LayerGroupsFile: Decodable {
  public struct Grouping: Decodable { var groups: [[Int]] }
  public struct Groups: Decodable {
    public var contiguous: Grouping?
    public var hierarchical: Grouping?
  }

  /// The analysed sites, in the order of the GW matrix.
  public var layers: [String]
  public var groups: Groups
  /// Where the file was read from.
  public var path = ""

  public enum CodingKeys: String, CodingKey { case layers, groups }

  /// Reads and checks a layers.json.
  public static func read(_ path: String) throws -> LayerGroupsFile {
    let url = URL(fileURLWithPath: path)
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw AnalysisError("cannot read the layer groups file \(path): \(error.localizedDescription)")
    }
    var file: LayerGroupsFile
    do {
      file = try JSONDecoder().decode(LayerGroupsFile.self, from: data)
    } catch {
      throw AnalysisError("\(path) is not a layers.json written by `netatlas layers`: \(error)")
    }
    file.path = path
    guard !file.layers.isEmpty else { throw AnalysisError("\(path) lists no layers") }
    guard Set(file.layers).count == file.layers.count else { throw AnalysisError("\(path) lists a layer twice") }
    return file
  }

  /// The groups of one method, each sorted, ordered by their first layer; they must partition
  /// the layers.
  public func groups(_ choice: LayerGroupingChoice) throws -> [[Int]] {
    guard let grouping = choice == .contiguous ? groups.contiguous : groups.hierarchical else {
      throw AnalysisError("\(path) has no \"\(choice.rawValue)\" groups")
    }
    let members = grouping.groups.flatMap { $0 }
    guard !grouping.groups.contains(where: \.isEmpty), members.sorted() == Array(0..<layers.count) else {
      throw AnalysisError(
        "\(path): the \(choice.rawValue) groups \(grouping.groups) do not split the \(layers.count) layers 0..<\(layers.count) into non-empty groups"
      )
    }
    return grouping.groups.map { $0.sorted() }.sorted { $0[0] < $1[0] }
  }

  /// Checks that every layer is a site of `network`.
  public func checkSites<Scalar>(of network: Network<Scalar>, model: String) throws {
    let available = network.sites.map(\.name)
    let unknown = layers.filter { !available.contains($0) }
    guard unknown.isEmpty else {
      throw AnalysisError(
        "\(path) names layers that are not sites of \(model): \(unknown.joined(separator: ", ")); its sites are \(available.joined(separator: ", "))"
      )
    }
  }
}
