// Optimisers against independent Double-precision references, convergence on y = x + 1,
// schedules, clipping, determinism across thread counts, and parameter files.

import XCTest
import Foundation
import TensorKit
import NeuralNet
import TestSupport

final class OptimizerTests: XCTestCase {
    /// Adam/AdamW reference in Double, written from the papers' update rules.
    func referenceAdam(p0: [Double], grads: [[Double]], lr: Double, b1: Double, b2: Double, eps: Double, wd: Double) -> [Double] {
        var p = p0, m = [Double](repeating: 0, count: p0.count), v = m
        for (t, g) in grads.enumerated() {
            for i in p.indices {
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                let mh = m[i] / (1 - Foundation.pow(b1, Double(t + 1))), vh = v[i] / (1 - Foundation.pow(b2, Double(t + 1)))
                p[i] -= lr * (mh / (vh.squareRoot() + eps) + wd * p[i])
            }
        }
        return p
    }

    func testAdamAndAdamWMatchReference() {
        for wd: Float in [0, 0.01] {
            let p = Tensor(shape: [3], scalars: [0.5, -1, 2], requiresGrad: true)
            let opt = Adam(parameters: [p], learningRate: 0.1, beta1: 0.5, beta2: 0.9, epsilon: 1e-8, weightDecay: wd)
            let grads: [[Float]] = [[1, -2, 0.5], [0.3, 0.1, -1], [-0.7, 2, 0.2], [1, 1, 1], [0, -0.5, 3]]
            for g in grads { p.grad = Tensor(shape: [3], scalars: g); opt.step() }
            let ref = referenceAdam(p0: [0.5, -1, 2], grads: grads.map { $0.map(Double.init) }, lr: 0.1, b1: 0.5, b2: 0.9, eps: 1e-8, wd: Double(wd))
            assertClose(p.scalars.map(Double.init), ref, rtol: 1e-5, atol: 1e-6, "weightDecay \(wd)")
        }
    }

