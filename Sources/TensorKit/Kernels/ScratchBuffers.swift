// Reusable 64-byte-aligned Float scratch memory for kernels (packed GEMM panels), so a training
// loop does not allocate, page-fault and free megabytes per product. Buffers are handed out one
// caller at a time and returned; the cache never holds more buffers than were ever in use at once.

enum ScratchBuffers {
    private struct Buffer: @unchecked Sendable {
        let base: UnsafeMutablePointer<Float>
        let capacity: Int
    }

    private static let free = Locked<[Buffer]>([])

    /// Runs `body` with a buffer of at least `count` floats (contents undefined), then keeps the
    /// buffer for later calls.
    static func with<R>(count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        let buffer = take(count: max(count, 16))
        defer { free.withLock { $0.append(buffer) } }
        return try body(buffer.base)
    }

    private static func take(count: Int) -> Buffer {
        let reused: Buffer? = free.withLock { buffers in
            // Smallest buffer that fits; if none fits, drop the largest so the cache does not grow.
            if let index = buffers.indices.filter({ buffers[$0].capacity >= count })
                .min(by: { buffers[$0].capacity < buffers[$1].capacity }) {
                return buffers.remove(at: index)
            }
            if let index = buffers.indices.max(by: { buffers[$0].capacity < buffers[$1].capacity }) {
                let dropped = buffers.remove(at: index)
                UnsafeMutableRawPointer(dropped.base).deallocate()
            }
            return nil
        }
        if let reused { return reused }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
        return Buffer(base: raw.bindMemory(to: Float.self, capacity: count), capacity: count)
    }
}
