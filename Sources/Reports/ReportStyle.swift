/// The inline stylesheet of every report: light theme, readable measure, striped tables.
/// Contains no `<` or `&`, so the document stays well-formed XML.
enum ReportStyle {
  static let css = """
    :root { color-scheme: light; }
    * { box-sizing: border-box; }
    body { margin: 0; background: #f6f7f9; color: #1f2328;
      font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 1180px; margin: 0 auto; padding: 28px 32px 64px; background: #ffffff;
      min-height: 100vh; box-shadow: 0 0 0 1px #e3e6ea; }
    header.report-header { border-bottom: 2px solid #e3e6ea; margin-bottom: 20px; }
    h1 { font-size: 1.9rem; margin: 0 0 4px; letter-spacing: -0.01em; }
    h2 { font-size: 1.45rem; margin: 2.2em 0 0.6em; padding-bottom: 4px; border-bottom: 1px solid #e3e6ea; }
    h3 { font-size: 1.2rem; margin: 1.8em 0 0.5em; }
    h4, h5, h6 { font-size: 1.05rem; margin: 1.5em 0 0.4em; }
    h2, h3, h4, h5, h6 { scroll-margin-top: 12px; }
    p { margin: 0.5em 0 0.9em; max-width: 80ch; }
    p.meta { color: #656d76; font-size: 0.9rem; margin-top: 0; }
    p.intro { color: #3a4149; }
    a { color: #0969da; text-decoration: none; }
    a:hover { text-decoration: underline; }
    nav.toc { background: #f6f8fa; border: 1px solid #e3e6ea; border-radius: 6px; padding: 10px 18px; margin: 16px 0 8px; }
    nav.toc h2 { font-size: 1rem; margin: 0 0 4px; border: none; padding: 0; }
    nav.toc ol { margin: 0; padding-left: 1.3em; }
    nav.toc ol ol { font-size: 0.94em; }
    table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
    th, td { border: 1px solid #d8dde3; padding: 5px 10px; text-align: left; vertical-align: top; }
    th { background: #eef1f4; font-weight: 600; }
    tbody tr:nth-child(even) { background: #f7f9fb; }
    table.key-values th { width: 1%; white-space: nowrap; }
    .table-wrap { overflow-x: auto; max-width: 100%; }
    pre { background: #f6f8fa; border: 1px solid #e3e6ea; border-radius: 6px; padding: 10px 14px;
      overflow-x: auto; font: 0.85rem/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    figure { margin: 0.8em 0 1.4em; }
    figure.chart svg { max-width: 100%; height: auto; display: block; }
    figcaption { color: #656d76; font-size: 0.88rem; margin-top: 4px; max-width: 80ch; }
    .figure-row { display: flex; flex-wrap: wrap; gap: 18px 28px; align-items: flex-start; }
    .figure-row figure { margin: 0.4em 0; max-width: 100%; }
    section.report-section { margin-bottom: 1em; }
    footer { margin-top: 48px; color: #8c959f; font-size: 0.82rem; border-top: 1px solid #e3e6ea; padding-top: 8px; }
    @media print { body { background: #ffffff; } main { box-shadow: none; max-width: none; } }
    """
}
