// The GEMM micro-kernel: a 14×32 tile of C held in 28 `SIMD16<Float>` accumulators (of the 32
// AVX-512 registers) while it sums over `depth` steps of one rank-1 update each: two 16-wide loads
// of a B row, fourteen broadcasts of A, 28 fused multiply-adds. Written out by hand (generated,
// then kept) so every accumulator stays in a register. Edges are the driver's job (GEMM.swift).

/// Rows of C per micro-tile.
let microRows = 14
/// Columns of C per micro-tile (two `SIMD16` vectors).
let microColumns = 32

@inline(__always)
func loadVector(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
func storeVector(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

/// Writes one 32-wide row of the tile: `c = v` or `c += v`.
@inline(__always)
private func storeRow(_ v0: SIMD16<Float>, _ v1: SIMD16<Float>, _ c: UnsafeMutablePointer<Float>, _ addToC: Bool) {
    if addToC {
        storeVector(loadVector(c) + v0, c)
        storeVector(loadVector(c + 16) + v1, c + 16)
    } else {
        storeVector(v0, c)
        storeVector(v1, c + 16)
    }
}

/// C[0..<rows, 0..<32] (=|+=) Σ_{p<depth} A(i, p) · B(p, j), where A(i, p) = a[i·aRowStride +
/// p·aDepthStride] and B(p, j) = b[p·bDepthStride + j]. `rows` (≤ 14) must be a constant after
/// inlining, so the unused accumulators vanish.
@inline(__always)
private func microKernel(
    rows: Int, depth: Int, a: UnsafePointer<Float>, aRowStride: Int, aDepthStride: Int,
    b: UnsafePointer<Float>, bDepthStride: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, addToC: Bool
) {
    let z = SIMD16<Float>()
    var c0_0 = z, c0_1 = z, c1_0 = z, c1_1 = z
    var c2_0 = z, c2_1 = z, c3_0 = z, c3_1 = z
    var c4_0 = z, c4_1 = z, c5_0 = z, c5_1 = z
    var c6_0 = z, c6_1 = z, c7_0 = z, c7_1 = z
    var c8_0 = z, c8_1 = z, c9_0 = z, c9_1 = z
    var c10_0 = z, c10_1 = z, c11_0 = z, c11_1 = z
    var c12_0 = z, c12_1 = z, c13_0 = z, c13_1 = z
    var a = a, b = b
    for _ in 0..<depth {
        let b0 = loadVector(b), b1 = loadVector(b + 16)
        do {
            let a0 = SIMD16<Float>(repeating: a[0 &* aRowStride])
            c0_0 = c0_0.addingProduct(a0, b0)
            c0_1 = c0_1.addingProduct(a0, b1)
        }
        if rows > 1 {
            let a1 = SIMD16<Float>(repeating: a[1 &* aRowStride])
            c1_0 = c1_0.addingProduct(a1, b0)
            c1_1 = c1_1.addingProduct(a1, b1)
        }
        if rows > 2 {
            let a2 = SIMD16<Float>(repeating: a[2 &* aRowStride])
            c2_0 = c2_0.addingProduct(a2, b0)
            c2_1 = c2_1.addingProduct(a2, b1)
        }
        if rows > 3 {
            let a3 = SIMD16<Float>(repeating: a[3 &* aRowStride])
            c3_0 = c3_0.addingProduct(a3, b0)
            c3_1 = c3_1.addingProduct(a3, b1)
        }
        if rows > 4 {
            let a4 = SIMD16<Float>(repeating: a[4 &* aRowStride])
            c4_0 = c4_0.addingProduct(a4, b0)
            c4_1 = c4_1.addingProduct(a4, b1)
        }
        if rows > 5 {
            let a5 = SIMD16<Float>(repeating: a[5 &* aRowStride])
            c5_0 = c5_0.addingProduct(a5, b0)
            c5_1 = c5_1.addingProduct(a5, b1)
        }
        if rows > 6 {
            let a6 = SIMD16<Float>(repeating: a[6 &* aRowStride])
            c6_0 = c6_0.addingProduct(a6, b0)
            c6_1 = c6_1.addingProduct(a6, b1)
        }
        if rows > 7 {
            let a7 = SIMD16<Float>(repeating: a[7 &* aRowStride])
            c7_0 = c7_0.addingProduct(a7, b0)
            c7_1 = c7_1.addingProduct(a7, b1)
        }
        if rows > 8 {
            let a8 = SIMD16<Float>(repeating: a[8 &* aRowStride])
            c8_0 = c8_0.addingProduct(a8, b0)
            c8_1 = c8_1.addingProduct(a8, b1)
        }
        if rows > 9 {
            let a9 = SIMD16<Float>(repeating: a[9 &* aRowStride])
            c9_0 = c9_0.addingProduct(a9, b0)
            c9_1 = c9_1.addingProduct(a9, b1)
        }
        if rows > 10 {
            let a10 = SIMD16<Float>(repeating: a[10 &* aRowStride])
            c10_0 = c10_0.addingProduct(a10, b0)
            c10_1 = c10_1.addingProduct(a10, b1)
        }
        if rows > 11 {
            let a11 = SIMD16<Float>(repeating: a[11 &* aRowStride])
            c11_0 = c11_0.addingProduct(a11, b0)
            c11_1 = c11_1.addingProduct(a11, b1)
        }
        if rows > 12 {
            let a12 = SIMD16<Float>(repeating: a[12 &* aRowStride])
            c12_0 = c12_0.addingProduct(a12, b0)
            c12_1 = c12_1.addingProduct(a12, b1)
        }
        if rows > 13 {
            let a13 = SIMD16<Float>(repeating: a[13 &* aRowStride])
            c13_0 = c13_0.addingProduct(a13, b0)
            c13_1 = c13_1.addingProduct(a13, b1)
        }
        a += aDepthStride
        b += bDepthStride
    }
    do { storeRow(c0_0, c0_1, c + 0 &* ldc, addToC) }
    if rows > 1 { storeRow(c1_0, c1_1, c + 1 &* ldc, addToC) }
    if rows > 2 { storeRow(c2_0, c2_1, c + 2 &* ldc, addToC) }
    if rows > 3 { storeRow(c3_0, c3_1, c + 3 &* ldc, addToC) }
    if rows > 4 { storeRow(c4_0, c4_1, c + 4 &* ldc, addToC) }
    if rows > 5 { storeRow(c5_0, c5_1, c + 5 &* ldc, addToC) }
    if rows > 6 { storeRow(c6_0, c6_1, c + 6 &* ldc, addToC) }
    if rows > 7 { storeRow(c7_0, c7_1, c + 7 &* ldc, addToC) }
    if rows > 8 { storeRow(c8_0, c8_1, c + 8 &* ldc, addToC) }
    if rows > 9 { storeRow(c9_0, c9_1, c + 9 &* ldc, addToC) }
    if rows > 10 { storeRow(c10_0, c10_1, c + 10 &* ldc, addToC) }
    if rows > 11 { storeRow(c11_0, c11_1, c + 11 &* ldc, addToC) }
    if rows > 12 { storeRow(c12_0, c12_1, c + 12 &* ldc, addToC) }
    if rows > 13 { storeRow(c13_0, c13_1, c + 13 &* ldc, addToC) }
}

/// Micro-kernel on an A panel packed as depth × 16 (`packedAWidth`). Computes and writes `rows`
/// rounded up to even, so a short edge (m = 16 is 14 + 2) does not cost a full tile.
@inline(never)
func microKernelPackedA(
    rows: Int, depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, bDepthStride: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, addToC: Bool
) {
    switch rows {
    case ...2: microKernel(rows: 2, depth: depth, a: a, aRowStride: 1, aDepthStride: packedAWidth, b: b, bDepthStride: bDepthStride, c: c, ldc: ldc, addToC: addToC)
    case 3...4: microKernel(rows: 4, depth: depth, a: a, aRowStride: 1, aDepthStride: packedAWidth, b: b, bDepthStride: bDepthStride, c: c, ldc: ldc, addToC: addToC)
    case 5...6: microKernel(rows: 6, depth: depth, a: a, aRowStride: 1, aDepthStride: packedAWidth, b: b, bDepthStride: bDepthStride, c: c, ldc: ldc, addToC: addToC)
    case 7...8: microKernel(rows: 8, depth: depth, a: a, aRowStride: 1, aDepthStride: packedAWidth, b: b, bDepthStride: bDepthStride, c: c, ldc: ldc, addToC: addToC)
    default: microKernel(rows: microRows, depth: depth, a: a, aRowStride: 1, aDepthStride: packedAWidth, b: b, bDepthStride: bDepthStride, c: c, ldc: ldc, addToC: addToC)
    }
}

/// Micro-kernel reading A in place where its 14 rows are adjacent in memory (Aᵀ stored k×m).
@inline(never)
func microKernelAdjacentRowsA(
    depth: Int, a: UnsafePointer<Float>, aDepthStride: Int, b: UnsafePointer<Float>, bDepthStride: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, addToC: Bool
) {
    microKernel(rows: microRows, depth: depth, a: a, aRowStride: 1, aDepthStride: aDepthStride,
                b: b, bDepthStride: bDepthStride, c: c, ldc: ldc, addToC: addToC)
}

/// Micro-kernel reading A in place where each row is contiguous along the depth (A stored m×k).
@inline(never)
func microKernelContiguousRowsA(
    depth: Int, a: UnsafePointer<Float>, aRowStride: Int, b: UnsafePointer<Float>, bDepthStride: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, addToC: Bool
) {
    microKernel(rows: microRows, depth: depth, a: a, aRowStride: aRowStride, aDepthStride: 1,
                b: b, bDepthStride: bDepthStride, c: c, ldc: ldc, addToC: addToC)
}
