// libFuzzer entry point for the config loader, compiled into one module with Sources/Lab/Config
// by scripts/fuzz/run.sh. Every input must load or throw ConfigError (typed throws); what loads
// must load again, unchanged, from its own resolved JSON. A trap aborts as a finding.

import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigLoader(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: size), as: UTF8.self)
    guard let config = try? ConfigLoader.parse(json: text, sourcePath: "/nonexistent/fuzz.json") else { return 0 }
    guard let again = try? ConfigLoader.parse(json: config.resolvedJSON(), sourcePath: "/nonexistent/fuzz.json"), again == config else {
        fatalError("a loaded config does not round-trip through its resolved JSON")
    }
    return 0
}
