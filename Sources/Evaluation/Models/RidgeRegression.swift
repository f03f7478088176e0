// Ridge regression in closed form, as scikit-learn's `Ridge(alpha=...)`: minimise
// ‖y − Xw − b‖² + α‖w‖² with the intercept unpenalised (centre X and y, solve
// (XcᵀXc + αI) w = Xcᵀyc by Cholesky, b = ȳ − x̄·w). Double throughout.

/// Trainer for `RidgeRegression`.
public struct RidgeRegressionTrainer: RegressorTrainer {
    /// α > 0, the L2 penalty (scikit-learn's `alpha`, default 1).
    public var penalty: Double

    public init(penalty: Double = 1) {
        precondition(penalty > 0, "ridge penalty must be positive")
        self.penalty = penalty
    }

    public var name: String { "ridgeRegression" }

    public func fit(features: FeatureMatrix, targets: [Double]) -> any FittedRegressor {
        RidgeRegression(fitting: features, targets: targets, penalty: penalty)
    }
}

/// A fitted ridge regression.
public struct RidgeRegression: FittedRegressor {
    /// F weights.
    public let weights: [Double]
    public let intercept: Double

    init(fitting x: FeatureMatrix, targets y: [Double], penalty: Double) {
        let n = x.rows, f = x.columns
        precondition(y.count == n && n > 0, "RidgeRegression needs one target per row and at least one row")
        var columnMeans = [Double](repeating: 0, count: f)
        for i in 0..<n { for j in 0..<f { columnMeans[j] += x.values[i * f + j] } }
        for j in 0..<f { columnMeans[j] /= Double(n) }
        let targetMean = y.reduce(0, +) / Double(n)
        var gram = [Double](repeating: 0, count: f * f), rhs = [Double](repeating: 0, count: f)
        var centred = [Double](repeating: 0, count: f)
        for i in 0..<n {
            for j in 0..<f { centred[j] = x.values[i * f + j] - columnMeans[j] }
            let yc = y[i] - targetMean
            for j in 0..<f {
                rhs[j] += centred[j] * yc
                for k in j..<f { gram[j * f + k] += centred[j] * centred[k] }
            }
        }
        for j in 0..<f {
            gram[j * f + j] += penalty
            for k in 0..<j { gram[j * f + k] = gram[k * f + j] }
        }
        weights = choleskySolve(gram, rhs, size: f)
        var b = targetMean
        for j in 0..<f { b -= columnMeans[j] * weights[j] }
        intercept = b
    }

    public func predict(features x: FeatureMatrix) -> [Double] {
        (0..<x.rows).map { i in
            var z = intercept
            for j in 0..<x.columns { z += weights[j] * x.values[i * x.columns + j] }
            return z
        }
    }
}

/// Solves A·w = b for symmetric positive-definite F×F `a` (row-major) by Cholesky, A = L·Lᵀ.
func choleskySolve(_ a: [Double], _ b: [Double], size f: Int) -> [Double] {
    var l = [Double](repeating: 0, count: f * f)
    for i in 0..<f {
        for j in 0...i {
            var sum = a[i * f + j]
            for k in 0..<j { sum -= l[i * f + k] * l[j * f + k] }
            l[i * f + j] = i == j ? sum.squareRoot() : sum / l[j * f + j]
        }
    }
    var z = b
    for i in 0..<f {
        for k in 0..<i { z[i] -= l[i * f + k] * z[k] }
        z[i] /= l[i * f + i]
    }
    for i in stride(from: f - 1, through: 0, by: -1) {
        for k in (i + 1)..<f { z[i] -= l[k * f + i] * z[k] }
        z[i] /= l[i * f + i]
    }
    return z
}
