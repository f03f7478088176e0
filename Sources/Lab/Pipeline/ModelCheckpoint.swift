// One file holding everything `tabcorr generate` needs: the fitted transforms (schema included),
// the generator's options, output layout and weights, and the resolved config. Layout: magic
// "TCMODEL1", UInt64 header length, JSON header, parameter block (itself checksummed), and an
// FNV-1a-64 checksum of all preceding bytes.

import Foundation
import TensorKit
import NeuralNet
import TabularData
import Synthesis

/// A trained generator with its data transforms.
public struct ModelCheckpoint: Sendable {
    struct Header: Codable, Sendable {
        var formatVersion: Int
        var options: GANOptions
        var layout: OutputLayout
        var conditionSpan: Int?
        var conditionColumn: String?
        var conditionFrequencies: [Double]
        var pipeline: TransformPipeline
        var resolvedConfig: String
    }

    static let magic = Array("TCMODEL1".utf8)
    static let formatVersion = 1

    let header: Header
    let parameters: Data

    /// Captures a trained model.
    init(model: GANModel, pipeline: TransformPipeline, conditionColumn: String?, resolvedConfig: String) {
        header = Header(formatVersion: Self.formatVersion, options: model.options, layout: model.layout, conditionSpan: model.conditionSpan,
                        conditionColumn: conditionColumn, conditionFrequencies: model.conditionFrequencies, pipeline: pipeline,
                        resolvedConfig: resolvedConfig)
        parameters = ParameterFile.encode(model.generatorState)
    }

    /// The column the generator is conditioned on, if any.
    public var conditionColumn: String? { header.conditionColumn }
    /// The fitted transforms (column names, types, levels).
    public var pipeline: TransformPipeline { header.pipeline }

    /// Rebuilds the generator with the saved weights.
    public func makeModel() throws -> GANModel {
        let model = GANModel(options: header.options, layout: header.layout, conditionSpan: header.conditionSpan, rng: RandomStream(seed: 0))
        try ParameterFile.apply(try ParameterFile.decode(parameters, source: "checkpoint weights"), to: model.generatorState,
                                source: "checkpoint weights")
        model.restoreConditionFrequencies(header.conditionFrequencies)
        return model
    }

    /// The encoded file.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(header)
        var bytes = Self.magic
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: json)
        bytes.append(contentsOf: parameters)
        withUnsafeBytes(of: fnv1a64(bytes).littleEndian) { bytes.append(contentsOf: $0) }
        return Data(bytes)
    }

    /// Writes atomically.
    public func save(to path: String) throws {
        try AtomicFile.write(try encoded(), to: path)
    }

    /// Reads and verifies a checkpoint file.
    public static func load(from path: String) throws -> ModelCheckpoint {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LabError("\(path): cannot read the checkpoint; check the path (runs write it as `model.tcmodel` in each seed folder)")
        }
        let bytes = [UInt8](data)
        func corrupt(_ why: String) -> LabError {
            LabError("\(path): not a valid TabCorr checkpoint (\(why)). The file is truncated or corrupted; re-run `tabcorr run` to recreate it.")
        }
        guard bytes.count > magic.count + 16, Array(bytes.prefix(magic.count)) == magic else { throw corrupt("bad magic bytes") }
        let body = bytes[..<(bytes.count - 8)]
        let stored = bytes[(bytes.count - 8)...].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        guard UInt64(littleEndian: stored) == fnv1a64(body) else { throw corrupt("checksum mismatch") }
        let length = Int(UInt64(littleEndian: bytes[magic.count..<(magic.count + 8)].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }))
        let start = magic.count + 8
        guard length > 0, start + length <= body.count else { throw corrupt("header length out of range") }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes[start..<(start + length)]))
        } catch {
            throw corrupt("unreadable header: \(error)")
        }
        guard header.formatVersion == formatVersion else {
            throw LabError("\(path): checkpoint format \(header.formatVersion) is not supported by this build (reads \(formatVersion))")
        }
        if let problem = header.inconsistency { throw corrupt(problem) }
        return ModelCheckpoint(header: header, parameters: Data(bytes[(start + length)..<body.count]))
    }

    private init(header: Header, parameters: Data) {
        self.header = header
        self.parameters = parameters
    }
}

extension ModelCheckpoint.Header {
    /// What makes the header unusable (sizes the model cannot be built with, spans that do not
    /// tile the row, a layout that disagrees with the transforms), or nil. Checked on load so a
    /// corrupted header with a valid checksum gives an error instead of a trap in the network code.
    var inconsistency: String? {
        let sizes: [(String, Int)]
        switch options.architecture {
        case .mlp(let widths):
            sizes = widths.map { ("trunk width", $0) }
        case .attention(let trunkWidths, let tokenWidth, let heads, let blocks, let feedForwardWidth):
            if blocks < 0 { return "\(blocks) attention blocks" }
            if heads < 1 || tokenWidth < 1 || tokenWidth % heads != 0 { return "token width \(tokenWidth) is not a multiple of \(heads) heads" }
            sizes = trunkWidths.map { ("trunk width", $0) } + [("feed-forward width", feedForwardWidth)]
        }
        for (name, size) in sizes + [("noise size", options.noiseSize), ("pac", options.pac)] + options.discriminatorWidths.map({ ("critic width", $0) })
        where size < 1 {
            return "\(name) \(size)"
        }
        var next = 0, column = 0
        for span in layout.spans {
            guard span.start == next, span.width > 0, span.column == column || span.column == column + 1 else {
                return "output spans do not tile the row (span at \(span.start), width \(span.width), column \(span.column))"
            }
            column = span.column
            next += span.width
        }
        guard next == layout.width, layout.columnCount == (layout.spans.isEmpty ? 0 : column + 1) else { return "output layout sizes disagree" }
        let fitted = pipeline.spans.map { OutputSpan(column: $0.column, start: $0.start, width: $0.width,
                                                     output: SpanOutput(rawValue: $0.activation.rawValue) ?? .identity, isNumericValue: $0.role == .value) }
        guard fitted == layout.spans, pipeline.columns.count == layout.columnCount, pipeline.encodedWidth == layout.width else {
            return "the output layout does not match the saved transforms"
        }
        if let c = conditionSpan {
            guard layout.spans.indices.contains(c), layout.spans[c].output == .softmax, conditionFrequencies.count == layout.spans[c].width else {
                return "condition span \(c) is not a categorical span of the layout"
            }
        }
        if !conditionFrequencies.allSatisfy({ $0.isFinite && $0 >= 0 }) { return "condition frequencies are not finite probabilities" }
        return nil
    }
}
