// Errors of the libraries (TabularData, Evaluation) name their own option names (`testFraction`,
// `overrides.a`, `targetColumn`); a user of `tabcorr run` wrote JSON keys. This rewords such an
// error as `<config>: <json.path>: <what is wrong>`, the form of every other config error.

import Foundation
import TabularData
import Evaluation

extension ExperimentConfig {
    /// `error` reworded with the config's file and the JSON path of the key behind the library
    /// option it names; any other error is returned unchanged.
    func inConfigTerms(_ error: any Error) -> any Error {
        func message(_ key: String, _ text: String) -> any Error { LabError("\(sourcePath): \(key): \(text)") }
        switch error {
        case DataError.invalidOption(let name, let reason):
            let root = JSONPath()
            if name.hasPrefix("overrides.") {
                let column = String(name.dropFirst("overrides.".count))
                return message(root.appending(key: "data").appending(key: "columns").appending(key: column).description, reason)
            }
            let keys = ["testFraction": "data.testFraction", "validationFraction": "data.validationFraction",
                        "stratifyBy": "data.stratifyBy", "delimiter": "data.delimiter", "maxLevels": "data.maxCategories",
                        "integerCategoricalMaxLevels": "data.categoricalIntegerThreshold", "maxModes": "transform.maxModes"]
            return keys[name].map { message($0, reason) } ?? error
        case EvaluationError.unknownTargetColumn(let name, let available):
            let key = evaluation.target == data.target ? "data.target" : "evaluation.target"
            return message(key, "\"\(abbreviated(name))\" is not a column of the data; pick one of \(available.joined(separator: ", "))")
        case EvaluationError.invalidOption(let key, let text):
            let keys = ["bootstrapReplicates": "evaluation.bootstrap", "detectionFolds": "evaluation.detectionFolds"]
            let advice = key == "detectionFolds" ? "raise data.testFraction, or lower evaluation.detectionFolds (at least 2)" : ""
            return keys[key].map { message($0, text.replacingOccurrences(of: "lower \(key)", with: advice)) } ?? error
        default:
            return error
        }
    }
}
