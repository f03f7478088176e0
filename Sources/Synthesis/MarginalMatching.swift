// Marginal matching: maps each generated numeric column monotonically onto the train split's
// empirical distribution, rank by rank. The ranks (the dependence structure the generator
// learned, so every Spearman correlation) are kept exactly; each column's marginal becomes the
// train split's, read through its interpolated empirical CDF at jittered rank positions, so values
// are not copies of train values (integer columns are rounded). Missing cells and categorical
// columns are left as generated.

import TabularData
import TensorKit

/// `synthetic` with each numeric column replaced, rank for rank, by train quantiles at
/// u = (rank + U)/n, U ~ Uniform(0, 1) from `rng`. Ties keep row order (deterministic).
public func matchMarginals(_ synthetic: Table, to train: Table, rng: inout RandomStream) -> Table {
    Table(columns: synthetic.columns.map { column in
        guard case .numeric(let values) = column.values, let reference = train[column.name]?.numbers else { return column }
        let sortedTrain = reference.filter { !$0.isNaN }.sorted()
        let present = values.indices.filter { !values[$0].isNaN }
        guard !sortedTrain.isEmpty, !present.isEmpty else { return column }
        let order = present.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        var matched = values
        for (rank, row) in order.enumerated() {
            matched[row] = empiricalQuantile(sortedTrain, (Double(rank) + rng.nextUniform()) / Double(order.count))
        }
        if column.type == .integer { matched = matched.map { $0.isNaN ? $0 : $0.rounded() } }
        return Column(name: column.name, type: column.type, values: .numeric(matched))
    })
}
