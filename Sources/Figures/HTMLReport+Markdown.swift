// The small Markdown subset HTMLReport accepts in paragraphs: paragraphs, `- ` bullet lists, inline
// code, bold, italic and links (http, https, mailto, or relative). Not a Markdown parser: no headings,
// nesting, tables or raw HTML; anything it does not recognise is escaped and shown as text.

import Foundation

/// Escapes `& < > " '` for HTML text and attribute values.
func escapeHTML(_ text: String) -> String {
    SVGBuilder.escape(text)
}

/// Block-level rendering: paragraphs separated by blank lines, consecutive `- ` lines as one list.
func renderMarkdownish(_ text: String) -> String {
    var output: [String] = []
    var paragraph: [String] = []
    var items: [String] = []
    func flushParagraph() {
        if !paragraph.isEmpty { output.append("<p>" + renderInline(paragraph.joined(separator: " ")) + "</p>") }
        paragraph.removeAll()
    }
    func flushList() {
        if !items.isEmpty { output.append("<ul>" + items.map { "<li>" + renderInline($0) + "</li>" }.joined() + "</ul>") }
        items.removeAll()
    }
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
        let line = rawLine.trimmingCharacters(in: .whitespaces)
        if line.isEmpty {
            flushParagraph()
            flushList()
        } else if line.hasPrefix("- ") || line.hasPrefix("* ") {
            flushParagraph()
            items.append(String(line.dropFirst(2)))
        } else {
            flushList()
            paragraph.append(line)
        }
    }
    flushParagraph()
    flushList()
    return output.joined(separator: "\n")
}

/// Inline rendering of `code`, **bold**, *italic* and [text](url); unmatched markers stay literal.
func renderInline(_ text: String) -> String {
    var output = ""
    var rest = Substring(text)
    while let first = rest.first {
        if first == "`", let close = rest.dropFirst().firstIndex(of: "`") {
            output += "<code>" + escapeHTML(String(rest[rest.index(after: rest.startIndex)..<close])) + "</code>"
            rest = rest[rest.index(after: close)...]
        } else if rest.hasPrefix("**"), let close = rest.dropFirst(2).range(of: "**"), close.lowerBound > rest.index(rest.startIndex, offsetBy: 2) {
            output += "<strong>" + renderInline(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<close.lowerBound])) + "</strong>"
            rest = rest[close.upperBound...]
        } else if first == "*", let next = rest.dropFirst().first, next != " ", next != "*",
                  let close = rest.dropFirst().firstIndex(of: "*") {
            output += "<em>" + renderInline(String(rest[rest.index(after: rest.startIndex)..<close])) + "</em>"
            rest = rest[rest.index(after: close)...]
        } else if first == "[", let link = parseLink(rest) {
            output += "<a href=\"\(escapeHTML(link.url))\">" + renderInline(link.text) + "</a>"
            rest = rest[link.end...]
        } else {
            output += escapeHTML(String(first))
            rest = rest.dropFirst()
        }
    }
    return output
}

/// `[text](url)` at the start of `text` with a safe URL (http, https, mailto or relative); nil otherwise.
private func parseLink(_ text: Substring) -> (text: String, url: String, end: Substring.Index)? {
    guard let closeBracket = text.firstIndex(of: "]"),
          text[closeBracket...].hasPrefix("]("),
          let closeParen = text[closeBracket...].firstIndex(of: ")") else { return nil }
    let label = String(text[text.index(after: text.startIndex)..<closeBracket])
    let url = String(text[text.index(closeBracket, offsetBy: 2)..<closeParen])
    let lower = url.lowercased()
    let hasScheme = lower.prefix(while: { $0 != "/" && $0 != "?" && $0 != "#" }).contains(":")
    let safe = !hasScheme || lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("mailto:")
    guard !label.isEmpty, !url.isEmpty, !url.contains(" "), safe else { return nil }
    return (label, url, text.index(after: closeParen))
}
