// Matrix products on raw Float32 buffers, row-major and contiguous, in the three forms training
// needs: A·B, Aᵀ·B and A·Bᵀ. A C one column wide or a depth of one goes to GEMMVector.swift, a C
// exactly 16 wide to the narrow kernel (GEMMNarrow.swift). Otherwise C is cut into 14×32
// micro-tiles computed by the register-tiled micro-kernel (GEMMMicroKernel.swift). A and B are
// read in place where their layout allows and packed for Bᵀ, for ragged edges, and where long rows
// (k or n ≥ 512) would make in-place rows collide in the caches. Parallel over blocks of C only,
// and every tile sums over k in the same blocks and order, so the bits never depend on the
// thread count.

/// Depth (k) handled per pass over a tile: a 256×32 slice of a B panel is 32 KiB and stays in L1.
let depthBlock = 256
/// Floats per depth step in a packed A panel: 14 rows padded to 16, so whole 16×16 blocks of A
/// can be packed by register transpose.
let packedAWidth = 16
/// Row length from which A (k) or B (n) is packed instead of read in place.
let packingStride = 512

/// C (m×n) = op(A) · op(B), or C += op(A) · op(B) when `accumulate` is true.
///
/// For k = 0 the product is the zero matrix: C is zeroed, or left unchanged when accumulating.
/// - Parameters:
///   - a: A stored as m×k, or as k×m when `transposeA`.
///   - b: B stored as k×n, or as n×k when `transposeB`.
///   - c: the m×n result; must not overlap `a` or `b`.
public func gemm(
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, transposeA: Bool,
    b: UnsafePointer<Float>, transposeB: Bool,
    c: UnsafeMutablePointer<Float>, accumulate: Bool
) {
    precondition(m >= 0 && n >= 0 && k >= 0, "gemm: sizes must be non-negative, got m=\(m) n=\(n) k=\(k)")
    if m == 0 || n == 0 { return }
    if k == 0 {
        if !accumulate { c.update(repeating: 0, count: m * n) }
        return
    }
    if n == 1 {
        gemmMatrixVector(m: m, k: k, a: a, transposeA: transposeA, b: b, c: c, accumulate: accumulate)
        return
    }
    if k == 1 {
        gemmOuterProduct(m: m, n: n, a: a, b: b, c: c, accumulate: accumulate)
        return
    }
    if n == 16 {
        gemmNarrow(m: m, k: k, a: a, transposeA: transposeA, b: b, transposeB: transposeB, c: c, accumulate: accumulate)
        return
    }
    let plan = GEMMPlan(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, accumulate: accumulate)
    ScratchBuffers.with(count: plan.packedBCount) { packed in
        let pa = SendableConstPointer(a), pb = SendableConstPointer(b), pc = SendablePointer(c)
        let pp = SendablePointer(packed)
        if plan.packsAllOfB {
            Parallel.forEach(chunks: plan.columnPanels) { panel in
                plan.packB(panel: panel, from: 0, b: pb.base, into: pp.base + panel * microColumns * k)
            }
        } else if plan.packedBCount > 0 {
            plan.packB(panel: plan.fullColumnPanels, from: plan.raggedPackedFrom, b: b, into: packed)
        }
        Parallel.forEach(chunks: plan.chunkCount) { chunk in
            plan.compute(chunk: chunk, a: pa.base, b: pb.base, packedB: UnsafePointer(pp.base), c: pc.base)
        }
    }
}

/// How one product is cut up: micro-panels of 14 rows and 32 columns, grouped into chunks. Every
/// number here depends on the problem only, never on the thread count.
struct GEMMPlan: Sendable {
    let m: Int, n: Int, k: Int
    let transposeA: Bool, transposeB: Bool, accumulate: Bool
    let rowPanels: Int, columnPanels: Int, fullColumnPanels: Int
    /// Whether every B panel is packed (Bᵀ, or long B rows), else only a ragged last one.
    let packsAllOfB: Bool
    /// Whether every A panel is packed per depth block (long A rows), else only ragged last rows.
    let packsAllOfA: Bool
    /// First depth from which the ragged last B panel is packed. Above it the panel is read in
    /// place: its 32-wide rows run on into the next row of B, which lands in tile columns that are
    /// never written back, and no read passes the end of B.
    let raggedPackedFrom: Int
    /// Floats of packed B in scratch.
    let packedBCount: Int
    let rowPanelsPerChunk: Int, columnPanelsPerChunk: Int
    let rowChunks: Int, columnChunks: Int

    var chunkCount: Int { rowChunks * columnChunks }

