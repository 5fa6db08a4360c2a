import Foundation
import Reports

/// DIR/report.html of the sub-network commands: the layer groups (when the layers.json given is
/// complete) and every result present in DIR (compress.json, finetune.json), so `layers`,
/// `compress` and `finetune` writing into one folder build up one report.
public enum SubnetworkReport {
  public static func sections(in folder: URL, layersFile: String?) -> [HTMLReport.Section] {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    func read<T: Decodable>(_ type: T.Type, _ url: URL) -> T? {
      guard let data = try? Data(contentsOf: url) else { return nil }
      return try? decoder.decode(type, from: data)
    }
    var sections: [HTMLReport.Section] = []
    if let layersFile, let layers = read(LayersOutput.self, URL(fileURLWithPath: layersFile)) {
      sections.append(LayersReportSection.make(for: layers))
    }
    if let compress = read(CompressionOutput.self, folder.appendingPathComponent("compress.json")) {
      sections.append(CompressionReportSection.make(for: compress))
    }
    if let finetune = read(FinetuneOutput.self, folder.appendingPathComponent("finetune.json")) {
      sections.append(FinetuneReportSection.make(for: finetune))
    }
    return sections
  }

  /// Writes DIR/report.html atomically.
  public static func write(to folder: URL, layersFile: String?) throws {
    let report = HTMLReport(
      title: "NetAtlas sub-networks", generatedLine: "netatlas layers, compress and finetune results in \(folder.path)",
      sections: sections(in: folder, layersFile: layersFile))
    try report.write(to: folder.appendingPathComponent("report.html"))
  }
}
