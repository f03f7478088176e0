// The marginal term: each generated numeric value is pulled towards the fit rows' encoded value of
// the same rank in the batch (the one-dimensional optimal transport between the batch's column and
// the fit column), so that the generator's own marginals are the fit rows' and marginal matching
// has little left to move: the correlations the constraint shaped are the ones shipped. Which
// columns, and their targets: `Synthesizer.marginalTerm`.

import TensorKit

/// L = mean over the batch's rows r and constrained columns j of (x_rj − Q_j((rank_rj + ½)/N))²,
/// Q_j the target's quantile function (linear between its sorted values). The targets are
/// constants of the batch, so the gradient is 2(x − target)/(N·k), a sort's derivative.
public struct MarginalLoss {
    /// Encoded column indices whose marginals are matched.
    public let columns: [Int]
    /// Per column, the target marginal as sorted values (ascending).
    public let sortedTargets: [[Float]]

    public init(columns: [Int], sortedTargets: [[Float]]) {
        precondition(columns.count == sortedTargets.count && sortedTargets.allSatisfy { !$0.isEmpty }, "MarginalLoss: one non-empty sorted column per index")
        self.columns = columns
        self.sortedTargets = sortedTargets
    }

    /// The target's quantile at probability p ∈ (0, 1): position p·n − ½ in the sorted values.
    func quantile(_ column: Int, _ p: Double) -> Float {
        let sorted = sortedTargets[column], n = sorted.count
        let position = min(max(p * Double(n) - 0.5, 0), Double(n - 1))
        let lower = Int(position), upper = min(lower + 1, n - 1)
        let t = Float(position - Double(lower))
        return sorted[lower] + t * (sorted[upper] - sorted[lower])
    }

    /// The loss for generated encoded rows [N, W] (unweighted).
    public func value(_ generated: Tensor) -> Tensor {
        let x = generated.selectColumns(columns)
        let n = x.shape[0], k = columns.count
        var targets = [Float](repeating: 0, count: n * k)
        var order = Array(0..<n)
        for c in 0..<k {
            order.sort { (x.data[$0 * k + c], $0) < (x.data[$1 * k + c], $1) }
            for (rank, r) in order.enumerated() { targets[r * k + c] = quantile(c, (Double(rank) + 0.5) / Double(n)) }
        }
        let difference = x - Tensor(shape: [n, k], scalars: targets)
        return (difference * difference).mean()
    }
}
