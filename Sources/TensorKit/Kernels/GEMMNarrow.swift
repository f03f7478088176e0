// Products whose C is exactly 16 columns wide (the attention generator's token projections and
// their gradients): one `SIMD16` accumulator per row of C, 28 rows at a time, instead of 32-wide
// tiles that would waste half their lanes and go through a scratch tile. Each element of C is summed
// over the same depth blocks, in the same order, with the same fused multiply-adds as in the general
// kernel (GEMM.swift), so the two give identical bits.

/// Rows of C per narrow tile (28 accumulators of the 32 AVX-512 registers).
let narrowRows = 28

/// C (m×16) = op(A) · op(B), or C += when `accumulate`; arguments as `gemm` with n = 16 and k > 0.
func gemmNarrow(
    m: Int, k: Int, a: UnsafePointer<Float>, transposeA: Bool, b: UnsafePointer<Float>, transposeB: Bool,
    c: UnsafeMutablePointer<Float>, accumulate: Bool
) {
    // A(i, p) = a[i·aRowStride + p·aDepthStride]; B(p, 0..<16) is one 16-float row.
    let aRowStride = transposeA ? 1 : k, aDepthStride = transposeA ? m : 1
    let tiles = (m + narrowRows - 1) / narrowRows
    let tilesPerChunk = m * 16 * k < 65_536 ? tiles : max(1, tiles / 16)
    let chunks = (tiles + tilesPerChunk - 1) / tilesPerChunk
    ScratchBuffers.with(count: transposeB ? k * 16 : 0) { packed in
        if transposeB {  // B stored 16×k: pack it as k×16
            let whole = k & ~15
            for p0 in stride(from: 0, to: whole, by: 16) { transpose16x16(b + p0, srcStride: k, packed + p0 * 16, dstStride: 16) }
            for p in whole..<k {
                for j in 0..<16 { packed[p * 16 + j] = b[j * k + p] }
            }
        }
        let pa = SendableConstPointer(a), pb = SendableConstPointer(transposeB ? UnsafePointer(packed) : b), pc = SendablePointer(c)
        Parallel.forEach(chunks: chunks) { chunk in
            for tile in (chunk * tilesPerChunk)..<min(tiles, (chunk + 1) * tilesPerChunk) {
                var row = tile * narrowRows
                let end = min(m, row + narrowRows)
                while row < end {
                    let rows = end - row
                    var p0 = 0
                    while p0 < k {
                        let depth = min(depthBlock, k - p0)
                        narrowKernel(rows: rows, depth: depth, a: pa.base + row * aRowStride + p0 * aDepthStride, aRowStride: aRowStride,
                                     aDepthStride: aDepthStride, b: pb.base + p0 * 16, c: pc.base + row * 16, addToC: accumulate || p0 > 0)
                        p0 += depth
                    }
                    row += narrowRowsHandled(rows)
                }
            }
        }
    }
}

/// Rows a call of `narrowKernel` with `rows` remaining rows computes: 28, or the largest of 16, 8, 4, 2, 1 that fits.
@inline(__always)
private func narrowRowsHandled(_ rows: Int) -> Int {
    rows >= narrowRows ? narrowRows : rows >= 16 ? 16 : rows >= 8 ? 8 : rows >= 4 ? 4 : rows >= 2 ? 2 : 1
}

