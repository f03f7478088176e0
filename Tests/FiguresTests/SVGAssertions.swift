// Test helpers for the Figures tests: parse an SVG as XML (FoundationXML) and check that every
// geometric attribute is a finite number, plus a tiny deterministic sample generator for test data.

import Figures
import Foundation
import XCTest

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Attributes whose values must be finite numbers (or number lists) in every chart.
private let numericAttributes: Set<String> = [
    "x", "y", "width", "height", "cx", "cy", "r", "x1", "y1", "x2", "y2", "font-size",
    "stroke-width", "fill-opacity", "stroke-opacity",
]

/// Nil when `text` is well-formed XML, else the parser's complaint. XMLDocument parses in libxml2's
/// recovery mode on Linux and repairs broken markup, so this uses the SAX parser, whose `parse()`
/// can return true after an error (e.g. a mismatched end tag): `parserError` is checked too.
func xmlWellFormednessError(_ text: String) -> String? {
    let parser = XMLParser(data: Data(text.utf8))
    if parser.parse(), parser.parserError == nil { return nil }
    return "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "unknown error")"
}

/// Parses `svg` as XML and lists what is wrong with it: not XML, root not `<svg>` in the SVG
/// namespace, a numeric attribute or `points` list holding a non-number or a non-finite number, any
/// text saying `nan`/`inf`. Returns the parsed root (nil when it does not parse).
func svgProblems(_ svg: String) -> (root: XMLElement?, problems: [String]) {
    if let error = xmlWellFormednessError(svg) { return (nil, [error]) }
    let document: XMLDocument
    do {
        document = try XMLDocument(xmlString: svg, options: [])
    } catch {
        return (nil, ["does not parse as XML: \(error)"])
    }
    guard let root = document.rootElement() else { return (nil, ["no root element"]) }
    var problems: [String] = []
    if root.name != "svg" || root.uri != "http://www.w3.org/2000/svg" {
        problems.append("root is <\(root.name ?? "?")> in namespace \(root.uri ?? "none")")
    }
    func visit(_ element: XMLElement) {
        for attribute in element.attributes ?? [] {
            guard let name = attribute.name, let value = attribute.stringValue else { continue }
            if numericAttributes.contains(name), Double(value).map({ !$0.isFinite }) ?? true {
                problems.append("\(element.name ?? "?").\(name)=\(value)")
            }
            if name == "points" {
                let pairs = value.split(separator: " ", omittingEmptySubsequences: false)
                    .map { $0.split(separator: ",", omittingEmptySubsequences: false) }
                let isPoint = { (pair: [Substring]) in pair.count == 2 && pair.allSatisfy { Double($0)?.isFinite ?? false } }
                if pairs.isEmpty || !pairs.allSatisfy(isPoint) {
                    problems.append("\(element.name ?? "?").points=\(value.prefix(40))")
                }
            }
        }
        for child in element.children ?? [] {
            if let child = child as? XMLElement { visit(child) }
        }
    }
    visit(root)
    let lower = svg.lowercased()
    if lower.contains("nan") || lower.contains("inf") { problems.append("text mentions nan/inf") }
    return (root, problems)
}

/// Fails the test when `svgProblems` finds anything; returns the parsed root.
@discardableResult
func assertWellFormedSVG(_ svg: String, _ context: String = "", file: StaticString = #filePath, line: UInt = #line) -> XMLElement? {
    let (root, problems) = svgProblems(svg)
    XCTAssertTrue(problems.isEmpty, "\(context): \(problems.prefix(5))", file: file, line: line)
    return root
}

/// All elements named `name` below `root` (depth first, document order).
func elements(named name: String, in root: XMLElement) -> [XMLElement] {
    var found: [XMLElement] = []
    func visit(_ element: XMLElement) {
        if element.name == name { found.append(element) }
        for child in element.children ?? [] {
            if let child = child as? XMLElement { visit(child) }
        }
    }
    visit(root)
    return found
}

/// Deterministic test samples: SplitMix64 uniforms and Box–Muller normals (test data only).
struct TestSamples {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func uniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }

    mutating func normal() -> Double {
        let u = max(uniform(), 1e-300), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}
