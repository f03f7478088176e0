// L2-regularised logistic (two classes) and softmax (three or more) regression, fitted by L-BFGS
// in Double. The objective matches scikit-learn's `LogisticRegression(C=...)`:
// C · Σ_i cross-entropy_i + ½ ‖W‖², intercepts not penalised; binary uses one weight vector.

import Foundation

/// Trainer for `LogisticRegression`.
public struct LogisticRegressionTrainer: ClassifierTrainer {
    /// C, the inverse regularisation strength (scikit-learn's `C`, default 1).
    public var inverseRegularisation: Double
    /// Stop when the largest gradient entry of the per-row objective is at most this.
    public var gradientTolerance: Double
    /// L-BFGS iteration cap.
    public var maxIterations: Int

    public init(inverseRegularisation: Double = 1, gradientTolerance: Double = 1e-9, maxIterations: Int = 1000) {
        self.inverseRegularisation = inverseRegularisation
        self.gradientTolerance = gradientTolerance
        self.maxIterations = maxIterations
    }

    public var name: String { "logisticRegression" }

    public func fit(features: FeatureMatrix, labels: [Int], classCount: Int) -> any FittedClassifier {
        LogisticRegression(fitting: features, labels: labels, classCount: classCount, trainer: self)
    }
}

/// A fitted logistic/softmax regression: O = 1 output for K = 2 classes, else O = K outputs.
public struct LogisticRegression: FittedClassifier {
    /// K, the number of classes.
    public let classCount: Int
    /// F, the number of features.
    public let featureCount: Int
    /// O×(F+1) row-major: each output's F weights, then its intercept.
    public let parameters: [Double]

    init(fitting x: FeatureMatrix, labels: [Int], classCount: Int, trainer: LogisticRegressionTrainer) {
        precondition(classCount >= 2 && labels.count == x.rows, "LogisticRegression needs ≥ 2 classes and one label per row")
        self.classCount = classCount
        featureCount = x.columns
        let outputs = classCount == 2 ? 1 : classCount, f = x.columns, stride = f + 1
        let n = Double(max(1, x.rows)), penalty = 1 / (trainer.inverseRegularisation * n)
        var logits = [Double](repeating: 0, count: outputs)
        // f(w) = (1/N) Σ_i CE_i + ½ ‖W‖² / (C N): scikit-learn's objective divided by C·N.
        parameters = minimiseLBFGS(
            initial: [Double](repeating: 0, count: outputs * stride),
            gradientTolerance: trainer.gradientTolerance, maxIterations: trainer.maxIterations
        ) { w, gradient in
            var loss = 0.0
            for k in gradient.indices { gradient[k] = 0 }
            x.values.withUnsafeBufferPointer { xs in
                w.withUnsafeBufferPointer { w in
                    gradient.withUnsafeMutableBufferPointer { g in
                        for i in 0..<x.rows {
                            let row = xs.baseAddress! + i * f
                            for o in 0..<outputs {
                                var z = w[o * stride + f]
                                for j in 0..<f { z += w[o * stride + j] * row[j] }
                                logits[o] = z
                            }
                            if outputs == 1 {
                                let z = logits[0], y = Double(labels[i])
                                loss += max(z, 0) + log1pExp(-abs(z)) - y * z
                                let residual = logistic(z) - y
                                for j in 0..<f { g[j] += residual * row[j] }
                                g[f] += residual
                            } else {
                                let top = logits.max()!
                                var total = 0.0
                                for o in 0..<outputs { logits[o] = exp(logits[o] - top); total += logits[o] }
                                loss += log(total) + top - (log(logits[labels[i]]) + top)
                                for o in 0..<outputs {
                                    let residual = logits[o] / total - (o == labels[i] ? 1 : 0)
                                    for j in 0..<f { g[o * stride + j] += residual * row[j] }
                                    g[o * stride + f] += residual
                                }
                            }
                        }
                        var squares = 0.0
                        for o in 0..<outputs {
                            for j in 0..<f {
                                squares += w[o * stride + j] * w[o * stride + j]
                                g[o * stride + j] = g[o * stride + j] / n + penalty * w[o * stride + j]
                            }
                            g[o * stride + f] /= n
                        }
                        loss = loss / n + 0.5 * penalty * squares
                    }
                }
            }
            return loss
        }
    }

    /// N decision values w·x + b for the positive class (K = 2 only).
    public func decisionValues(features x: FeatureMatrix) -> [Double] {
        precondition(classCount == 2, "decisionValues is for two classes")
        return (0..<x.rows).map { i in
            var z = parameters[featureCount]
            for j in 0..<featureCount { z += parameters[j] * x.values[i * x.columns + j] }
            return z
        }
    }

    public func classProbabilities(features x: FeatureMatrix) -> [Double] {
        let f = featureCount, stride = f + 1
        if classCount == 2 {
            return decisionValues(features: x).flatMap { z -> [Double] in
                let p = logistic(z)
                return [1 - p, p]
            }
        }
        var out = [Double](repeating: 0, count: x.rows * classCount)
        for i in 0..<x.rows {
            var top = -Double.infinity
            for o in 0..<classCount {
                var z = parameters[o * stride + f]
                for j in 0..<f { z += parameters[o * stride + j] * x.values[i * x.columns + j] }
                out[i * classCount + o] = z
                top = max(top, z)
            }
            var total = 0.0
            for o in 0..<classCount { out[i * classCount + o] = exp(out[i * classCount + o] - top); total += out[i * classCount + o] }
            for o in 0..<classCount { out[i * classCount + o] /= total }
        }
        return out
    }
}

/// σ(z) = 1 / (1 + e^−z), stable for large |z|.
@inline(__always)
func logistic(_ z: Double) -> Double {
    z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
}

/// log(1 + e^x) for x ≤ 0.
@inline(__always)
private func log1pExp(_ x: Double) -> Double { log1p(exp(x)) }
