extension InteractionBasisResult {
  /// Basis sizes, edges required and fewest directions, one line per basis.
  public var summaryLines: [String] {
    var lines = [
      "sizes (after Gram / LIB): "
        + layers.dropLast().map { "\($0.site) \($0.sizeAfterGram)/\($0.libSize.map(String.init) ?? "-")" }.joined(separator: ", ")
    ]
    for kind in options.bases {
      var parts: [String] = []
      let e = edges.filter { $0.basis == kind }
      parts.append("99% edges " + e.map { "\($0.edgesFor99Percent)" }.joined(separator: "/"))
      let required = edgeAblations.filter { $0.basis == kind }
      if !required.isEmpty {
        parts.append("edges required " + required.map { $0.edgesRequired.map(String.init) ?? "-" }.joined(separator: "/"))
      }
      let nodes = nodeAblations.filter { $0.basis == kind }
      if !nodes.isEmpty {
        parts.append("fewest directions " + nodes.map { $0.fewestWithinTolerance.map(String.init) ?? "-" }.joined(separator: "/"))
      }
      lines.append("\(kind.rawValue): " + parts.joined(separator: ", "))
    }
    return lines
  }
}
