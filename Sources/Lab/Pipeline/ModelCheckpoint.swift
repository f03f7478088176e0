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
        return ModelCheckpoint(header: header, parameters: Data(bytes[(start + length)..<body.count]))
    }

    private init(header: Header, parameters: Data) {
        self.header = header
        self.parameters = parameters
    }
}
