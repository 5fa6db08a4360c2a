import Testing

@testable import Reports

@Suite struct EscapingTests {
  @Test func escapesTheFiveSpecialCharacters() {
    #expect("a & b < c > d \" e ' f".htmlEscaped == "a &amp; b &lt; c &gt; d &quot; e &#39; f")
    #expect("<script>alert(1)</script>".htmlEscaped == "&lt;script&gt;alert(1)&lt;/script&gt;")
    #expect("plain ünïcode ✓".htmlEscaped == "plain ünïcode ✓")
  }

  @Test func replacesXMLIllegalControlCharacters() {
    #expect("a\u{0}b\u{1B}c\td\ne".htmlEscaped == "a\u{FFFD}b\u{FFFD}c\td\ne")
  }

  @Test func scriptLabelsAreEscapedInChartsAndReport() {
    let heatmap = Heatmap(
      values: [[1, 2], [3, 4]], rowLabels: ["<script>x</script>", "b"], columnLabels: ["a", "b"],
      title: "t & <u>")
    let svg = heatmap.svg()
    #expect(!svg.contains("<script>"))
    #expect(svg.contains("&lt;script&gt;x&lt;/script&gt;"))
    #expect(svg.contains("t &amp; &lt;u&gt;"))

    let report = HTMLReport(
      title: "<script>alert('t')</script>",
      sections: [
        .init(
          heading: "<script>", intro: "\"quoted\"",
          blocks: [
            .paragraph("<script>evil()</script>"),
            .keyValues([.init("k<", "v>")]),
            .table(header: ["<th>"], rows: [["<td>"]]),
            .preformatted("<pre>"),
            .chart(BarChart(categories: ["<script>"], values: [1])),
          ])
      ])
    let html = report.render()
    #expect(!html.contains("<script"))
    #expect(html.contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;"))
    #expect(html.contains("&quot;quoted&quot;"))
    #expect(html.contains("&lt;th&gt;") && html.contains("&lt;td&gt;") && html.contains("&lt;pre&gt;"))
  }

  @Test func anchorsAreSlugsMadeUnique() {
    var anchors = AnchorAllocator()
    #expect(anchors.allocate("Layer similarity") == "layer-similarity")
    #expect(anchors.allocate("Layer  similarity!") == "layer-similarity-2")
    #expect(anchors.allocate("<>") == "section")
    #expect(anchors.allocate("3 layers") == "s-3-layers")
  }
}
