// Pearson and Spearman correlation matrices over numeric columns with NaN for missing values,
// computed on pairwise-complete rows (as pandas `DataFrame.corr`). A pair whose complete rows
// are fewer than two or constant in either column gets NaN ("undefined"), never a number.

/// Which correlation coefficient a matrix holds.
public enum CorrelationMethod: String, Codable, Sendable {
    /// Pearson's product-moment correlation of the values.
    case pearson
    /// Spearman's rank correlation: Pearson on average ranks (ties share their mean rank).
    case spearman
}

/// The F×F correlation matrix (row-major) of `columns` (F columns of N values, NaN = missing).
///
/// Entry (i, j) uses only the rows where both columns are present; for Spearman those rows are
/// ranked afresh. Undefined entries (fewer than two complete rows, or a constant column on them)
/// are NaN, including the diagonal of a constant column.
func correlationMatrix(columns: [[Double]], method: CorrelationMethod) -> [Double] {
    let f = columns.count
    var matrix = [Double](repeating: .nan, count: f * f)
    let complete = columns.map { !$0.contains { $0.isNaN } }
    let unitColumns: [[Double]?] = columns.indices.map { i in
        guard complete[i] else { return nil }
        return centredUnitVector(method == .spearman ? averageRanks(columns[i]) : columns[i])
    }
    for i in 0..<f {
        for j in i..<f {
            let r: Double
            if complete[i] && complete[j] {
                if let a = unitColumns[i], let b = unitColumns[j] { r = i == j ? 1 : clampedDot(a, b) } else { r = .nan }
            } else {
                var a: [Double] = [], b: [Double] = []
                for (x, y) in zip(columns[i], columns[j]) where !x.isNaN && !y.isNaN {
                    a.append(x); b.append(y)
                }
                if method == .spearman { a = averageRanks(a); b = averageRanks(b) }
                if let ua = centredUnitVector(a), let ub = centredUnitVector(b) { r = i == j ? 1 : clampedDot(ua, ub) } else { r = .nan }
            }
            matrix[i * f + j] = r
            matrix[j * f + i] = r
        }
    }
    return matrix
}

/// (x − mean) / ‖x − mean‖, or nil when x has fewer than two values or all values are equal.
private func centredUnitVector(_ x: [Double]) -> [Double]? {
    guard x.count >= 2, let low = x.min(), let high = x.max(), low < high else { return nil }
    let mean = x.reduce(0, +) / Double(x.count)
    var centred = x.map { $0 - mean }
    let norm = centred.reduce(0) { $0 + $1 * $1 }.squareRoot()
    guard norm > 0 else { return nil }
    for k in centred.indices { centred[k] /= norm }
    return centred
}

/// a·b limited to [−1, 1] (rounding can push the dot of unit vectors just past 1).
private func clampedDot(_ a: [Double], _ b: [Double]) -> Double {
    var sum = 0.0
    for k in a.indices { sum += a[k] * b[k] }
    return min(1, max(-1, sum))
}
