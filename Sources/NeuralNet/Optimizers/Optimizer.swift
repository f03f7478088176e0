// Optimisers update parameters in place from their accumulated `grad`. Per-parameter state lives
// in flat buffers allocated once. Also: global-norm gradient clipping and learning-rate schedules.

import Foundation
import TensorKit

/// Updates a fixed list of parameters from their gradients.
public protocol Optimizer: AnyObject {
    var parameters: [Tensor] { get }
    /// Base learning rate; a schedule scales it per step.
    var learningRate: Float { get set }
    /// Applies one update using each parameter's `grad` (parameters without a gradient are skipped).
    func step()
}

extension Optimizer {
    /// Clears every parameter's gradient.
    public func zeroGrad() { parameters.forEach { $0.zeroGrad() } }
}

/// Scales all gradients so their joint L2 norm is at most `maxNorm`; returns the norm before.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    let norm = gradientNorm(parameters)
    if norm > maxNorm && norm.isFinite {
        let scale = maxNorm / (norm + 1e-6)
        for p in parameters { if let g = p.grad { for i in 0..<g.count { g.data[i] *= scale } } }
    }
    return norm
}

/// Joint L2 norm of all gradients (accumulated in Double).
public func gradientNorm(_ parameters: [Tensor]) -> Float {
    var total = 0.0
    for p in parameters { if let g = p.grad { for i in 0..<g.count { total += Double(g.data[i]) * Double(g.data[i]) } } }
    return Float(total.squareRoot())
}

/// SGD with optional momentum: v ← μ·v + g; p ← p − lr·v.
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public let momentum: Float
    private var velocity: [[Float]]

    public init(parameters: [Tensor], learningRate: Float, momentum: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        velocity = parameters.map { [Float](repeating: 0, count: $0.count) }
    }

    public func step() {
        for (k, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            velocity[k].withUnsafeMutableBufferPointer { v in
                for i in 0..<p.count {
                    v[i] = momentum * v[i] + g.data[i]
                    p.data[i] -= learningRate * v[i]
                }
            }
        }
    }
}

/// Adam (Kingma & Ba) with bias correction; with `decoupledWeightDecay` > 0 it is AdamW
/// (Loshchilov & Hutter): p ← p − lr·(m̂/(√v̂ + ε) + λ·p).
public final class Adam: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
    public private(set) var stepCount = 0
    private var m: [[Float]], v: [[Float]]

    public init(parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        m = parameters.map { [Float](repeating: 0, count: $0.count) }
        v = m
    }

    public func step() {
        stepCount += 1
        let c1 = 1 - Float(Double(beta1).power(stepCount)), c2 = 1 - Float(Double(beta2).power(stepCount))
        let lr = learningRate, b1 = beta1, b2 = beta2, eps = epsilon, wd = weightDecay
        for (k, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            m[k].withUnsafeMutableBufferPointer { m in
                v[k].withUnsafeMutableBufferPointer { v in
                    adamUpdate(p.data, g.data, m.baseAddress!, v.baseAddress!, count: p.count,
                               lr: lr, b1: b1, b2: b2, c1: c1, c2: c2, eps: eps, wd: wd)
                }
            }
        }
    }
}

/// The Adam update of one parameter buffer on raw pointers (the four buffers never overlap), in
/// size-only chunks across threads; each element's update is independent of the chunking.
private func adamUpdate(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                        _ v: UnsafeMutablePointer<Float>, count: Int,
                        lr: Float, b1: Float, b2: Float, c1: Float, c2: Float, eps: Float, wd: Float) {
    let chunkSize = 16_384
    let pp = SendablePointer(p), pg = SendableConstPointer(g), pm = SendablePointer(m), pv = SendablePointer(v)
    Parallel.forEach(chunks: (count + chunkSize - 1) / chunkSize) { chunk in
        let p = pp.base, g = pg.base, m = pm.base, v = pv.base
        let end = min(count, (chunk + 1) * chunkSize)
        var i = chunk * chunkSize
        // 16 lanes at a time, then the same formula per element for the rest.
        while i + 16 <= end {
            let gi = load16(g + i)
            let mi = b1 * load16(m + i) + (1 - b1) * gi, vi = b2 * load16(v + i) + (1 - b2) * gi * gi
            store16(mi, m + i)
            store16(vi, v + i)
            let update = (mi / c1) / ((vi / c2).squareRoot() + eps)
            let pi = load16(p + i)
            store16(pi - lr * (update + wd * pi), p + i)
            i += 16
        }
        for i in i..<end {
            let gi = g[i]
            let mi = b1 * m[i] + (1 - b1) * gi, vi = b2 * v[i] + (1 - b2) * gi * gi
            m[i] = mi
            v[i] = vi
            let update = (mi / c1) / ((vi / c2).squareRoot() + eps)
            p[i] -= lr * (update + wd * p[i])
        }
    }
}

@inline(__always)
private func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }

@inline(__always)
private func load16(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }

@inline(__always)
private func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self) }

extension Double {
    /// self raised to a non-negative integer power by repeated squaring (exact and fast).
    func power(_ n: Int) -> Double {
        var result = 1.0, base = self, e = n
        while e > 0 {
            if e & 1 == 1 { result *= base }
            base *= base
            e >>= 1
        }
        return result
    }
}

/// A learning-rate multiplier per step (step counts from 0).
public enum LearningRateSchedule: Sendable, Equatable {
    case constant
    /// Linear ramp from 0 to 1 over `steps`, then 1.
    case linearWarmup(steps: Int)
    /// Cosine decay from 1 to `floor` over `totalSteps`.
    case cosine(totalSteps: Int, floor: Float)
    /// Multiplies by `gamma` every `every` steps.
    case stepDecay(every: Int, gamma: Float)

    public func factor(at step: Int) -> Float {
        switch self {
        case .constant: return 1
        case .linearWarmup(let steps): return steps <= 0 ? 1 : min(1, Float(step + 1) / Float(steps))
        case .cosine(let total, let floor):
            let t = min(1, Float(step) / Float(max(total, 1)))
            return floor + (1 - floor) * 0.5 * (1 + Float(Foundation.cos(Double.pi * Double(t))))
        case .stepDecay(let every, let gamma): return Float(Double(gamma).power(step / max(every, 1)))
        }
    }
}
