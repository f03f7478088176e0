// Elementwise kernels on raw buffers (placeholder scalar versions; replaced by the SIMD kernels).

public func leakyReLUForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, slope: Float) {
    for i in 0..<count { y[i] = x[i] > 0 ? x[i] : slope * x[i] }
}

public func leakyReLUBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, count: Int, slope: Float) {
    for i in 0..<count { dx[i] = x[i] > 0 ? dy[i] : slope * dy[i] }
}

public func softmaxRows(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
    for r in 0..<rows {
        let xr = x + r * columns, yr = y + r * columns
        var m = -Float.infinity
        for j in 0..<columns { m = max(m, xr[j]) }
        var s: Float = 0
        for j in 0..<columns { yr[j] = (xr[j] - m).exponential; s += yr[j] }
        for j in 0..<columns { yr[j] /= s }
    }
}

public func softmaxRowsBackward(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
    for r in 0..<rows {
        let yr = y + r * columns, gr = dy + r * columns, dr = dx + r * columns
        var dot: Float = 0
        for j in 0..<columns { dot += gr[j] * yr[j] }
        for j in 0..<columns { dr[j] = yr[j] * (gr[j] - dot) }
    }
}

extension Float {
    @usableFromInline var exponential: Float { Float(_exp(Double(self))) }
}
import Foundation
@usableFromInline func _exp(_ x: Double) -> Double { Foundation.exp(x) }
