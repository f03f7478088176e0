// Saves and loads named tensors in a small versioned, checksummed binary format:
// magic "TCPARAMS", version, count, entries (name, shape, little-endian Float32 data), FNV-1a-64
// checksum (`fnv1a64`) of all preceding bytes. Truncated or corrupted files are clear errors.

import Foundation
import TensorKit

/// Why a parameter file could not be read or applied.
public struct ParameterFileError: Error, CustomStringConvertible {
    public let description: String
}

public enum ParameterFile {
    static let magic = Array("TCPARAMS".utf8)
    /// Current format version.
    public static let version: UInt32 = 1

    /// Encodes named tensors (order kept).
    public static func encode(_ state: [(String, Tensor)]) -> Data {
        var bytes: [UInt8] = magic
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        put(version)
        put(UInt32(state.count))
        for (name, t) in state {
            let utf8 = Array(name.utf8)
            put(UInt32(utf8.count)); bytes.append(contentsOf: utf8)
            put(UInt32(t.rank)); for d in t.shape { put(UInt64(d)) }
            for i in 0..<t.count { put(t.data[i].bitPattern) }
        }
        put(fnv1a64(bytes))
        return Data(bytes)
    }

    /// Decodes named tensors, checking magic, version, bounds and checksum.
    public static func decode(_ data: Data, source: String = "parameter data") throws -> [(String, Tensor)] {
        let bytes = [UInt8](data)
        func fail(_ why: String) -> ParameterFileError {
            ParameterFileError(description: "\(source): \(why). Re-create it by re-running training; the file may be truncated or corrupted.")
        }
        guard bytes.count >= magic.count + 16, Array(bytes.prefix(magic.count)) == magic else {
            throw fail("not a TabCorr parameter file (bad magic bytes or too short)")
        }
        let body = bytes[..<(bytes.count - 8)]
        var offset = bytes.count - 8
        let stored: UInt64 = read(bytes, &offset)
        guard stored == fnv1a64(body) else { throw fail("checksum mismatch") }
        offset = magic.count
        func next<T: FixedWidthInteger>(_: T.Type) throws -> T {
            guard offset + MemoryLayout<T>.size <= body.count else { throw fail("unexpected end of data at byte \(offset)") }
            return read(bytes, &offset)
        }
        let v = try next(UInt32.self)
        guard v == version else { throw fail("format version \(v) is not supported (this build reads version \(version))") }
        let count = Int(try next(UInt32.self))
        var result: [(String, Tensor)] = []
        for _ in 0..<count {
            let length = Int(try next(UInt32.self))
            guard offset + length <= body.count else { throw fail("unexpected end of data in a name") }
            let name = String(decoding: bytes[offset..<(offset + length)], as: UTF8.self)
            offset += length
            let rank = Int(try next(UInt32.self))
            guard (1...3).contains(rank) else { throw fail("tensor '\(name)' has invalid rank \(rank)") }
            var shape: [Int] = []
            for _ in 0..<rank { shape.append(Int(try next(UInt64.self))) }
            let n = shape.reduce(1, *)
            guard n >= 0, offset + 4 * n <= body.count else { throw fail("tensor '\(name)' runs past the end of the data") }
            let t = Tensor(uninitializedShape: shape)
            for i in 0..<n { t.data[i] = Float(bitPattern: try next(UInt32.self)) }
            result.append((name, t))
        }
        guard offset == body.count else { throw fail("\(body.count - offset) unexpected trailing bytes") }
        return result
    }

    /// Copies decoded values into `state` (same names, order and shapes), or throws naming the first mismatch.
    public static func apply(_ loaded: [(String, Tensor)], to state: [(String, Tensor)], source: String = "parameter data") throws {
        guard loaded.count == state.count else {
            throw ParameterFileError(description: "\(source): holds \(loaded.count) tensors, the model has \(state.count); it was saved from a different architecture")
        }
        for ((name, value), (expected, target)) in zip(loaded, state) {
            guard name == expected, value.shape == target.shape else {
                throw ParameterFileError(description: "\(source): tensor '\(name)' \(value.shape) does not match the model's '\(expected)' \(target.shape)")
            }
            target.assign(value)
        }
    }

    /// Writes atomically (temporary file, then rename).
    public static func save(_ state: [(String, Tensor)], to path: String) throws {
        try encode(state).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Reads a file written by `save`.
    public static func load(from path: String) throws -> [(String, Tensor)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ParameterFileError(description: "\(path): cannot read the file; check the path")
        }
        return try decode(data, source: path)
    }
}

@inline(__always)
private func read<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: inout Int) -> T {
    var v: T = 0
    withUnsafeMutableBytes(of: &v) { dst in
        for i in 0..<MemoryLayout<T>.size { dst[i] = bytes[offset + i] }
    }
    offset += MemoryLayout<T>.size
    return T(littleEndian: v)
}
