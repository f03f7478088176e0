// Tensor: Float32, contiguous, row-major, rank 1–3 (N × F × D for attention). A reference type
// because it is a node of the autodiff graph. Storage comes from a pool so that training steps
// reuse buffers instead of allocating. Ops live in Tensor+*.swift; autodiff in Autodiff/.

import Foundation

/// A shape mismatch or invalid argument detected by an op; the message names the op and shapes.
public struct ShapeError: Error, CustomStringConvertible {
    public let description: String
}

@usableFromInline
func shapeCheck(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { preconditionFailure(message()) }
}

/// A dense Float32 tensor of rank 1, 2 or 3 that can take part in reverse-mode autodiff.
public final class Tensor {
    /// Dimensions, outermost first; 1 ≤ rank ≤ 3.
    public let shape: [Int]
    /// Number of elements: the product of `shape`.
    public let count: Int
    /// Row-major storage owned by this tensor.
    public let data: UnsafeMutablePointer<Float>
    /// Whether gradients flow to this tensor (parameters, and anything computed from them).
    public internal(set) var requiresGrad: Bool
    /// Accumulated gradient of a leaf after `backward()`.
    public var grad: Tensor?
    /// The op that produced this tensor while recording, or nil for leaves and constants.
    var creator: Node?

    /// An uninitialised tensor of `shape` (contents are arbitrary until written).
    public init(uninitializedShape shape: [Int]) {
        shapeCheck((1...3).contains(shape.count) && shape.allSatisfy { $0 >= 0 },
                   "Tensor: rank must be 1–3 with non-negative dimensions, got shape \(shape)")
        self.shape = shape
        self.count = shape.reduce(1, *)
        self.data = BufferPool.shared.take(count)
        self.requiresGrad = false
    }

    /// A tensor with the given values (row-major).
    public convenience init(shape: [Int], scalars: [Float], requiresGrad: Bool = false) {
        self.init(uninitializedShape: shape)
        shapeCheck(scalars.count == count, "Tensor(shape: \(shape)) needs \(count) values, got \(scalars.count)")
        scalars.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
        self.requiresGrad = requiresGrad
    }

    /// A tensor of `shape` filled with `value`.
    public convenience init(shape: [Int], repeating value: Float, requiresGrad: Bool = false) {
        self.init(uninitializedShape: shape)
        data.update(repeating: value, count: count)
        self.requiresGrad = requiresGrad
    }

    deinit { BufferPool.shared.give(data, count: count) }

    /// Rank (number of dimensions).
    public var rank: Int { shape.count }

    /// The values as an array (copies).
    public var scalars: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }

    /// The single value of a one-element tensor.
    public var item: Float {
        shapeCheck(count == 1, "item: tensor of shape \(shape) has \(count) elements, not 1")
        return data[0]
    }

    /// Buffer view of the storage.
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: data, count: count) }

    /// Marks a leaf as a parameter (or an input to differentiate with respect to).
    @discardableResult
    public func requiringGrad(_ flag: Bool = true) -> Tensor {
        precondition(creator == nil, "requiringGrad: only leaf tensors can be marked; use detached() first")
        requiresGrad = flag
        return self
    }

    /// A copy that shares no graph history (a constant).
    public func detached() -> Tensor {
        let t = Tensor(uninitializedShape: shape)
        t.data.update(from: data, count: count)
        return t
    }

    /// Overwrites the values with `other`'s (same count); not recorded by autodiff.
    public func assign(_ other: Tensor) {
        shapeCheck(other.count == count, "assign: shapes \(shape) and \(other.shape) differ in size")
        data.update(from: other.data, count: count)
    }

    /// Shape padded on the left to rank 3: (outer, rows, columns).
    @inlinable
    var dims3: (Int, Int, Int) {
        switch shape.count {
        case 1: return (1, 1, shape[0])
        case 2: return (1, shape[0], shape[1])
        default: return (shape[0], shape[1], shape[2])
        }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor\(shape)[\(shown)\(count > 8 ? ", …" : "")]"
    }
}

/// Recycles tensor storage by exact element count, so a training loop whose shapes repeat stops
/// allocating after its first step. Bounded: beyond `maxPooledFloats` buffers are freed. Buffers
/// are 64-byte aligned, so a row whose length is a multiple of 16 floats starts on a cache line
/// and the kernels' 16-wide loads and stores never straddle two lines.
final class BufferPool: @unchecked Sendable {
    static let shared = BufferPool()
    private var free: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var pooledFloats = 0
    private let lock = NSLock()
    private let maxPooledFloats = 48 << 20
    private let maxBufferFloats = 8 << 20

    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        let n = max(count, 1)
        lock.lock()
        if let p = free[n]?.popLast() {
            pooledFloats -= n
            lock.unlock()
            return p
        }
        lock.unlock()
        return UnsafeMutableRawPointer.allocate(byteCount: n * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: n)
    }

    func give(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        let n = max(count, 1)
        lock.lock()
        if n <= maxBufferFloats && pooledFloats + n <= maxPooledFloats {
            free[n, default: []].append(pointer)
            pooledFloats += n
            lock.unlock()
        } else {
            lock.unlock()
            UnsafeMutableRawPointer(pointer).deallocate()
        }
    }
}
