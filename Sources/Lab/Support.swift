// Small shared pieces of the Lab: its error type and atomic file writes.

import Foundation

/// A Lab failure whose message says what went wrong and what to do.
public struct LabError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Writes that never leave a half-written file: temporary file in the same folder, then rename.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw LabError("\(path): cannot write (\(error.localizedDescription)); check that the folder exists and is writable")
        }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }
}
