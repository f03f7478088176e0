// Deterministic parallel loops on a small persistent worker pool. Work is split into chunks whose
// boundaries the caller derives from the problem size only, never from the thread count, so every
// result is bit-identical whatever `Parallel.threadCount` is. Workers spin briefly after a job
// (a wake-up through Dispatch costs 11–14 µs, too much beside 100 µs GEMMs), then park.
// Left out: work stealing, priorities, per-call thread pinning.

import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// Largest accepted `threadCount`.
    public static let maximumThreadCount = 64

    /// Threads used by kernels, the calling thread included (default: all active cores).
    /// May be changed between calls; results do not depend on it.
    public static var threadCount: Int {
        get { WorkerPool.shared.threadCount.load(ordering: .relaxed) }
        set { WorkerPool.shared.threadCount.store(max(1, min(newValue, maximumThreadCount)), ordering: .relaxed) }
    }

    /// Runs `body(chunk)` once for every chunk in 0..<chunks, on up to `threadCount` threads,
    /// and returns when all have finished. Each chunk must write a disjoint part of the output.
    /// A call made while the pool is busy (a nested call from inside `body`, or a call from
    /// another thread) runs its chunks inline, in order, on the calling thread.
    public static func forEach(chunks: Int, _ body: @Sendable (Int) -> Void) {
        if chunks <= 0 { return }
        let threads = min(threadCount, chunks)
        if threads == 1 {
            for chunk in 0..<chunks { body(chunk) }
            return
        }
        WorkerPool.shared.run(chunks: chunks, threads: threads, body)
    }
}

/// The pool behind `Parallel.forEach`. One job at a time: the caller publishes it in
/// `announcement` (sequence · helper count · chunk count), everyone claims chunks from `claim`
/// (sequence · next chunk) by compare-and-swap, and the caller waits until `finished` reaches the
/// chunk count. A helper that wakes late cannot claim a chunk of a later job, because its
/// compare-and-swap expects its own job's sequence number.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// How long an idle helper spins before it parks on the semaphore.
    private static let spinDuration = Duration.microseconds(300)
    private static let indexBits: UInt64 = 40
    private static let indexMask: UInt64 = (1 << 40) - 1

    let threadCount = Atomic<Int>(max(1, min(ProcessInfo.processInfo.activeProcessorCount, Parallel.maximumThreadCount)))
    private let busy = Atomic<Bool>(false)
    /// bits 40–63: job sequence (mod 2²⁴); bits 32–39: helpers asked to join; bits 0–31: chunks.
    private let announcement = Atomic<UInt64>(0)
    /// bits 40–63: job sequence; bits 0–39: next unclaimed chunk.
    private let claim = Atomic<UInt64>(0)
    private let finished = Atomic<Int>(0)
    private let sleepers = Locked<Int>(0)
    private let helperCount = Locked<Int>(0)
    private let wakeUp = DispatchSemaphore(value: 0)
    /// The running job's body; written only by the pool's owner while no chunk can be claimed.
    nonisolated(unsafe) private var job: (@Sendable (Int) -> Void)?
    nonisolated(unsafe) private var sequence: UInt64 = 0

    func run(chunks: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
        guard chunks < (1 << 32), busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for chunk in 0..<chunks { body(chunk) }
            return
        }
        let helpers = threads - 1
        startHelpers(upTo: helpers)
        withoutActuallyEscaping(body) { body in
            job = body
            sequence = (sequence + 1) & 0xFF_FFFF
            finished.store(0, ordering: .relaxed)
            claim.store(sequence << Self.indexBits, ordering: .relaxed)
            announcement.store(sequence << 40 | UInt64(helpers) << 32 | UInt64(chunks), ordering: .releasing)
            let parked = sleepers.withLock { count in
                defer { count = 0 }
                return count
            }
            for _ in 0..<parked { wakeUp.signal() }
            work(sequence: sequence, chunks: chunks)
            var spins = 0
            while finished.load(ordering: .acquiring) < chunks {
                // A helper may have been descheduled mid-chunk; after a short spin, let it run.
                spins &+= 1
                if spins > 4096 { sched_yield() }
            }
            job = nil
        }
        busy.store(false, ordering: .releasing)
    }

    /// Claims and runs chunks of job `sequence` until none is left.
    private func work(sequence: UInt64, chunks: Int) {
        var current = claim.load(ordering: .relaxed)
        while current >> Self.indexBits == sequence, Int(current & Self.indexMask) < chunks {
            let (exchanged, original) = claim.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if !exchanged {
                current = original
                continue
            }
            job!(Int(current & Self.indexMask))
            finished.add(1, ordering: .releasing)
            current = claim.load(ordering: .relaxed)
        }
    }

    private func startHelpers(upTo count: Int) {
        helperCount.withLock { started in
            while started < count {
                let index = started
                let thread = Thread { [unowned self] in self.helperLoop(index: index) }
                thread.name = "TensorKit.worker.\(index)"
                thread.start()
                started += 1
            }
        }
    }

    private func helperLoop(index: Int) -> Never {
        var seen = announcement.load(ordering: .acquiring)
        while true {
            seen = waitForNews(after: seen)
            let helpers = Int((seen >> 32) & 0xFF), chunks = Int(seen & 0xFFFF_FFFF)
            if index < helpers { work(sequence: seen >> 40, chunks: chunks) }
        }
    }

    /// Spins until the announcement differs from `seen`; parks after `spinDuration` without news.
    private func waitForNews(after seen: UInt64) -> UInt64 {
        let clock = ContinuousClock()
        var deadline = clock.now + Self.spinDuration
        var spins = 0
        while true {
            let word = announcement.load(ordering: .acquiring)
            if word != seen { return word }
            spins &+= 1
            if spins & 1023 == 0 { sched_yield() }  // cheap courtesy to other processes on the core
            if spins & 1023 == 0, clock.now > deadline {
                let park = sleepers.withLock { count in
                    guard announcement.load(ordering: .acquiring) == seen else { return false }
                    count += 1
                    return true
                }
                if park { wakeUp.wait() }
                deadline = clock.now + Self.spinDuration
            }
        }
    }
}
