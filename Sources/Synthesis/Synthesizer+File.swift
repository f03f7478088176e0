// The model file (`model.tcmodel`): everything `sample` needs, so `generate` = `run`. Layout: magic
// "TCMODEL2", UInt64 header length, JSON header (options, fitted transforms, output layout,
// condition frequencies, the fit rows' sorted marginals and Pearson matrix, draws, metadata), the
// generator's parameter block, and an FNV-1a-64 checksum of all preceding bytes. The magic and
// sizes are checked before the rest of the file is read.

import Foundation
import TensorKit
import NeuralNet
import TabularData

extension Synthesizer {
    struct FileHeader: Codable {
        var formatVersion: Int
        var options: GANOptions
        var layout: OutputLayout
        var conditionSpan: Int?
        var conditionColumn: String?
        var conditionFrequencies: [Double]
        var pipeline: TransformPipeline
        var matchMarginals: Bool
        var sortedReference: [[Double]]
        /// nil in files written before draws existed: one draw.
        var draws: Int?
        var fitCorrelation: [Double]?
        var metadata: String
    }

    static let fileMagic = Array("TCMODEL2".utf8)
    static let fileFormatVersion = 2

    /// The model file's bytes.
    public func fileData() throws -> Data {
        guard case .gan(let model, let shipping) = fitted else {
            throw SynthesisError("the \(options.kind.name) baseline keeps no model file (it needs no training); rerun it to sample again")
        }
        let header = FileHeader(formatVersion: Self.fileFormatVersion, options: model.options, layout: model.layout, conditionSpan: model.conditionSpan,
                                conditionColumn: options.conditionColumn, conditionFrequencies: model.conditionFrequencies,
                                pipeline: shipping.pipeline, matchMarginals: shipping.matchMarginals, sortedReference: shipping.sortedReference,
                                draws: shipping.draws, fitCorrelation: shipping.fitCorrelation, metadata: metadata)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(header)
        var bytes = Self.fileMagic
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: json)
        bytes.append(contentsOf: ParameterFile.encode(model.generatorState))
        withUnsafeBytes(of: fnv1a64(bytes).littleEndian) { bytes.append(contentsOf: $0) }
        return Data(bytes)
    }

    /// Writes the model file atomically (temporary file, then rename).
    public func save(to path: String) throws {
        let data = try fileData()
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SynthesisError("\(path): cannot write the model file (\(error.localizedDescription)); check that the folder exists and is writable")
        }
    }

    /// Reads and verifies a model file.
    public static func load(from path: String) throws -> Synthesizer {
        func corrupt(_ why: String) -> SynthesisError {
            SynthesisError("\(path): not a valid TabCorr checkpoint (\(why)). The file is truncated or corrupted, or was written by an older TabCorr; re-run `tabcorr run` to recreate it.")
        }
        var status = stat()
        if stat(path, &status) == 0, let kind = nonRegularFileKind(mode: status.st_mode) {
            throw SynthesisError("\(path): cannot read the checkpoint: not a regular file (it is \(kind)); give a run's model.tcmodel or its seed folder")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SynthesisError("\(path): cannot read the checkpoint; check the path (runs write it as `model.tcmodel` in each seed folder)")
        }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()).map(Int.init) ?? 0
        try? handle.seek(toOffset: 0)
        let prefix = [UInt8]((try? handle.read(upToCount: fileMagic.count + 8)) ?? Data())
        guard prefix.count >= 7, Array(prefix.prefix(7)) == Array(fileMagic.prefix(7)) else { throw corrupt("bad magic bytes") }
        guard prefix.count == fileMagic.count + 8, size > prefix.count + 8 else { throw corrupt("too short") }
        guard Array(prefix.prefix(fileMagic.count)) == fileMagic else {
            throw corrupt("format \(String(decoding: prefix[7..<8], as: UTF8.self)), this build reads \(fileFormatVersion)")
        }
        let length = prefix[fileMagic.count...].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard length > 0 else { throw corrupt("header length out of range") }
        guard length <= UInt64(size - prefix.count - 8) else { throw corrupt("checksum mismatch: the header runs past the end of the file") }
        let rest = [UInt8]((try? handle.readToEnd()) ?? Data())
        let bytes = prefix + rest
        guard bytes.count == size else { throw corrupt("the file changed while it was read") }
        let body = bytes[..<(bytes.count - 8)]
        let stored = bytes[(bytes.count - 8)...].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard stored == fnv1a64(body) else { throw corrupt("checksum mismatch") }
        let start = prefix.count, end = start + Int(length)
        let header: FileHeader
        do {
            header = try JSONDecoder().decode(FileHeader.self, from: Data(bytes[start..<end]))
        } catch {
            throw corrupt("unreadable header: \(error)")
        }
        guard header.formatVersion == fileFormatVersion else { throw corrupt("format \(header.formatVersion), this build reads \(fileFormatVersion)") }
        if let problem = header.inconsistency { throw corrupt(problem) }
        let model = GANModel(options: header.options, layout: header.layout, conditionSpan: header.conditionSpan, rng: RandomStream(seed: 0))
        try ParameterFile.apply(try ParameterFile.decode(Data(bytes[end..<body.count]), source: "model weights"), to: model.generatorState,
                                source: "model weights")
        model.restoreConditionFrequencies(header.conditionFrequencies)
        let shipping = Shipping(pipeline: header.pipeline, matchMarginals: header.matchMarginals, sortedReference: header.sortedReference,
                                draws: header.draws ?? 1, fitCorrelation: header.fitCorrelation ?? [])
        let synthesizer = Synthesizer(options: SynthesizerOptions(kind: .gan(header.options), transform: header.pipeline.options,
                                                                  matchMarginals: header.matchMarginals, conditionColumn: header.conditionColumn,
                                                                  draws: shipping.draws),
                                      fitted: .gan(model, shipping))
        synthesizer.metadata = header.metadata
        return synthesizer
    }
}

