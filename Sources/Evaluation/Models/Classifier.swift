// The model interfaces the detection and efficacy metrics train through, so that other models
// (e.g. the small MLP classifier and regressor built on NeuralNet) can plug in beside the linear
// ones: conform a trainer type and pass it to `detectionAUC` / `machineLearningEfficacy`.

/// Trains classifiers on encoded features.
public protocol ClassifierTrainer: Sendable {
    /// The model's name as written in reports, e.g. "logisticRegression".
    var name: String { get }
    /// Fits a model on N×F `features` with `labels` in 0..<classCount (classCount ≥ 2).
    func fit(features: FeatureMatrix, labels: [Int], classCount: Int) -> any FittedClassifier
}

/// A trained classifier.
public protocol FittedClassifier {
    /// N×K class probabilities (row-major) for N×F `features`.
    func classProbabilities(features: FeatureMatrix) -> [Double]
}

/// Trains regressors on encoded features.
public protocol RegressorTrainer: Sendable {
    /// The model's name as written in reports, e.g. "ridgeRegression".
    var name: String { get }
    /// Fits a model on N×F `features` and N `targets`.
    func fit(features: FeatureMatrix, targets: [Double]) -> any FittedRegressor
}

/// A trained regressor.
public protocol FittedRegressor {
    /// N predictions for N×F `features`.
    func predict(features: FeatureMatrix) -> [Double]
}
