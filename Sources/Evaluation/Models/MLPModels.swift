// A small MLP classifier and regressor for the efficacy metric, built on TabCorr's own engine
// (NeuralNet): two hidden layers of 64 ReLU units, Adam, a fixed number of full passes in
// mini-batches, everything seeded. Features arrive already standardised/one-hot encoded.

import TensorKit
import NeuralNet

/// Settings shared by the MLP classifier and regressor.
public struct MLPSettings: Sendable, Equatable {
    public var hiddenWidths = [64, 64]
    public var epochs = 60
    public var batchSize = 128
    public var learningRate: Float = 1e-3
    public var weightDecay: Float = 1e-4
    public var seed: UInt64 = 0
    public init() {}
}

/// A fitted MLP: the network and, for regression, the target's scaling.
struct FittedMLP: FittedClassifier, FittedRegressor {
    let network: Sequential
    let outputs: Int
    let targetMean: Double, targetScale: Double

    func forward(_ features: FeatureMatrix) -> [Float] {
        GradMode.withoutGrad {
            network(Tensor(shape: [features.rows, features.columns], scalars: features.values.map(Float.init))).scalars
        }
    }

    func classProbabilities(features: FeatureMatrix) -> [Double] {
        guard features.rows > 0 else { return [] }
        let logits = Tensor(shape: [features.rows, outputs], scalars: forward(features))
        return GradMode.withoutGrad { logits.softmax() }.scalars.map(Double.init)
    }

    func predict(features: FeatureMatrix) -> [Double] {
        guard features.rows > 0 else { return [] }
        return forward(features).map { Double($0) * targetScale + targetMean }
    }
}

/// Trains `network` on mini-batches of (features, targets) to minimise `loss`.
func trainMLP(_ features: FeatureMatrix, outputs: Int, settings: MLPSettings,
              loss: (_ prediction: Tensor, _ rows: [Int]) -> Tensor) -> Sequential {
    var rng = RandomStream(seed: settings.seed).child("mlp")
    var layers: [any Layer] = []
    var width = features.columns
    for hidden in settings.hiddenWidths {
        layers.append(Linear(inputSize: width, outputSize: hidden, initializer: .heUniform(slope: 0), rng: &rng))
        layers.append(Activation(.relu))
        width = hidden
    }
    layers.append(Linear(inputSize: width, outputSize: outputs, rng: &rng))
    let network = Sequential(layers)
    let optimizer = Adam(parameters: network.parameters, learningRate: settings.learningRate, weightDecay: settings.weightDecay)
    let x = features.values.map(Float.init)
    for _ in 0..<settings.epochs {
        let order = rng.permutation(features.rows)
        var start = 0
        while start < order.count {
            let rows = Array(order[start..<min(start + settings.batchSize, order.count)])
            start += settings.batchSize
            var batch = [Float]()
            batch.reserveCapacity(rows.count * features.columns)
            for r in rows { batch.append(contentsOf: x[(r * features.columns)..<((r + 1) * features.columns)]) }
            optimizer.zeroGrad()
            loss(network(Tensor(shape: [rows.count, features.columns], scalars: batch)), rows).backward()
            optimizer.step()
        }
    }
    return network
}

/// Softmax MLP classifier (cross-entropy).
public struct MLPClassifierTrainer: ClassifierTrainer {
    public var settings: MLPSettings
    public var name: String { "mlpClassifier" }
    public init(settings: MLPSettings = MLPSettings()) { self.settings = settings }

    public func fit(features: FeatureMatrix, labels: [Int], classCount: Int) -> any FittedClassifier {
        let network = trainMLP(features, outputs: classCount, settings: settings) { prediction, rows in
            crossEntropy(logits: prediction, classes: rows.map { labels[$0] })
        }
        return FittedMLP(network: network, outputs: classCount, targetMean: 0, targetScale: 1)
    }
}

/// MLP regressor (mean squared error on the standardised target).
public struct MLPRegressorTrainer: RegressorTrainer {
    public var settings: MLPSettings
    public var name: String { "mlpRegressor" }
    public init(settings: MLPSettings = MLPSettings()) { self.settings = settings }

    public func fit(features: FeatureMatrix, targets: [Double]) -> any FittedRegressor {
        let mean = targets.reduce(0, +) / Double(max(targets.count, 1))
        let variance = targets.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(targets.count, 1))
        let scale = variance > 0 ? variance.squareRoot() : 1
        let scaled = targets.map { Float(($0 - mean) / scale) }
        let network = trainMLP(features, outputs: 1, settings: settings) { prediction, rows in
            meanSquaredError(prediction: prediction, target: Tensor(shape: [rows.count, 1], scalars: rows.map { scaled[$0] }))
        }
        return FittedMLP(network: network, outputs: 1, targetMean: mean, targetScale: scale)
    }
}
