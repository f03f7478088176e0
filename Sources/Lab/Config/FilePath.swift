// Lexical path arithmetic for config files: directory of a file, joining, normalising `.` and
// `..`, and writing one path relative to another directory. Purely textual: symbolic links are
// not followed, so `a/link/..` becomes `a`. POSIX separators only.

import Foundation

enum FilePath {
    /// The directory part of `path` ("." for a bare file name).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `relative` resolved against `directory`; an absolute `relative` is returned as is.
    static func joined(_ directory: String, _ relative: String) -> String {
        if relative.hasPrefix("/") || directory == "." { return relative }
        return directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }

    /// Removes empty and `.` components and folds `name/..`; leading `..` of a relative path stay.
    static func normalized(_ path: String) -> String {
        let isAbsolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else if part == "..", isAbsolute {
                continue
            } else {
                parts.append(part)
            }
        }
        let body = parts.joined(separator: "/")
        if isAbsolute { return "/" + body }
        return body.isEmpty ? "." : body
    }

    /// `path` rewritten relative to `directory` (both taken against the current directory), so
    /// `relative("Data/x.csv", from: "Configs")` is `../Data/x.csv`. An absolute path that
    /// shares no leading component with `directory` (such as `/data/x.csv` seen from
    /// `/home/me/Configs`) stays absolute.
    static func relative(_ path: String, from directory: String) -> String {
        let current = FileManager.default.currentDirectoryPath
        let target = components(normalized(joined(current, path)))
        let base = components(normalized(joined(current, directory)))
        var common = 0
        while common < target.count, common < base.count, target[common] == base[common] { common += 1 }
        if path.hasPrefix("/"), common == 0 { return normalized(path) }
        let ups = Array(repeating: "..", count: base.count - common)
        let result = (ups + target[common...]).joined(separator: "/")
        return result.isEmpty ? "." : result
    }

    private static func components(_ absolutePath: String) -> [String] {
        absolutePath.split(separator: "/").map(String.init)
    }
}
