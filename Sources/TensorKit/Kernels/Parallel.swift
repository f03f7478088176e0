// Deterministic parallel loops. Work is split into chunks whose boundaries depend only on the
// problem size, never on the thread count, so every result is bit-identical whatever
// `Parallel.threadCount` is.

import Dispatch
import Foundation

/// A pointer that may cross into worker threads: the caller guarantees disjoint writes.
public struct SendablePointer<T>: @unchecked Sendable {
    public let base: UnsafeMutablePointer<T>
    @inlinable public init(_ base: UnsafeMutablePointer<T>) { self.base = base }
}

/// A read-only pointer that may cross into worker threads.
public struct SendableConstPointer<T>: @unchecked Sendable {
    public let base: UnsafePointer<T>
    @inlinable public init(_ base: UnsafePointer<T>) { self.base = base }
}

public enum Parallel {
    nonisolated(unsafe) private static var _threadCount = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 64))

    /// Worker threads used by kernels (default: all active cores). Set once, before work starts.
    public static var threadCount: Int {
        get { _threadCount }
        set { _threadCount = max(1, newValue) }
    }

    /// Runs `body(chunk)` for chunk in 0..<chunks on up to `threadCount` threads.
    /// Each chunk must write a disjoint part of the output.
    public static func forEach(chunks: Int, _ body: @Sendable (Int) -> Void) {
        if chunks <= 0 { return }
        let threads = min(threadCount, chunks)
        if threads == 1 {
            for c in 0..<chunks { body(c) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var c = t
            while c < chunks { body(c); c += threads }
        }
    }
}
