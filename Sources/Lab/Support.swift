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
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw LabError("\(path): is a folder; give the path of a file to write (one inside this folder, for example)")
        }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw LabError("\(path): cannot write (\(plainReason(error))); check that the folder exists, is writable and has space")
        }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }
}

/// A file-system error in words (Foundation's Cocoa codes such as "error 512" or "Code=640" say
/// nothing to a user): the POSIX reason underneath when there is one.
func plainReason(_ error: any Error) -> String {
    let ns = error as NSError
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        return String(cString: strerror(Int32(underlying.code)))
    }
    if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
    switch (ns.domain, ns.code) {
    case (NSCocoaErrorDomain, NSFileWriteOutOfSpaceError): return "no space left on the device"
    case (NSCocoaErrorDomain, NSFileWriteNoPermissionError), (NSCocoaErrorDomain, NSFileReadNoPermissionError): return "permission denied"
    case (NSCocoaErrorDomain, NSFileWriteVolumeReadOnlyError): return "the file system is read-only"
    case (NSCocoaErrorDomain, NSFileNoSuchFileError), (NSCocoaErrorDomain, NSFileReadNoSuchFileError): return "no such file or folder"
    default: return ns.localizedDescription
    }
}