    init(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, accumulate: Bool) {
        self.m = m; self.n = n; self.k = k
        self.transposeA = transposeA; self.transposeB = transposeB; self.accumulate = accumulate
        rowPanels = (m + microRows - 1) / microRows
        columnPanels = (n + microColumns - 1) / microColumns
        fullColumnPanels = n / microColumns
        packsAllOfB = transposeB || n >= packingStride
        packsAllOfA = !transposeA && k >= packingStride
        if packsAllOfB || n % microColumns == 0 {
            raggedPackedFrom = 0
            packedBCount = packsAllOfB ? columnPanels * microColumns * k : 0
        } else {
            let lastFullRead = k * n - fullColumnPanels * microColumns - microColumns
            let lastSafeRow = lastFullRead >= 0 ? lastFullRead / n : -1
            raggedPackedFrom = (lastSafeRow + 1) / depthBlock * depthBlock
            packedBCount = (k - raggedPackedFrom) * microColumns
        }
        // Chunks: tiny products run as one. With many row panels, split rows only, aiming at ~16
        // chunks so a few threads balance (at most 8 panels each, so a chunk's packed A stays in
        // L2). With few, split columns first; for a long depth (weight gradients such as
        // 16×15000 · 15000×48) split nothing more, so each slice of A and B is streamed from
        // memory by one chunk only (7–17 % faster on one thread there than also splitting rows).
        let tiny = m * n * k < 65_536
        let wantedRowChunks: Int, wantedColumnChunks: Int
        if tiny {
            (wantedRowChunks, wantedColumnChunks) = (1, 1)
        } else if rowPanels >= 16 {
            let panelsPerChunk = min(8, rowPanels / 16)
            (wantedRowChunks, wantedColumnChunks) = ((rowPanels + panelsPerChunk - 1) / panelsPerChunk, 1)
        } else {
            wantedColumnChunks = min(columnPanels, 16)
            let longDepth = k >= 2048 && wantedColumnChunks > 1
            wantedRowChunks = longDepth ? 1 : min(rowPanels, (16 + wantedColumnChunks - 1) / wantedColumnChunks)
        }
        rowPanelsPerChunk = (rowPanels + wantedRowChunks - 1) / wantedRowChunks
        rowChunks = (rowPanels + rowPanelsPerChunk - 1) / rowPanelsPerChunk
        columnPanelsPerChunk = (columnPanels + wantedColumnChunks - 1) / wantedColumnChunks
        columnChunks = (columnPanels + columnPanelsPerChunk - 1) / columnPanelsPerChunk
    }

    /// Packs depths first..<k of panel `panel` of B as (k − first)×32, zero-padding missing
    /// columns. Bᵀ (stored n×k, always from 0) goes by 16×16 register transposes, its ragged rest
    /// element by element; B (stored k×n) row by row.
    func packB(panel: Int, from first: Int, b: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>) {
        let column0 = panel * microColumns
        guard transposeB else {
            let width = min(microColumns, n - column0), zero = SIMD16<Float>()
            for p in first..<k {
                let row = destination + (p - first) * microColumns, source = b + p * n + column0
                if width == microColumns {
                    storeVector(loadVector(source), row)
                    storeVector(loadVector(source + 16), row + 16)
                } else if width >= 16 {
                    // Two overlapping vectors cover columns 0..<width without reading past them.
                    storeVector(zero, row + 16)
                    storeVector(loadVector(source), row)
                    storeVector(loadVector(source + width - 16), row + width - 16)
                } else {
                    storeVector(zero, row)
                    storeVector(zero, row + 16)
                    for column in 0..<width { row[column] = source[column] }
                }
            }
            return
        }
        let wholeGroups = min(2, max(0, (n - column0) / 16)), wholeDepth = k & ~15
        for group in 0..<wholeGroups {
            let source = b + (column0 + group * 16) * k
            for p0 in stride(from: 0, to: wholeDepth, by: 16) {
                transpose16x16(source + p0, srcStride: k, destination + p0 * microColumns + group * 16, dstStride: microColumns)
            }
        }
        let presentColumns = min(microColumns, n - column0)
        if presentColumns <= 16 {  // the high half of the panel is padding
            for p in 0..<k { storeVector(SIMD16(), destination + p * microColumns + 16) }
        }
        for column in (wholeGroups * 16)..<min(presentColumns, (wholeGroups + 1) * 16) {
            // The group holding the last columns: present ones by element, the rest zero.
            let source = b + (column0 + column) * k
            for p in 0..<k { destination[p * microColumns + column] = source[p] }
        }
        for column in presentColumns..<((presentColumns + 15) / 16 * 16) {
            for p in 0..<k { destination[p * microColumns + column] = 0 }
        }
        if wholeDepth < k {
            for column in 0..<(wholeGroups * 16) {
                let source = b + (column0 + column) * k
                for p in wholeDepth..<k { destination[p * microColumns + column] = source[p] }
            }
        }
    }

    /// Panel `panel` of B from depth `p0` on, and the distance between its rows.
    func bPanel(_ panel: Int, from p0: Int, b: UnsafePointer<Float>, packed: UnsafePointer<Float>) -> (UnsafePointer<Float>, Int) {
        if packsAllOfB { return (packed + panel * microColumns * k + p0 * microColumns, microColumns) }
        if panel < fullColumnPanels || p0 < raggedPackedFrom { return (b + p0 * n + panel * microColumns, n) }
        return (packed + (p0 - raggedPackedFrom) * microColumns, microColumns)
    }

