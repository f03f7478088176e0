// Raw-pointer elementwise kernels for the autodiff ops: LeakyReLU and row softmax, forward and
// backward, 16 lanes at a time. Large inputs are split into chunks whose size depends only on the
// shape, and no value depends on the chunking, so results are identical whatever the thread count.
// Comparisons use `replacing(with:where:)`: `pointwiseMax`, `clamped` and `.max()` compiled to
// scalar loops in a probe.

import Foundation

/// Elements (LeakyReLU) or row elements (softmax) per parallel chunk.
private let elementsPerChunk = 32_768

/// y = x where x > 0, else slope · x. Shapes: x, y of `count` elements (may be the same buffer).
public func leakyReLUForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, slope: Float) {
    let px = SendableConstPointer(x), py = SendablePointer(y)
    Parallel.forEach(chunks: (count + elementsPerChunk - 1) / elementsPerChunk) { chunk in
        let start = chunk * elementsPerChunk, end = min(count, start + elementsPerChunk)
        let x = px.base, y = py.base, slopes = SIMD16<Float>(repeating: slope)
        var i = start
        while i + 16 <= end {
            let v = loadVector(x + i)
            storeVector(v.replacing(with: v * slopes, where: .!(v .> 0)), y + i)
            i += 16
        }
        while i < end {
            y[i] = x[i] > 0 ? x[i] : slope * x[i]
            i += 1
        }
    }
}

/// dx = dy where x > 0, else slope · dy (dx is overwritten). Shapes: all `count` elements.
public func leakyReLUBackward(
    _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, count: Int, slope: Float
) {
    let px = SendableConstPointer(x), pdy = SendableConstPointer(dy), pdx = SendablePointer(dx)
    Parallel.forEach(chunks: (count + elementsPerChunk - 1) / elementsPerChunk) { chunk in
        let start = chunk * elementsPerChunk, end = min(count, start + elementsPerChunk)
        let x = px.base, dy = pdy.base, dx = pdx.base, slopes = SIMD16<Float>(repeating: slope)
        var i = start
        while i + 16 <= end {
            let g = loadVector(dy + i)
            storeVector(g.replacing(with: g * slopes, where: .!(loadVector(x + i) .> 0)), dx + i)
            i += 16
        }
        while i < end {
            dx[i] = x[i] > 0 ? dy[i] : slope * dy[i]
            i += 1
        }
    }
}

/// y[r, j] = exp(x[r, j] − max_j x[r, ·]) / Σ_j exp(x[r, j] − max_j x[r, ·]) for each row r.
/// Shapes: x, y are rows × columns, row-major (may be the same buffer). A row holding NaN gives NaN.
public func softmaxRows(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
    guard rows > 0, columns > 0 else { return }
    let px = SendableConstPointer(x), py = SendablePointer(y)
    let rowsPerChunk = max(1, elementsPerChunk / columns)
    Parallel.forEach(chunks: (rows + rowsPerChunk - 1) / rowsPerChunk) { chunk in
        for row in (chunk * rowsPerChunk)..<min(rows, (chunk + 1) * rowsPerChunk) {
            softmaxRow(px.base + row * columns, py.base + row * columns, columns: columns)
        }
    }
}

/// dx[r, j] = y[r, j] · (dy[r, j] − Σ_i dy[r, i] · y[r, i]), the softmax backward given its output y.
/// Shapes: all rows × columns, row-major; dx is overwritten.
public func softmaxRowsBackward(
    _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, rows: Int, columns: Int
) {
    guard rows > 0, columns > 0 else { return }
    let py = SendableConstPointer(y), pdy = SendableConstPointer(dy), pdx = SendablePointer(dx)
    let rowsPerChunk = max(1, elementsPerChunk / columns)
    Parallel.forEach(chunks: (rows + rowsPerChunk - 1) / rowsPerChunk) { chunk in
        for row in (chunk * rowsPerChunk)..<min(rows, (chunk + 1) * rowsPerChunk) {
            let offset = row * columns
            softmaxRowBackward(py.base + offset, pdy.base + offset, pdx.base + offset, columns: columns)
        }
    }
}

/// Loads x[0..<count] (count < 16) into the low lanes; the other lanes hold `padding`.
@inline(__always)
private func loadPartial(_ x: UnsafePointer<Float>, count: Int, padding: Float) -> SIMD16<Float> {
    var v = SIMD16<Float>(repeating: padding)
    for lane in 0..<count { v[lane] = x[lane] }
    return v
}

/// Largest lane, by halving (`.max()` compiles to a chain of scalar compares).
@inline(__always)
func horizontalMaximum(_ v: SIMD16<Float>) -> Float {
    let m8 = v.lowHalf.replacing(with: v.highHalf, where: v.highHalf .> v.lowHalf)
    let m4 = m8.lowHalf.replacing(with: m8.highHalf, where: m8.highHalf .> m8.lowHalf)
    let m2 = m4.lowHalf.replacing(with: m4.highHalf, where: m4.highHalf .> m4.lowHalf)
    return m2[1] > m2[0] ? m2[1] : m2[0]
}

