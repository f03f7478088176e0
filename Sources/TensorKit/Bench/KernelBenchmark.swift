// The kernel benchmark behind `tabcorr bench kernels`: GFLOP/s of the three GEMM forms on the
// model's shapes and ns per element of the elementwise kernels, at given thread counts. Timing is
// the best of 15 repetitions after a warm-up, each repetition ≥ 2 ms: long enough to swamp clock
// resolution, short enough that on a shared machine some repetitions run undisturbed. It
// measures; it asserts nothing (wall time never decides a test).

import Foundation

/// One benchmark measurement. GEMM rows fill `m`, `k`, `n`, `threads`, `gflops`; elementwise rows
/// fill `shape`, `threads`, `nsPerElement` (JSON `ns_per_element`).
public struct KernelBenchmarkRow: Codable, Sendable, Equatable {
    /// "A·B", "Aᵀ·B", "A·Bᵀ", or an elementwise kernel's name.
    public var op: String
    public var m: Int?
    public var k: Int?
    public var n: Int?
    public var threads: Int?
    public var gflops: Double?
    /// "rows×columns" of an elementwise input.
    public var shape: String?
    public var nsPerElement: Double?

    enum CodingKeys: String, CodingKey {
        case op, m, k, n, threads, gflops, shape
        case nsPerElement = "ns_per_element"
    }
}

public enum KernelBenchmark {
    /// GEMM shapes (m, k, n): the model's 500-row products, a large square one, and a per-column
    /// weight gradient with a long depth (16×15000 · 15000×48).
    public static let gemmShapes = [(500, 128, 256), (500, 256, 256), (500, 256, 30), (1024, 1024, 1024), (16, 15000, 48)]
    /// The elementwise input: 500 rows × 256 columns.
    public static let elementwiseShape = (rows: 500, columns: 256)

    /// Measures every GEMM form and shape, then the elementwise kernels, at each thread count.
    /// `Parallel.threadCount` is restored afterwards.
    public static func run(threadCounts: [Int]) -> [KernelBenchmarkRow] {
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        var rows: [KernelBenchmarkRow] = []
        for threads in threadCounts {
            Parallel.threadCount = threads
            for (m, k, n) in gemmShapes {
                for (op, transposeA, transposeB) in [("A·B", false, false), ("Aᵀ·B", true, false), ("A·Bᵀ", false, true)] {
                    let seconds = timeGEMM(m: m, k: k, n: n, transposeA: transposeA, transposeB: transposeB)
                    let gflops = 2 * Double(m * n * k) / seconds / 1e9
                    rows.append(KernelBenchmarkRow(op: op, m: m, k: k, n: n, threads: threads, gflops: rounded(gflops)))
                }
            }
        }
        for threads in threadCounts {
            Parallel.threadCount = threads
            rows += timeElementwise(threads: threads)
        }
        return rows
    }

    /// A fixed-width text table: one section for GEMM, one for elementwise kernels.
    public static func renderTable(_ rows: [KernelBenchmarkRow]) -> String {
        func pad(_ text: String, _ width: Int, right: Bool = true) -> String {
            let fill = String(repeating: " ", count: max(0, width - text.count))
            return right ? fill + text : text + fill
        }
        var lines = [pad("op", 6, right: false) + pad("m", 6) + pad("k", 6) + pad("n", 6) + pad("threads", 9) + pad("GFLOP/s", 10)]
        for row in rows where row.gflops != nil {
            lines.append(pad(row.op, 6, right: false) + pad("\(row.m ?? 0)", 6) + pad("\(row.k ?? 0)", 6) + pad("\(row.n ?? 0)", 6)
                         + pad("\(row.threads ?? 0)", 9) + pad(String(format: "%.1f", row.gflops ?? 0), 10))
        }
        let elementwise = rows.filter { $0.nsPerElement != nil }
        if !elementwise.isEmpty {
            lines.append("")
            lines.append(pad("op", 24, right: false) + pad("shape", 9) + pad("threads", 9) + pad("ns/element", 12))
            for row in elementwise {
                lines.append(pad(row.op, 24, right: false) + pad(row.shape ?? "", 9) + pad("\(row.threads ?? 0)", 9)
                             + pad(String(format: "%.3f", row.nsPerElement ?? 0), 12))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The rows as a JSON list (keys sorted, UTF-8, unescaped "·" and "ᵀ").
    public static func renderJSON(_ rows: [KernelBenchmarkRow]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain value types cannot fail.
        let data = try! encoder.encode(rows)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func rounded(_ value: Double, places: Double = 100) -> Double { (value * places).rounded() / places }

    /// Best seconds per call of `body` over 15 repetitions of ≥ 2 ms, after one warm-up call.
    private static func bestSeconds(_ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        body()
        let once = max(seconds(clock.measure(body)), 1e-8)
        let calls = max(1, Int(0.002 / once))
        var best = Double.infinity
        for _ in 0..<15 {
            let elapsed = clock.measure { for _ in 0..<calls { body() } }
            best = min(best, seconds(elapsed) / Double(calls))
        }
        return best
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return Double(whole) + Double(fraction) * 1e-18
    }

    private static func randomBuffer(_ count: Int, seed: UInt64) -> UnsafeMutableBufferPointer<Float> {
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
        var stream = RandomStream(seed: seed)
        stream.fillUniform(buffer, low: -1, high: 1)
        return buffer
    }

    private static func timeGEMM(m: Int, k: Int, n: Int, transposeA: Bool, transposeB: Bool) -> Double {
        let a = randomBuffer(m * k, seed: 1), b = randomBuffer(k * n, seed: 2), c = randomBuffer(m * n, seed: 3)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        return bestSeconds {
            gemm(m: m, n: n, k: k, a: a.baseAddress!, transposeA: transposeA, b: b.baseAddress!, transposeB: transposeB,
                 c: c.baseAddress!, accumulate: false)
        }
    }

    private static func timeElementwise(threads: Int) -> [KernelBenchmarkRow] {
        let (rowCount, columns) = elementwiseShape
        let count = rowCount * columns
        let x = randomBuffer(count, seed: 4), dy = randomBuffer(count, seed: 5), y = randomBuffer(count, seed: 6)
        let dx = randomBuffer(count, seed: 7)
        defer { x.deallocate(); dy.deallocate(); y.deallocate(); dx.deallocate() }
        let (xp, dyp, yp, dxp) = (UnsafePointer(x.baseAddress!), UnsafePointer(dy.baseAddress!), y.baseAddress!, dx.baseAddress!)
        let kernels: [(String, () -> Void)] = [
            ("leakyReLU forward", { leakyReLUForward(xp, yp, count: count, slope: 0.2) }),
            ("leakyReLU backward", { leakyReLUBackward(xp, dyp, dxp, count: count, slope: 0.2) }),
            ("softmax rows", { softmaxRows(xp, yp, rows: rowCount, columns: columns) }),
            ("softmax rows backward", { softmaxRowsBackward(UnsafePointer(yp), dyp, dxp, rows: rowCount, columns: columns) }),
        ]
        return kernels.map { name, body in
            let nanoseconds = bestSeconds(body) * 1e9 / Double(count)
            return KernelBenchmarkRow(op: name, threads: threads, shape: "\(rowCount)×\(columns)", nsPerElement: rounded(nanoseconds, places: 1000))
        }
    }
}
