// A value guarded by a pthread mutex (NSLock). Used instead of Synchronization.Mutex where a lock
// is rare and cheap: ThreadSanitizer models pthread mutexes, but not Mutex's futex fast path in
// the uninstrumented standard library, and reported every access under Mutex as a data race.

import Foundation

/// `value` behind a lock; access it only inside `withLock`.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    @inline(__always)
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
