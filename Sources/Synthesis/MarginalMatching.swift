// Marginal matching: maps each generated numeric column monotonically onto the train split's
// empirical quantiles, rank by rank. The ranks (the dependence structure the generator learned,
// so every Spearman correlation) are kept exactly; each column's marginal becomes the train
// split's. Missing cells and categorical columns are left as generated.

import TabularData

/// `synthetic` with each numeric column replaced, rank for rank, by train quantiles.
/// Ties in a generated column keep row order, so the result is deterministic.
public func matchMarginals(_ synthetic: Table, to train: Table) -> Table {
    Table(columns: synthetic.columns.map { column in
        guard case .numeric(let values) = column.values, let reference = train[column.name]?.numbers else { return column }
        let sortedTrain = reference.filter { !$0.isNaN }.sorted()
        let present = values.indices.filter { !values[$0].isNaN }
        guard !sortedTrain.isEmpty, !present.isEmpty else { return column }
        let order = present.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        var matched = values
        for (rank, row) in order.enumerated() {
            matched[row] = empiricalQuantile(sortedTrain, (Double(rank) + 0.5) / Double(order.count))
        }
        if column.type == .integer { matched = matched.map { $0.isNaN ? $0 : $0.rounded() } }
        return Column(name: column.name, type: column.type, values: .numeric(matched))
    })
}
