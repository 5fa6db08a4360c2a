import Foundation
import Testing

@testable import Reports

@Suite(.serialized) struct HTMLReportTests {
  @Test func rendersWellFormedDocument() {
    let html = SampleCharts.report().render()
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
    #expect(html.hasSuffix("</html>\n"))
    #expect(xmlError(in: html) == nil)
    #expect(!html.contains("<script"))
    #expect(
      !html.contains("http://") || !html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
    #expect(!html.contains("https://"))
  }

  @Test func tableOfContentsLinksEverySection() {
    let html = SampleCharts.report().render()
    for anchor in ["model-mlp-mnist", "layer-similarity", "neuron-modules", "training", "comparisons", "layer-similarity-2"] {
      #expect(html.contains("<a href=\"#\(anchor)\">"), "\(anchor)")
      #expect(html.contains("id=\"\(anchor)\""), "\(anchor)")
    }
    #expect(html.contains("<h3>Layer similarity</h3>"))
    #expect(occurrences(of: "<section ", in: html) == 6)
    #expect(html.contains("<p class=\"meta\">Generated 2025-01-01 00:00 UTC by netatlas (test)</p>"))
  }

  @Test func blocksRenderAsExpected() {
    let html = SampleCharts.report().render()
    #expect(occurrences(of: "<svg ", in: html) == 9)
    #expect(occurrences(of: "<figure class=\"chart\">", in: html) == 9)
    #expect(html.contains("<div class=\"figure-row\">"))
    #expect(html.contains("<td>55</td><td></td><td></td>"))  // short rows padded
    #expect(html.contains("<pre>netatlas map --model mlp.safetensors --out report/\n  &lt;done&gt; &amp; ok</pre>"))
    #expect(occurrences(of: "<p class=\"intro\">", in: html) == 3)  // 2 summary paragraphs + 1 intro
  }

  @Test func customAnchorAndNoTableOfContents() {
    let report = HTMLReport(title: "t", sections: [.init(heading: "A", anchor: "custom")], includesTableOfContents: false)
    let html = report.render()
    #expect(html.contains("id=\"custom\""))
    #expect(!html.contains("class=\"toc\""))
    #expect(xmlError(in: html) == nil)
  }

  @Test func writesAtomicallyAndReplaces() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reports-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("report.html")
    try "old".write(to: url, atomically: false, encoding: .utf8)
    let report = HTMLReport(title: "T", generatedLine: "now", sections: [.init(heading: "S", blocks: [.paragraph("p")])])
    try report.write(to: url)
    #expect(try String(contentsOf: url, encoding: .utf8) == report.render())
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.html"])
    #expect(throws: (any Error).self) {
      try report.write(to: folder.appendingPathComponent("missing/report.html"))
    }
  }
}