    func testSGDMomentumMatchesHandComputation() {
        let p = Tensor(shape: [1], scalars: [1], requiresGrad: true)
        let opt = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9)
        p.grad = Tensor(shape: [1], scalars: [1]); opt.step()   // v = 1, p = 0.9
        p.grad = Tensor(shape: [1], scalars: [1]); opt.step()   // v = 1.9, p = 0.71
        XCTAssertEqual(p.item, 0.71, accuracy: 1e-6)
    }

    func testConvergenceOnAffineTarget() {
        // Learn y = x + 1 with one Linear unit.
        var rng = RandomStream(seed: 1)
        let layer = Linear(inputSize: 1, outputSize: 1, rng: &rng)
        let opt = Adam(parameters: layer.parameters, learningRate: 0.05)
        let x = Tensor(shape: [8, 1], scalars: (0..<8).map { Float($0) / 4 - 1 })
        let y = x + 1
        for _ in 0..<400 {
            opt.zeroGrad()
            meanSquaredError(prediction: layer(x), target: y).backward()
            opt.step()
        }
        XCTAssertEqual(layer.weight.item, 1, accuracy: 1e-2)
        XCTAssertEqual(layer.bias!.item, 1, accuracy: 1e-2)
    }

    func testClippingAndSchedules() {
        let a = Tensor(shape: [2], scalars: [0, 0], requiresGrad: true)
        a.grad = Tensor(shape: [2], scalars: [3, 4])
        XCTAssertEqual(clipGradientNorm([a], maxNorm: 1), 5, accuracy: 1e-6)
        XCTAssertEqual(gradientNorm([a]), 1, accuracy: 1e-5)
        XCTAssertEqual(LearningRateSchedule.linearWarmup(steps: 4).factor(at: 1), 0.5)
        XCTAssertEqual(LearningRateSchedule.cosine(totalSteps: 10, floor: 0).factor(at: 5), 0.5, accuracy: 1e-6)
        XCTAssertEqual(LearningRateSchedule.stepDecay(every: 2, gamma: 0.5).factor(at: 5), 0.25)
    }

    /// 50 Adam steps of a small MLP; returns all parameter bits.
    func trainSmallMLP(threads: Int) -> [UInt32] {
        let saved = Parallel.threadCount
        Parallel.threadCount = threads
        defer { Parallel.threadCount = saved }
        var rng = RandomStream(seed: 42)
        let net = Sequential([Linear(inputSize: 6, outputSize: 64, rng: &rng), Activation(.leakyReLU(slope: 0.2)),
                              BatchNorm(features: 64), Linear(inputSize: 64, outputSize: 3, rng: &rng)])
        let opt = Adam(parameters: net.parameters, learningRate: 1e-2)
        var data = rng.child("data")
        let x = Tensor(shape: [128, 6], repeating: 0), y = Tensor(shape: [128, 3], repeating: 0)
        data.fillNormal(x.buffer); data.fillNormal(y.buffer)
        for _ in 0..<50 {
            opt.zeroGrad()
            meanSquaredError(prediction: net(x), target: y).backward()
            opt.step()
        }
        return net.namedState().flatMap { $0.1.scalars.map(\.bitPattern) }
    }

    func testBitIdenticalAcrossThreadCounts() {
        let one = trainSmallMLP(threads: 1), two = trainSmallMLP(threads: 2)
        XCTAssertEqual(one, two)
        XCTAssertEqual(one, trainSmallMLP(threads: 1), "same seed, same run")
    }

    /// Dropout masks and Adam updates over several parallel chunks (more than 16,384 values) give
    /// the same bits on 1 and 2 threads, and the mask keeps about 1 − rate of the values.
    func testLargeDropoutAndAdamAreBitIdenticalAcrossThreadCounts() {
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        func run(threads: Int) -> [Float] {
            Parallel.threadCount = threads
            var rng = RandomStream(seed: 5)
            let p = Tensor(shape: [40_000], repeating: 0.5, requiresGrad: true)
            let adam = Adam(parameters: [p], learningRate: 0.1)
            for _ in 0..<2 {
                let loss = (dropout(p, rate: 0.3, rng: &rng) * p).sum()
                p.grad = gradients(of: loss, withRespectTo: [p])[0]
                adam.step()
            }
            return dropout(Tensor(shape: [40_000], repeating: 1), rate: 0.3, rng: &rng).scalars + p.scalars
        }
        let one = run(threads: 1)
        XCTAssertEqual(one, run(threads: 2))
        let kept = one[0..<40_000].filter { $0 != 0 }.count
        XCTAssertEqual(Double(kept) / 40_000, 0.7, accuracy: 0.01)
    }

    func testParameterFileRoundTripAndCorruption() throws {
        var rng = RandomStream(seed: 3)
        let net = Sequential([Linear(inputSize: 4, outputSize: 5, rng: &rng), BatchNorm(features: 5)])
        _ = net(Tensor(shape: [3, 4], repeating: 0.5))
        let data = ParameterFile.encode(net.namedState())
        var other = RandomStream(seed: 99)
        let copy = Sequential([Linear(inputSize: 4, outputSize: 5, rng: &other), BatchNorm(features: 5)])
        try ParameterFile.apply(try ParameterFile.decode(data), to: copy.namedState())
        XCTAssertEqual(copy.namedState().flatMap { $0.1.scalars }, net.namedState().flatMap { $0.1.scalars })

        XCTAssertThrowsError(try ParameterFile.decode(data.prefix(data.count - 9))) { XCTAssertTrue("\($0)".contains("checksum") || "\($0)".contains("end")) }
        var flipped = data
        flipped[40] ^= 0x10
        XCTAssertThrowsError(try ParameterFile.decode(flipped)) { XCTAssertTrue("\($0)".contains("checksum"), "\($0)") }
        XCTAssertThrowsError(try ParameterFile.decode(Data("hello".utf8))) { XCTAssertTrue("\($0)".contains("magic"), "\($0)") }
        let wrong = Sequential([Linear(inputSize: 4, outputSize: 6, rng: &other)])
        XCTAssertThrowsError(try ParameterFile.apply(try ParameterFile.decode(data), to: wrong.namedState()))
    }
}