/// Sum of the lanes, by halving (a fixed order).
@inline(__always)
func horizontalSum(_ v: SIMD16<Float>) -> Float {
    let s8 = v.lowHalf + v.highHalf, s4 = s8.lowHalf + s8.highHalf, s2 = s4.lowHalf + s4.highHalf
    return s2[0] + s2[1]
}

private func softmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, columns: Int) {
    let fullEnd = columns & ~15, tail = columns - fullEnd
    var maxima = SIMD16<Float>(repeating: -.infinity)
    var j = 0
    while j < fullEnd {
        let v = loadVector(x + j)
        maxima = maxima.replacing(with: v, where: v .> maxima)
        j += 16
    }
    if tail > 0 {
        let v = loadPartial(x + fullEnd, count: tail, padding: -.infinity)
        maxima = maxima.replacing(with: v, where: v .> maxima)
    }
    let shift = SIMD16<Float>(repeating: horizontalMaximum(maxima))  // a NaN is skipped here but reaches the sum
    var sums = SIMD16<Float>()
    j = 0
    while j < fullEnd {
        let e = exponentOfNonPositive(loadVector(x + j) - shift)
        storeVector(e, y + j)
        sums += e
        j += 16
    }
    var tailValues = SIMD16<Float>()
    if tail > 0 {
        tailValues = exponentOfNonPositive(loadPartial(x + fullEnd, count: tail, padding: -.infinity) - shift)
        sums += tailValues  // padded lanes are exp(−∞) = 0
    }
    let scale = SIMD16<Float>(repeating: 1 / sums.sum())
    j = 0
    while j < fullEnd {
        storeVector(loadVector(y + j) * scale, y + j)
        j += 16
    }
    tailValues *= scale
    for lane in 0..<tail { y[fullEnd + lane] = tailValues[lane] }
}

private func softmaxRowBackward(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, columns: Int) {
    let fullEnd = columns & ~15, tail = columns - fullEnd
    var dots = SIMD16<Float>()
    var j = 0
    while j < fullEnd {
        dots = dots.addingProduct(loadVector(dy + j), loadVector(y + j))
        j += 16
    }
    if tail > 0 {
        dots = dots.addingProduct(loadPartial(dy + fullEnd, count: tail, padding: 0), loadPartial(y + fullEnd, count: tail, padding: 0))
    }
    let dot = SIMD16<Float>(repeating: dots.sum())
    j = 0
    while j < fullEnd {
        storeVector(loadVector(y + j) * (loadVector(dy + j) - dot), dx + j)
        j += 16
    }
    for j in fullEnd..<columns { dx[j] = y[j] * (dy[j] - dot[0]) }
}

/// eˣ for x ≤ 0, 16 lanes (Cephes `expf`: x = n·ln 2 + r, |r| ≤ ln 2 / 2, degree-6 polynomial for
/// eʳ, then scaled by 2ⁿ through the exponent bits). Within 2 ulp of `Foundation.exp` for normal
/// results; results below the smallest normal float (x < −87.34) are 0, NaN stays NaN.
@inline(__always)
func exponentOfNonPositive(_ x: SIMD16<Float>) -> SIMD16<Float> {
    let lowest = SIMD16<Float>(repeating: -87.336_54)  // ln(FLT_MIN)
    let underflow = x .< lowest
    let clampedX = x.replacing(with: lowest, where: underflow)
    let roundingShift = SIMD16<Float>(repeating: 12_582_912)  // 1.5 · 2²³: adding it rounds to an integer
    let shifted = clampedX * SIMD16(repeating: 1.442_695_04) + roundingShift  // x·log₂e, rounded
    let n = shifted - roundingShift
    // r = x − n·ln 2 with ln 2 split in two so n·(high part) is exact.
    let r = (clampedX.addingProduct(n, SIMD16(repeating: -0.693_359_375))).addingProduct(n, SIMD16(repeating: 2.121_944_4e-4))
    var p = SIMD16<Float>(repeating: 1.987_569_15e-4)
    p = SIMD16(repeating: 1.398_199_95e-3).addingProduct(p, r)
    p = SIMD16(repeating: 8.333_451_9e-3).addingProduct(p, r)
    p = SIMD16(repeating: 4.166_579_59e-2).addingProduct(p, r)
    p = SIMD16(repeating: 1.666_666_55e-1).addingProduct(p, r)
    p = SIMD16(repeating: 5.000_000_12e-1).addingProduct(p, r)
    let er = r.addingProduct(p, r * r) + SIMD16(repeating: 1)
    let integerN = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- unsafeBitCast(roundingShift, to: SIMD16<Int32>.self)
    let twoToN = unsafeBitCast((integerN &+ 127) &<< 23, to: SIMD16<Float>.self)
    return (er * twoToN).replacing(with: 0, where: underflow)
}
