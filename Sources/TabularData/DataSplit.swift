// Seeded train/test splits as 0-based row indices (data rows in file order), optionally stratified
// by a categorical column, and a validation slice carved from train for early stopping. The
// random order comes in as a permutation (in TabCorr: RandomStream(seed:).child("split")
// .permutation(n)), so this file draws nothing itself and the split is a pure function of it.

import Foundation

/// Row indices of each part of a split. Parts are disjoint and together cover every row once.
public struct DataSplit: Codable, Sendable, Equatable {
    public var train: [Int]
    public var test: [Int]
    /// Rows taken out of train for early stopping (empty until `carvingValidation`).
    public var validation: [Int]

    public init(train: [Int], test: [Int], validation: [Int] = []) {
        self.train = train
        self.test = test
        self.validation = validation
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        train = try c.decode([Int].self, forKey: .train)
        test = try c.decode([Int].self, forKey: .test)
        validation = try c.decodeIfPresent([Int].self, forKey: .validation) ?? []
    }

    /// The peers' protocol: the first round((1 − testFraction)·n) entries of `permutation` are
    /// train and the rest test (both in permutation order). Rounding is half-to-even, as Python's
    /// `round`. `permutation` must be a permutation of 0..<n.
    /// - Throws: `invalidOption` if the fraction is outside (0, 1) or a part would be empty.
    public static func shuffled(permutation: [Int], testFraction: Double = 0.2) throws -> DataSplit {
        try checkPermutation(permutation)
        let trainCount = try trainSize(permutation.count, testFraction: testFraction)
        return DataSplit(train: Array(permutation[..<trainCount]), test: Array(permutation[trainCount...]))
    }

    /// Stratified by the categorical column `strata`: within each level (missing counts as a
    /// level), taken in permutation order, the first round((1 − testFraction)·n_level) rows are
    /// train and the rest test, so every level keeps its share in both parts. Parts are listed
    /// in permutation order.
    public static func stratified(permutation: [Int], by strata: Column, testFraction: Double = 0.2) throws -> DataSplit {
        try checkPermutation(permutation)
        guard case .categorical(let codes, let levels) = strata.values else {
            throw DataError.invalidOption(name: "stratifyBy", reason: "column \"\(strata.name)\" is numeric; stratify by a categorical column (or override it as categorical)")
        }
        guard codes.count == permutation.count else {
            throw DataError.invalidOption(name: "stratifyBy", reason: "column \"\(strata.name)\" has \(codes.count) rows but the permutation has \(permutation.count)")
        }
        _ = try trainSize(permutation.count, testFraction: testFraction)
        // Stratum index: code + 1 (0 = missing).
        var sizes = [Int](repeating: 0, count: levels.count + 1)
        for c in codes { sizes[Int(c) + 1] += 1 }
        let trainQuota = sizes.map { Int((Double($0) * (1 - testFraction)).rounded(.toNearestOrEven)) }
        var taken = [Int](repeating: 0, count: levels.count + 1)
        var split = DataSplit(train: [], test: [])
        for row in permutation {
            let s = Int(codes[row]) + 1
            if taken[s] < trainQuota[s] { split.train.append(row) } else { split.test.append(row) }
            taken[s] += 1
        }
        if split.train.isEmpty || split.test.isEmpty {
            throw DataError.invalidOption(name: "testFraction", reason: "\(testFraction) leaves the \(split.train.isEmpty ? "train" : "test") split empty for \(permutation.count) rows stratified by \(strata.name)")
        }
        return split
    }

    /// Moves the last round(fraction · train.count) train rows (a random subset, since train is
    /// in permutation order) into `validation`.
    /// - Throws: `invalidOption` if the fraction is outside (0, 1) or a part would be empty.
    public func carvingValidation(fraction: Double) throws -> DataSplit {
        guard fraction > 0 && fraction < 1 else {
            throw DataError.invalidOption(name: "validationFraction", reason: "must be in (0, 1), got \(fraction)")
        }
        let all = train + validation
        let count = Int((fraction * Double(all.count)).rounded(.toNearestOrEven))
        guard count >= 1 && count < all.count else {
            throw DataError.invalidOption(name: "validationFraction", reason: "\(fraction) of \(all.count) train rows leaves the validation or train part empty")
        }
        return DataSplit(train: Array(all[..<(all.count - count)]), test: test, validation: Array(all[(all.count - count)...]))
    }

    private static func trainSize(_ n: Int, testFraction: Double) throws -> Int {
        guard testFraction > 0 && testFraction < 1 else {
            throw DataError.invalidOption(name: "testFraction", reason: "must be in (0, 1), got \(testFraction)")
        }
        let trainCount = Int((Double(n) * (1 - testFraction)).rounded(.toNearestOrEven))
        guard trainCount >= 1 && trainCount < n else {
            throw DataError.invalidOption(name: "testFraction", reason: "\(testFraction) of \(n) rows leaves the train or test split empty")
        }
        return trainCount
    }

    private static func checkPermutation(_ permutation: [Int]) throws {
        var seen = [Bool](repeating: false, count: permutation.count)
        for i in permutation {
            guard i >= 0 && i < permutation.count && !seen[i] else {
                throw DataError.invalidOption(name: "permutation", reason: "must hold each of 0..<\(permutation.count) exactly once (bad entry \(i))")
            }
            seen[i] = true
        }
    }
}
