// Marginal matching: maps each generated numeric column monotonically onto the fit rows' empirical
// distribution, rank by rank. The ranks come from the generator's own unrounded output (so a
// binary or integer column keeps the generator's order instead of ties broken by row index); each
// column's marginal becomes the fit rows', read through its interpolated empirical CDF at jittered
// rank positions, so values are not copies of train values (integer columns are rounded after).
// Missing cells and categorical columns are left as generated.

import TabularData
import TensorKit

/// `synthetic` with each numeric column j that has a reference (`sortedReference[j]` not empty)
/// replaced, rank for rank, by reference quantiles at u = (rank + U)/n, U ~ Uniform(0, 1) from
/// `rng`. Rows are ranked by `orderKeys[j]` (the generator's unrounded values; the column's own
/// values when absent), ties by row index.
public func matchMarginals(_ synthetic: Table, sortedReference: [[Double]], orderKeys: [[Double]] = [], rng: inout RandomStream) -> Table {
    Table(columns: synthetic.columns.enumerated().map { j, column in
        guard case .numeric(let values) = column.values, j < sortedReference.count, !sortedReference[j].isEmpty else { return column }
        let keys = j < orderKeys.count && orderKeys[j].count == values.count ? orderKeys[j] : values
        // Ordinal positions, not average ranks: tied rows get distinct quantiles, in row order.
        let order = ascendingOrder(values, by: keys)
        guard !order.isEmpty else { return column }
        var matched = values
        for (rank, row) in order.enumerated() {
            matched[row] = empiricalQuantile(sortedReference[j], (Double(rank) + rng.nextUniform()) / Double(order.count))
        }
        if column.type == .integer { matched = matched.map { $0.isNaN ? $0 : $0.rounded() } }
        return Column(name: column.name, type: column.type, values: .numeric(matched))
    })
}

/// Per column of `table`: its non-missing numeric values sorted ascending ([] for categorical columns).
public func sortedNumericValues(_ table: Table) -> [[Double]] {
    table.columns.map { $0.numbers?.filter { !$0.isNaN }.sorted() ?? [] }
}