/// One narrow tile of `narrowRowsHandled(rows)` rows; each size is its own specialisation.
@inline(never)
private func narrowKernel(
    rows: Int, depth: Int, a: UnsafePointer<Float>, aRowStride: Int, aDepthStride: Int, b: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, addToC: Bool
) {
    switch narrowRowsHandled(rows) {
    case narrowRows: narrowTile(rows: narrowRows, depth: depth, a: a, aRowStride: aRowStride, aDepthStride: aDepthStride, b: b, c: c, addToC: addToC)
    case 16: narrowTile(rows: 16, depth: depth, a: a, aRowStride: aRowStride, aDepthStride: aDepthStride, b: b, c: c, addToC: addToC)
    case 8: narrowTile(rows: 8, depth: depth, a: a, aRowStride: aRowStride, aDepthStride: aDepthStride, b: b, c: c, addToC: addToC)
    case 4: narrowTile(rows: 4, depth: depth, a: a, aRowStride: aRowStride, aDepthStride: aDepthStride, b: b, c: c, addToC: addToC)
    case 2: narrowTile(rows: 2, depth: depth, a: a, aRowStride: aRowStride, aDepthStride: aDepthStride, b: b, c: c, addToC: addToC)
    default: narrowTile(rows: 1, depth: depth, a: a, aRowStride: aRowStride, aDepthStride: aDepthStride, b: b, c: c, addToC: addToC)
    }
}

@inline(__always)
private func storeNarrowRow(_ v: SIMD16<Float>, _ c: UnsafeMutablePointer<Float>, _ addToC: Bool) {
    storeVector(addToC ? loadVector(c) + v : v, c)
}

