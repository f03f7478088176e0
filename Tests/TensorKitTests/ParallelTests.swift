// The worker pool: every chunk runs exactly once for any chunk and thread count, thread count
// changes between calls, nested and concurrent calls complete.

import Dispatch
import Synchronization
import XCTest
@testable import TensorKit

final class ParallelTests: XCTestCase {
    private var savedThreadCount = 1
    override func setUp() { savedThreadCount = Parallel.threadCount }
    override func tearDown() { Parallel.threadCount = savedThreadCount }

    /// How many times each chunk ran.
    private func visits(chunks: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: max(chunks, 1))
        counts.withUnsafeMutableBufferPointer { buffer in
            let slots = SendablePointer(buffer.baseAddress!)
            Parallel.forEach(chunks: chunks) { chunk in slots.base[chunk] += 1 }
        }
        return Array(counts.prefix(chunks))
    }

    func testEveryChunkRunsOnceForAnyThreadCount() {
        for threads in [1, 2, 3, 5] {
            Parallel.threadCount = threads
            for chunks in [0, 1, 2, 3, 7, 1000] {
                XCTAssertEqual(visits(chunks: chunks), [Int](repeating: 1, count: chunks), "threads \(threads), chunks \(chunks)")
            }
        }
    }

    func testThreadCountIsClampedAndMayChangeBetweenCalls() {
        Parallel.threadCount = 0
        XCTAssertEqual(Parallel.threadCount, 1)
        Parallel.threadCount = 10_000
        XCTAssertEqual(Parallel.threadCount, Parallel.maximumThreadCount)
        for threads in [4, 1, 3, 2, 6] {
            Parallel.threadCount = threads
            XCTAssertEqual(visits(chunks: 50), [Int](repeating: 1, count: 50), "threads \(threads)")
        }
    }

    func testNestedCallsRunInlineWithoutDeadlock() {
        Parallel.threadCount = 3
        let outer = 8, inner = 16
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: outer * inner)
        counts.initialize(repeating: 0, count: outer * inner)
        defer { counts.deallocate() }
        let slots = SendablePointer(counts)
        Parallel.forEach(chunks: outer) { i in
            Parallel.forEach(chunks: inner) { j in slots.base[i * inner + j] += 1 }
        }
        XCTAssertEqual(Array(UnsafeBufferPointer(start: counts, count: outer * inner)), [Int](repeating: 1, count: outer * inner))
    }

    func testConcurrentCallersBothComplete() {
        Parallel.threadCount = 2
        let total = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<50 {
                Parallel.forEach(chunks: 10) { _ in total.add(1, ordering: .relaxed) }
            }
        }
        XCTAssertEqual(total.load(ordering: .relaxed), 4 * 50 * 10)
    }

    func testWorkersWakeAfterParking() throws {
        Parallel.threadCount = 2
        XCTAssertEqual(visits(chunks: 20), [Int](repeating: 1, count: 20))
        Thread.sleep(forTimeInterval: 0.01)  // well past the spin time: helpers have parked
        XCTAssertEqual(visits(chunks: 20), [Int](repeating: 1, count: 20))
    }
}
