// A self-contained HTML report: title, a table of contents, sections holding Markdown-ish paragraphs,
// key–value tables, data tables and figures inlined as SVG, plus a little CSS. No scripts and no
// external files, so the one `.html` file can be mailed or committed and opens anywhere.

import Foundation

/// Builds one self-contained HTML page block by block; `render()` returns the document.
///
/// ```swift
/// var report = HTMLReport(title: "iris · seed 0")
/// report.addSection("Correlation")
/// report.addParagraph("Mean |ΔC| = **0.031** on the *test* split.")
/// report.addFigure(figure)
/// let html = report.render()
/// ```
public struct HTMLReport: Sendable {
    public let title: String
    private var blocks: [Block] = []

    private enum Block: Sendable {
        case section(String)
        case paragraph(String)
        case keyValues([(key: String, value: String)], caption: String?)
        case table(header: [String], rows: [[String]], caption: String?)
        case figure(Figure, caption: String?)
    }

    public init(title: String) {
        self.title = title
    }

    /// Starts a new section with heading `heading` (listed in the table of contents).
    public mutating func addSection(_ heading: String) {
        blocks.append(.section(heading))
    }

    /// Adds Markdown-ish text: blank lines separate paragraphs, lines starting with `- ` form a
    /// bullet list; inline `` `code` ``, `**bold**`, `*italic*` and `[text](https://…)` links.
    /// Everything else is escaped, so raw HTML in the text shows as text.
    public mutating func addParagraph(_ text: String) {
        blocks.append(.paragraph(text))
    }

    /// A two-column table of names and values (e.g. the resolved config, headline metrics).
    public mutating func addKeyValueTable(_ pairs: [(key: String, value: String)], caption: String? = nil) {
        blocks.append(.keyValues(pairs, caption: caption))
    }

    /// A data table; cells that parse as numbers are right-aligned. Short rows are padded.
    public mutating func addTable(header: [String], rows: [[String]], caption: String? = nil) {
        blocks.append(.table(header: header, rows: rows, caption: caption))
    }

    /// Inlines `figure.svg`; the caption defaults to the figure's title.
    public mutating func addFigure(_ figure: Figure, caption: String? = nil) {
        blocks.append(.figure(figure, caption: caption))
    }

    /// The complete HTML5 document.
    public func render() -> String {
        var html = ["<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\" />",
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />",
                    "<title>\(escapeHTML(title))</title>", "<style>", HTMLReport.css, "</style>", "</head>", "<body>",
                    "<h1>\(escapeHTML(title))</h1>"]
        let headings = blocks.compactMap { if case .section(let h) = $0 { h } else { nil } }
        if headings.count > 1 {
            html.append("<nav><ul>")
            html += headings.enumerated().map { "<li><a href=\"#section-\($0.offset + 1)\">\(escapeHTML($0.element))</a></li>" }
            html.append("</ul></nav>")
        }
        var sectionNumber = 0
        for block in blocks {
            switch block {
            case .section(let heading):
                if sectionNumber > 0 { html.append("</section>") }
                sectionNumber += 1
                html.append("<section id=\"section-\(sectionNumber)\">")
                html.append("<h2>\(escapeHTML(heading))</h2>")
            case .paragraph(let text):
                html.append(renderMarkdownish(text))
            case .keyValues(let pairs, let caption):
                html.append("<table class=\"kv\">" + captionHTML(caption))
                html += pairs.map { "<tr><th>\(escapeHTML($0.key))</th><td>\(escapeHTML($0.value))</td></tr>" }
                html.append("</table>")
            case .table(let header, let rows, let caption):
                let columns = max(header.count, rows.map(\.count).max() ?? 0)
                html.append("<table class=\"data\">" + captionHTML(caption))
                if !header.isEmpty {
                    html.append("<thead><tr>" + header.map { "<th>\(escapeHTML($0))</th>" }.joined() + "</tr></thead>")
                }
                html.append("<tbody>")
                for row in rows {
                    let cells = (0..<columns).map { $0 < row.count ? row[$0] : "" }
                    html.append("<tr>" + cells.map { cell in
                        let numeric = Double(cell.trimmingCharacters(in: .whitespaces)) != nil
                        return (numeric ? "<td class=\"num\">" : "<td>") + escapeHTML(cell) + "</td>"
                    }.joined() + "</tr>")
                }
                html.append("</tbody></table>")
            case .figure(let figure, let caption):
                html.append("<figure>")
                html.append(figure.svg.trimmingCharacters(in: .whitespacesAndNewlines))
                html.append("<figcaption>\(escapeHTML(caption ?? figure.title))</figcaption>")
                html.append("</figure>")
            }
        }
        if sectionNumber > 0 { html.append("</section>") }
        html += ["</body>", "</html>"]
        return html.joined(separator: "\n") + "\n"
    }

    private func captionHTML(_ caption: String?) -> String {
        caption.map { "<caption>\(escapeHTML($0))</caption>" } ?? ""
    }

    static let css = """
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222;
               max-width: 1100px; margin: 2em auto; padding: 0 1.5em; line-height: 1.5; }
        h1 { font-size: 1.8em; border-bottom: 2px solid #ddd; padding-bottom: .3em; }
        h2 { font-size: 1.35em; margin-top: 2em; border-bottom: 1px solid #eee; padding-bottom: .2em; }
        nav ul { columns: 2; padding-left: 1.2em; margin: 0; }
        code { background: #f3f3f3; padding: .1em .3em; border-radius: 3px; font-size: .92em; }
        table { border-collapse: collapse; margin: 1em 0; font-size: .93em; }
        caption { text-align: left; font-weight: bold; padding-bottom: .3em; }
        th, td { border: 1px solid #ddd; padding: .3em .7em; text-align: left; vertical-align: top; }
        thead th { background: #f5f5f5; }
        table.kv th { background: #fafafa; font-weight: 600; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        tbody tr:nth-child(even) { background: #fbfbfb; }
        figure { margin: 1.5em 0; display: inline-block; vertical-align: top; max-width: 100%; }
        figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption { color: #555; font-size: .9em; margin-top: .3em; }
        """
}