/// C[0..<rows, 0..<16] (=|+=) Σ_{p<depth} A(i, p) · B(p, ·), B rows 16 floats apart. `rows` (≤ 28)
/// must be a constant after inlining, so the unused accumulators vanish.
@inline(__always)
private func narrowTile(
    rows: Int, depth: Int, a: UnsafePointer<Float>, aRowStride: Int, aDepthStride: Int, b: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, addToC: Bool
) {
    let z = SIMD16<Float>()
    var c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z
    var c7 = z, c8 = z, c9 = z, c10 = z, c11 = z, c12 = z, c13 = z
    var c14 = z, c15 = z, c16 = z, c17 = z, c18 = z, c19 = z, c20 = z
    var c21 = z, c22 = z, c23 = z, c24 = z, c25 = z, c26 = z, c27 = z
    var a = a, b = b
    for _ in 0..<depth {
        let bp = loadVector(b)
        do { c0 = c0.addingProduct(SIMD16(repeating: a[0 &* aRowStride]), bp) }
        if rows > 1 { c1 = c1.addingProduct(SIMD16(repeating: a[1 &* aRowStride]), bp) }
        if rows > 2 { c2 = c2.addingProduct(SIMD16(repeating: a[2 &* aRowStride]), bp) }
        if rows > 3 { c3 = c3.addingProduct(SIMD16(repeating: a[3 &* aRowStride]), bp) }
        if rows > 4 { c4 = c4.addingProduct(SIMD16(repeating: a[4 &* aRowStride]), bp) }
        if rows > 5 { c5 = c5.addingProduct(SIMD16(repeating: a[5 &* aRowStride]), bp) }
        if rows > 6 { c6 = c6.addingProduct(SIMD16(repeating: a[6 &* aRowStride]), bp) }
        if rows > 7 { c7 = c7.addingProduct(SIMD16(repeating: a[7 &* aRowStride]), bp) }
        if rows > 8 { c8 = c8.addingProduct(SIMD16(repeating: a[8 &* aRowStride]), bp) }
        if rows > 9 { c9 = c9.addingProduct(SIMD16(repeating: a[9 &* aRowStride]), bp) }
        if rows > 10 { c10 = c10.addingProduct(SIMD16(repeating: a[10 &* aRowStride]), bp) }
        if rows > 11 { c11 = c11.addingProduct(SIMD16(repeating: a[11 &* aRowStride]), bp) }
        if rows > 12 { c12 = c12.addingProduct(SIMD16(repeating: a[12 &* aRowStride]), bp) }
        if rows > 13 { c13 = c13.addingProduct(SIMD16(repeating: a[13 &* aRowStride]), bp) }
        if rows > 14 { c14 = c14.addingProduct(SIMD16(repeating: a[14 &* aRowStride]), bp) }
        if rows > 15 { c15 = c15.addingProduct(SIMD16(repeating: a[15 &* aRowStride]), bp) }
        if rows > 16 { c16 = c16.addingProduct(SIMD16(repeating: a[16 &* aRowStride]), bp) }
        if rows > 17 { c17 = c17.addingProduct(SIMD16(repeating: a[17 &* aRowStride]), bp) }
        if rows > 18 { c18 = c18.addingProduct(SIMD16(repeating: a[18 &* aRowStride]), bp) }
        if rows > 19 { c19 = c19.addingProduct(SIMD16(repeating: a[19 &* aRowStride]), bp) }
        if rows > 20 { c20 = c20.addingProduct(SIMD16(repeating: a[20 &* aRowStride]), bp) }
        if rows > 21 { c21 = c21.addingProduct(SIMD16(repeating: a[21 &* aRowStride]), bp) }
        if rows > 22 { c22 = c22.addingProduct(SIMD16(repeating: a[22 &* aRowStride]), bp) }
        if rows > 23 { c23 = c23.addingProduct(SIMD16(repeating: a[23 &* aRowStride]), bp) }
        if rows > 24 { c24 = c24.addingProduct(SIMD16(repeating: a[24 &* aRowStride]), bp) }
        if rows > 25 { c25 = c25.addingProduct(SIMD16(repeating: a[25 &* aRowStride]), bp) }
        if rows > 26 { c26 = c26.addingProduct(SIMD16(repeating: a[26 &* aRowStride]), bp) }
        if rows > 27 { c27 = c27.addingProduct(SIMD16(repeating: a[27 &* aRowStride]), bp) }
        a += aDepthStride
        b += 16
    }
    do { storeNarrowRow(c0, c + 0 &* 16, addToC) }
    if rows > 1 { storeNarrowRow(c1, c + 1 &* 16, addToC) }
    if rows > 2 { storeNarrowRow(c2, c + 2 &* 16, addToC) }
    if rows > 3 { storeNarrowRow(c3, c + 3 &* 16, addToC) }
    if rows > 4 { storeNarrowRow(c4, c + 4 &* 16, addToC) }
    if rows > 5 { storeNarrowRow(c5, c + 5 &* 16, addToC) }
    if rows > 6 { storeNarrowRow(c6, c + 6 &* 16, addToC) }
    if rows > 7 { storeNarrowRow(c7, c + 7 &* 16, addToC) }
    if rows > 8 { storeNarrowRow(c8, c + 8 &* 16, addToC) }
    if rows > 9 { storeNarrowRow(c9, c + 9 &* 16, addToC) }
    if rows > 10 { storeNarrowRow(c10, c + 10 &* 16, addToC) }
    if rows > 11 { storeNarrowRow(c11, c + 11 &* 16, addToC) }
    if rows > 12 { storeNarrowRow(c12, c + 12 &* 16, addToC) }
    if rows > 13 { storeNarrowRow(c13, c + 13 &* 16, addToC) }
    if rows > 14 { storeNarrowRow(c14, c + 14 &* 16, addToC) }
    if rows > 15 { storeNarrowRow(c15, c + 15 &* 16, addToC) }
    if rows > 16 { storeNarrowRow(c16, c + 16 &* 16, addToC) }
    if rows > 17 { storeNarrowRow(c17, c + 17 &* 16, addToC) }
    if rows > 18 { storeNarrowRow(c18, c + 18 &* 16, addToC) }
    if rows > 19 { storeNarrowRow(c19, c + 19 &* 16, addToC) }
    if rows > 20 { storeNarrowRow(c20, c + 20 &* 16, addToC) }
    if rows > 21 { storeNarrowRow(c21, c + 21 &* 16, addToC) }
    if rows > 22 { storeNarrowRow(c22, c + 22 &* 16, addToC) }
    if rows > 23 { storeNarrowRow(c23, c + 23 &* 16, addToC) }
    if rows > 24 { storeNarrowRow(c24, c + 24 &* 16, addToC) }
    if rows > 25 { storeNarrowRow(c25, c + 25 &* 16, addToC) }
    if rows > 26 { storeNarrowRow(c26, c + 26 &* 16, addToC) }
    if rows > 27 { storeNarrowRow(c27, c + 27 &* 16, addToC) }
}
