// Matrix products on raw Float32 buffers, row-major and contiguous, in the three forms training
// needs: A·B, Aᵀ·B and A·Bᵀ. C is cut into 14×32 micro-tiles computed by the register-tiled
// micro-kernel (GEMMMicroKernel.swift); A and B are read in place where their layout allows and
// packed (zero-padded) only for Bᵀ and the edge tiles. Parallel over blocks of C only, and every
// tile sums over k in the same blocks and order, so the bits never depend on the thread count.

/// Depth (k) handled per pass over a tile: a 256×32 slice of a B panel is 32 KiB and stays in L1.
let depthBlock = 256

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
    let plan = GEMMPlan(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, accumulate: accumulate)
    ScratchBuffers.with(count: plan.packedColumnPanels * microColumns * k) { packed in
        let pa = SendableConstPointer(a), pb = SendableConstPointer(b), pc = SendablePointer(c)
        let pp = SendablePointer(packed)
        if transposeB {
            Parallel.forEach(chunks: plan.columnPanels) { panel in
                plan.packTransposedB(panel: panel, b: pb.base, into: pp.base + panel * microColumns * k)
            }
        } else if plan.packedColumnPanels == 1 {
            plan.packEdgeB(b: b, into: packed)
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
    /// B panels held in scratch: all of them for Bᵀ, else only a ragged last one.
    let packedColumnPanels: Int
    let rowPanelsPerChunk: Int, columnPanelsPerChunk: Int
    let rowChunks: Int, columnChunks: Int

    var chunkCount: Int { rowChunks * columnChunks }

    init(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, accumulate: Bool) {
        self.m = m; self.n = n; self.k = k
        self.transposeA = transposeA; self.transposeB = transposeB; self.accumulate = accumulate
        rowPanels = (m + microRows - 1) / microRows
        columnPanels = (n + microColumns - 1) / microColumns
        fullColumnPanels = n / microColumns
        packedColumnPanels = transposeB ? columnPanels : columnPanels - fullColumnPanels
        // Tiny products run as one chunk; otherwise aim for at least ~16 chunks so a few threads
        // balance, splitting columns too when there are few row panels.
        let tiny = m * n * k < 65_536
        rowPanelsPerChunk = tiny ? rowPanels : max(1, rowPanels / 16)
        rowChunks = (rowPanels + rowPanelsPerChunk - 1) / rowPanelsPerChunk
        let wantedColumnChunks = tiny || rowChunks >= 16 ? 1 : min(columnPanels, (16 + rowChunks - 1) / rowChunks)
        columnPanelsPerChunk = (columnPanels + wantedColumnChunks - 1) / wantedColumnChunks
        columnChunks = (columnPanels + columnPanelsPerChunk - 1) / columnPanelsPerChunk
    }

    /// Packs panel `panel` of B (stored n×k) as k×32, zero-padding missing columns: whole 16×16
    /// blocks by register transpose, the ragged rest element by element.
    func packTransposedB(panel: Int, b: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>) {
        let column0 = panel * microColumns
        let wholeGroups = min(2, max(0, (n - column0) / 16)), wholeDepth = k & ~15
        for group in 0..<wholeGroups {
            let source = b + (column0 + group * 16) * k
            for p0 in stride(from: 0, to: wholeDepth, by: 16) {
                transpose16x16(source + p0, srcStride: k, destination + p0 * microColumns + group * 16, dstStride: microColumns)
            }
        }
        for column in 0..<microColumns {
            let start = column < wholeGroups * 16 ? wholeDepth : 0
            if column0 + column < n {
                let source = b + (column0 + column) * k
                for p in start..<k { destination[p * microColumns + column] = source[p] }
            } else {
                for p in 0..<k { destination[p * microColumns + column] = 0 }
            }
        }
    }

    /// Packs the ragged last panel of B (stored k×n) as k×32, zero-padded.
    func packEdgeB(b: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>) {
        let column0 = fullColumnPanels * microColumns, width = n - column0
        for p in 0..<k {
            let row = destination + p * microColumns
            row.update(from: b + p * n + column0, count: width)
            (row + width).update(repeating: 0, count: microColumns - width)
        }
    }

    /// Panel `panel` of B from depth `p0` on, and the distance between its rows.
    func bPanel(_ panel: Int, from p0: Int, b: UnsafePointer<Float>, packed: UnsafePointer<Float>) -> (UnsafePointer<Float>, Int) {
        if transposeB { return (packed + panel * microColumns * k + p0 * microColumns, microColumns) }
        if panel < fullColumnPanels { return (b + p0 * n + panel * microColumns, n) }
        return (packed + p0 * microColumns, microColumns)
    }

    /// Packs rows row0..<m (fewer than 14) of A at depths p0..<p0+depth as depth×14, zero-padded.
    func packEdgeRows(row0: Int, p0: Int, depth: Int, a: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>) {
        let rows = m - row0
        destination.update(repeating: 0, count: depth * microRows)
        for row in 0..<rows {
            for p in 0..<depth {
                destination[p * microRows + row] = transposeA ? a[(p0 + p) * m + row0 + row] : a[(row0 + row) * k + p0 + p]
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
        let edgeRowPanel = m % microRows == 0 ? -1 : rowPanels - 1
        let holdsEdgeRows = rowPanelEnd - 1 == edgeRowPanel
        withUnsafeTemporaryAllocation(of: Float.self, capacity: microRows * depthBlock + microRows * microColumns) { scratch in
            let edgeA = scratch.baseAddress!, tile = edgeA + microRows * depthBlock
            var p0 = 0
            while p0 < k {
                let depth = min(depthBlock, k - p0)
                let addToC = accumulate || p0 > 0
                if holdsEdgeRows { packEdgeRows(row0: edgeRowPanel * microRows, p0: p0, depth: depth, a: a, into: edgeA) }
                for panel in firstColumnPanel..<columnPanelEnd {
                    let column0 = panel * microColumns, columns = min(microColumns, n - column0)
                    let (bp, bStride) = bPanel(panel, from: p0, b: b, packed: packedB)
                    for rowPanel in firstRowPanel..<rowPanelEnd {
                        let row0 = rowPanel * microRows, rows = min(microRows, m - row0)
                        let full = rows == microRows && columns == microColumns
                        let target = full ? c + row0 * n + column0 : tile
                        let ldc = full ? n : microColumns
                        if rows < microRows {
                            microKernelPackedA(rows: rows, depth: depth, a: edgeA, b: bp, bDepthStride: bStride,
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
