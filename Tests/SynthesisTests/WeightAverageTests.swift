// The moving average of the generator's weights: its recurrence and warm-up, that training with
// it keeps the average (and stays deterministic), and that model files written before the option
// existed still decode.

import Foundation
import XCTest
import TensorKit
@testable import Synthesis

final class WeightAverageTests: XCTestCase {
    func testRecurrenceWithWarmUp() {
        var average = WeightAverage(decay: 0.9, state: [[0, 0], [4]])
        average.update(with: [("a", Tensor(shape: [2], scalars: [1, 2])), ("b", Tensor(shape: [1], scalars: [4]))], step: 1)
        let warm: Float = 2.0 / 11.0  // min(0.9, (1 + 1) / (10 + 1))
        XCTAssertEqual(average.state[0][0], 1 - warm, accuracy: 1e-6)
        XCTAssertEqual(average.state[0][1], 2 * (1 - warm), accuracy: 1e-6)
        XCTAssertEqual(average.state[1][0], 4, accuracy: 1e-6)
        let before = average.state[0][0]
        average.update(with: [("a", Tensor(shape: [2], scalars: [0, 0])), ("b", Tensor(shape: [1], scalars: [4]))], step: 1000)
        XCTAssertEqual(average.state[0][0], 0.9 * before, accuracy: 1e-6, "late steps use the full decay")
    }

    func testTrainingKeepsTheAverageAndIsDeterministic() throws {
        let data = mixedData(rows: 64, seed: 31)
        func samples(decay: Float?) throws -> [Float] {
            var o = smallOptions(smallAttention, loss: .wganGP, steps: 6)
            o.averageDecay = decay
            let model = GANModel(options: o, layout: data.layout, rng: RandomStream(seed: 32))
            _ = try model.train(data, correlation: .none, validator: nil, rng: RandomStream(seed: 33))
            var rng = RandomStream(seed: 34)
            return model.sampleEncoded(rows: 16, rng: &rng)
        }
        let raw = try samples(decay: nil)
        XCTAssertEqual(try samples(decay: 0).map(\.bitPattern), raw.map(\.bitPattern), "0 means no average")
        let averaged = try samples(decay: 0.9)
        XCTAssertNotEqual(averaged, raw, "the kept generator is the average, not the last weights")
        XCTAssertEqual(try samples(decay: 0.9).map(\.bitPattern), averaged.map(\.bitPattern))
        // A vanishing decay makes the average the last weights (up to rounding).
        for (a, b) in zip(try samples(decay: 1e-7), raw) { XCTAssertEqual(a, b, accuracy: 1e-4) }
    }

    func testOptionsWrittenWithoutTheKeyStillDecode() throws {
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(GANOptions())) as! [String: Any]
        object["averageDecay"] = nil
        let options = try JSONDecoder().decode(GANOptions.self, from: JSONSerialization.data(withJSONObject: object))
        XCTAssertNil(options.averageDecay)
    }
}