extension SynthesizerKind {
    /// The kind's name as the config spells it.
    public var name: String {
        switch self {
        case .identity: "identity"
        case .independent: "independent"
        case .gaussianCopula: "gaussianCopula"
        case .gan(let o):
            switch o.architecture {
            case .mlp: "mlp"
            case .attention: "attention"
            }
        }
    }
}

extension Synthesizer.FileHeader {
    /// What makes the header unusable (sizes the model cannot be built with, spans that do not
    /// tile the row, a layout or marginals that disagree with the transforms), or nil. Checked on
    /// load so a corrupted header with a valid checksum gives an error instead of a trap.
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
        guard OutputLayout(pipeline: pipeline).spans == layout.spans, pipeline.columns.count == layout.columnCount, pipeline.encodedWidth == layout.width else {
            return "the output layout does not match the saved transforms"
        }
        if let c = conditionSpan {
            guard layout.spans.indices.contains(c), layout.spans[c].output == .softmax, conditionFrequencies.count == layout.spans[c].width else {
                return "condition span \(c) is not a categorical span of the layout"
            }
        }
        if !conditionFrequencies.allSatisfy({ $0.isFinite && $0 >= 0 }) { return "condition frequencies are not finite probabilities" }
        guard sortedReference.count == pipeline.columns.count,
              zip(sortedReference, pipeline.columns).allSatisfy({ $0.isEmpty || $1.numeric != nil }),
              sortedReference.allSatisfy({ zip($0, $0.dropFirst()).allSatisfy { $0 <= $1 } }) else {
            return "the saved marginals do not match the transforms"
        }
        let numericColumns = pipeline.columns.filter { $0.numeric != nil }.count
        if let draws, draws < 1 { return "\(draws) draws" }
        if let fitCorrelation, !(fitCorrelation.isEmpty || fitCorrelation.count == numericColumns * numericColumns) || !fitCorrelation.allSatisfy(\.isFinite) {
            return "the saved correlation matrix does not match the transforms"
        }
        return nil
    }
}
