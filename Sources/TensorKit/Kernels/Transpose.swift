// In-register 16×16 transpose of Float32 blocks, for packing Bᵀ panels in GEMM. Four rounds of
// "unzip" (even lanes of a row pair, then odd lanes) rotate the 8-bit element index by 4 bits,
// which is the transpose; each unzip is one two-source permute (vpermt2ps on AVX-512). About six
// times faster than the scalar double loop in a probe. Written out so all 16 rows stay in registers.

/// dst[r·dstStride + c] = src[c·srcStride + r] for r, c in 0..<16.
@inline(__always)
func transpose16x16(_ src: UnsafePointer<Float>, srcStride: Int, _ dst: UnsafeMutablePointer<Float>, dstStride: Int) {
    var r0 = loadVector(src + 0 &* srcStride), r1 = loadVector(src + 1 &* srcStride)
    var r2 = loadVector(src + 2 &* srcStride), r3 = loadVector(src + 3 &* srcStride)
    var r4 = loadVector(src + 4 &* srcStride), r5 = loadVector(src + 5 &* srcStride)
    var r6 = loadVector(src + 6 &* srcStride), r7 = loadVector(src + 7 &* srcStride)
    var r8 = loadVector(src + 8 &* srcStride), r9 = loadVector(src + 9 &* srcStride)
    var r10 = loadVector(src + 10 &* srcStride), r11 = loadVector(src + 11 &* srcStride)
    var r12 = loadVector(src + 12 &* srcStride), r13 = loadVector(src + 13 &* srcStride)
    var r14 = loadVector(src + 14 &* srcStride), r15 = loadVector(src + 15 &* srcStride)
    for _ in 0..<4 {
        let e0 = SIMD16(lowHalf: r0.evenHalf, highHalf: r1.evenHalf)
        let o0 = SIMD16(lowHalf: r0.oddHalf, highHalf: r1.oddHalf)
        let e1 = SIMD16(lowHalf: r2.evenHalf, highHalf: r3.evenHalf)
        let o1 = SIMD16(lowHalf: r2.oddHalf, highHalf: r3.oddHalf)
        let e2 = SIMD16(lowHalf: r4.evenHalf, highHalf: r5.evenHalf)
        let o2 = SIMD16(lowHalf: r4.oddHalf, highHalf: r5.oddHalf)
        let e3 = SIMD16(lowHalf: r6.evenHalf, highHalf: r7.evenHalf)
        let o3 = SIMD16(lowHalf: r6.oddHalf, highHalf: r7.oddHalf)
        let e4 = SIMD16(lowHalf: r8.evenHalf, highHalf: r9.evenHalf)
        let o4 = SIMD16(lowHalf: r8.oddHalf, highHalf: r9.oddHalf)
        let e5 = SIMD16(lowHalf: r10.evenHalf, highHalf: r11.evenHalf)
        let o5 = SIMD16(lowHalf: r10.oddHalf, highHalf: r11.oddHalf)
        let e6 = SIMD16(lowHalf: r12.evenHalf, highHalf: r13.evenHalf)
        let o6 = SIMD16(lowHalf: r12.oddHalf, highHalf: r13.oddHalf)
        let e7 = SIMD16(lowHalf: r14.evenHalf, highHalf: r15.evenHalf)
        let o7 = SIMD16(lowHalf: r14.oddHalf, highHalf: r15.oddHalf)
        r0 = e0; r1 = e1; r2 = e2; r3 = e3
        r4 = e4; r5 = e5; r6 = e6; r7 = e7
        r8 = o0; r9 = o1; r10 = o2; r11 = o3
        r12 = o4; r13 = o5; r14 = o6; r15 = o7
    }
    storeVector(r0, dst + 0 &* dstStride); storeVector(r1, dst + 1 &* dstStride)
    storeVector(r2, dst + 2 &* dstStride); storeVector(r3, dst + 3 &* dstStride)
    storeVector(r4, dst + 4 &* dstStride); storeVector(r5, dst + 5 &* dstStride)
    storeVector(r6, dst + 6 &* dstStride); storeVector(r7, dst + 7 &* dstStride)
    storeVector(r8, dst + 8 &* dstStride); storeVector(r9, dst + 9 &* dstStride)
    storeVector(r10, dst + 10 &* dstStride); storeVector(r11, dst + 11 &* dstStride)
    storeVector(r12, dst + 12 &* dstStride); storeVector(r13, dst + 13 &* dstStride)
    storeVector(r14, dst + 14 &* dstStride); storeVector(r15, dst + 15 &* dstStride)
}