    /// Packs rows row0..<row0+rows (≤ 14) of A at depths p0..<p0+depth as depth×16: whole 16×16
    /// blocks by register transpose (lanes 14, 15 then hold the next rows, never read back); for Aᵀ
    /// one 16-wide copy per depth while it stays inside A (lanes past `rows` hold neighbours, whose
    /// tile rows are never written back); the rest element by element with missing rows zeroed.
    func packA(row0: Int, rows: Int, p0: Int, depth: Int, a: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>) {
        var packedDepth = 0
        if !transposeA, rows == microRows, row0 + 16 <= m {
            packedDepth = depth & ~15
            for q in stride(from: 0, to: packedDepth, by: 16) {
                transpose16x16(a + row0 * k + p0 + q, srcStride: k, destination + q * packedAWidth, dstStride: packedAWidth)
            }
        }
        for p in packedDepth..<depth {
            let target = destination + p &* packedAWidth
            if transposeA {
                let start = (p0 + p) &* m &+ row0
                if start &+ 16 <= m &* k {
                    storeVector(loadVector(a + start), target)
                } else {
                    storeVector(SIMD16(), target)
                    for row in 0..<rows { target[row] = a[start &+ row] }
                }
            } else {
                storeVector(SIMD16(), target)
                for row in 0..<rows { target[row] = a[(row0 &+ row) &* k &+ p0 &+ p] }
            }
        }
    }

    /// Computes every tile of chunk `chunk`: its row panels × its column panels, over all of k.
    func compute(chunk: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, packedB: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) {
        let rowChunk = chunk / columnChunks, columnChunk = chunk % columnChunks
        let firstRowPanel = rowChunk * rowPanelsPerChunk
        let rowPanelEnd = min(rowPanels, firstRowPanel + rowPanelsPerChunk)
        let firstColumnPanel = columnChunk * columnPanelsPerChunk
        let columnPanelEnd = min(columnPanels, firstColumnPanel + columnPanelsPerChunk)
        let holdsEdgeRows = rowPanelEnd == rowPanels && m % microRows != 0
        // Packed A panels: all of the chunk's, or just its ragged last one.
        let packedPanels = packsAllOfA ? rowPanelEnd - firstRowPanel : (holdsEdgeRows ? 1 : 0)
        let panelSize = packedAWidth * depthBlock
        ScratchBuffers.with(count: microRows * microColumns + packedPanels * panelSize) { scratch in
            let tile = scratch, packedA = scratch + microRows * microColumns
            var p0 = 0
            while p0 < k {
                let depth = min(depthBlock, k - p0)
                let addToC = accumulate || p0 > 0
                if packsAllOfA {
                    for rowPanel in firstRowPanel..<rowPanelEnd {
                        let row0 = rowPanel * microRows
                        packA(row0: row0, rows: min(microRows, m - row0), p0: p0, depth: depth, a: a,
                              into: packedA + (rowPanel - firstRowPanel) * panelSize)
                    }
                } else if holdsEdgeRows {
                    let row0 = (rowPanels - 1) * microRows
                    packA(row0: row0, rows: m - row0, p0: p0, depth: depth, a: a, into: packedA)
                }
                for panel in firstColumnPanel..<columnPanelEnd {
                    let column0 = panel * microColumns, columns = min(microColumns, n - column0)
                    let (bp, bStride) = bPanel(panel, from: p0, b: b, packed: packedB)
                    for rowPanel in firstRowPanel..<rowPanelEnd {
                        let row0 = rowPanel * microRows, rows = min(microRows, m - row0)
                        let full = rows == microRows && columns == microColumns
                        let target = full ? c + row0 * n + column0 : tile
                        let ldc = full ? n : microColumns
                        if packsAllOfA || rows < microRows {
                            let panelA = packedA + (packsAllOfA ? (rowPanel - firstRowPanel) * panelSize : 0)
                            microKernelPackedA(rows: rows, depth: depth, a: panelA, b: bp, bDepthStride: bStride,
                                               c: target, ldc: ldc, addToC: full && addToC)
                        } else if transposeA {
                            microKernelAdjacentRowsA(depth: depth, a: a + p0 * m + row0, aDepthStride: m,
                                                     b: bp, bDepthStride: bStride, c: target, ldc: ldc, addToC: full && addToC)
                        } else {
                            microKernelContiguousRowsA(depth: depth, a: a + row0 * k + p0, aRowStride: k,
                                                       b: bp, bDepthStride: bStride, c: target, ldc: ldc, addToC: full && addToC)
                        }
                        if !full {
                            mergeTile(tile, into: c + row0 * n + column0, rows: rows, columns: columns, addToC: addToC)
                        }
                    }
                }
                p0 += depth
            }
        }
    }

    /// Copies the valid rows × columns of a 14×32 tile into C (`=` or `+=`), as the kernel would.
    private func mergeTile(_ tile: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>, rows: Int, columns: Int, addToC: Bool) {
        for row in 0..<rows {
            let source = tile + row * microColumns, destination = c + row * n
            if addToC {
                for column in 0..<columns { destination[column] = destination[column] + source[column] }
            } else {
                destination.update(from: source, count: columns)
            }
        }
    }
}
