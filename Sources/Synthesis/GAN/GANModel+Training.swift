// The training step pair and the loop. Each step takes gradients only with respect to the
// network it updates (the generator step never computes critic parameter gradients).

import Foundation
import TensorKit
import NeuralNet

/// Per-step statistics of one critic update.
struct DiscriminatorStats { var loss: Float; var gradientPenalty: Float; var gradientNorm: Float }
/// Per-step statistics of one generator update: each loss term as a named `training_log.csv` column.
struct GeneratorStats { var terms: [NamedScalar]; var gradientNorm: Float }

/// Correlation targets: one for the whole batch, or one per condition level.
public enum CorrelationTargets {
    case none
    case global(CorrelationLoss)
    case perClass([CorrelationLoss?])
}

extension GANModel {
    /// Trains for `options.trainingSteps(rows:)` steps (fewer with early stopping) and restores the
    /// generator chosen by the one-standard-error rule: the latest validated generator whose score
    /// is within one bootstrap standard error of the best score. With `averageDecay` > 0 the
    /// generator validated, kept and restored is the moving average of the weights (the raw
    /// weights keep training). `marginal` joins the generator's loss with weight
    /// `options.marginalWeight`. Throws `TrainingDivergedError` on NaN/inf.
    public func train(_ data: TrainingData, correlation: CorrelationTargets, marginal: MarginalLoss? = nil, validator: (any GANValidator)?,
                      rng: RandomStream, onLog: (TrainingLogRow) -> Void = { _ in }) throws -> TrainingOutcome {
        precondition(data.layout.width == layout.width, "train: data width \(data.layout.width) != model width \(layout.width)")
        let levels = data.conditionLevels()
        if let levels, let c = conditionSpan { setConditionFrequencies(levels, width: layout.spans[c].width) }
        var sampler = BatchSampler(rows: data.rows, levels: options.trainingBySampling ? levels : nil, rng: rng.child("batches"))
        let batch = effectiveBatchSize(rows: data.rows)
        var noiseRng = rng.child("noise"), gumbelRng = rng.child("gumbel"), penaltyRng = rng.child("penalty"), validationRng = rng.child("validation")
        generator.setTraining(true)
        discriminator.setTraining(true)

        var log: [TrainingLogRow] = []
        var best: ValidationScore? = nil
        var kept: (step: Int, score: ValidationScore, state: [[Float]])? = nil
        let totalSteps = options.trainingSteps(rows: data.rows)
        // The generator restored on divergence: the average when there is one, as a kept one would be.
        var lastGood = (step: 0, state: snapshot())
        var average = options.averageDecay.flatMap { $0 > 0 ? WeightAverage(decay: $0, state: lastGood.state) : nil }
        let generatorState = generator.namedState()  // updated in place by the optimiser and batch norm
        var validationsWithoutImprovement = 0
        var step = 0
        while step < totalSteps {
            var d = DiscriminatorStats(loss: 0, gradientPenalty: 0, gradientNorm: 0)
            for _ in 0..<max(options.criticSteps, 1) {
                let indices = sampler.next(batch)
                d = discriminatorStep(real: realBatch(data, indices), noiseRng: &noiseRng, gumbelRng: &gumbelRng, penaltyRng: &penaltyRng)
            }
            let conditionIndices = conditionSpan == nil ? nil : sampler.next(batch)
            let g = generatorStep(batch: batch, condition: conditionIndices.map { realBatch(data, $0) }, correlation: correlation,
                                  marginal: marginal, step: step, noiseRng: &noiseRng, gumbelRng: &gumbelRng)
            step += 1
            average?.update(with: generatorState, step: step)
            // Each loss term is named as its column with spaces ("generator loss", "correlation loss").
            let checked = [("critic loss", d.loss)] + g.terms.map { ($0.name.replacingOccurrences(of: "_", with: " "), $0.value) }
                + [("critic gradient norm", d.gradientNorm), ("generator gradient norm", g.gradientNorm)]
            for (name, value) in checked where !value.isFinite {
                restore(lastGood.state)
                throw TrainingDivergedError(step: step, quantity: name, lastGoodStep: lastGood.step)
            }
            var validation: ValidationScore? = nil
            let validates = validator != nil && options.validateEvery > 0 && (step % options.validateEvery == 0 || step == totalSteps)
            if validates, let validator {
                let raw = average.map { _ in snapshot() }
                if let average { restore(average.state) }
                defer { if let raw { restore(raw) } }
                let score = validator.score(self, rng: &validationRng)
                validation = score
                if best == nil || score.value < best!.value {
                    best = score
                    validationsWithoutImprovement = 0
                } else {
                    validationsWithoutImprovement += 1
                }
                if score.value <= best!.value + best!.standardError { kept = (step, score, snapshot()) }
            }
            if step % max(options.logEvery, 1) == 0 || step == totalSteps || validates {
                lastGood = (step, average?.state ?? snapshot())
                let scalars = [NamedScalar("discriminator_loss", d.loss)] + g.terms + [
                    NamedScalar("gradient_penalty", d.gradientPenalty), NamedScalar("discriminator_grad_norm", d.gradientNorm),
                    NamedScalar("generator_grad_norm", g.gradientNorm)]
                let row = TrainingLogRow(step: step, scalars: scalars, validation: validation)
                log.append(row)
                onLog(row)
            }
            if let patience = options.earlyStoppingPatience, validates, validationsWithoutImprovement > patience { break }
        }
        if let kept { restore(kept.state) } else if let average { restore(average.state) }
        return TrainingOutcome(log: log, stepsRun: step, plannedSteps: totalSteps, keptStep: kept?.step ?? step, keptScore: kept?.score)
    }

    /// Batch size used for `rows` training rows: at most the row count, a multiple of `pac`.
    public func effectiveBatchSize(rows: Int) -> Int {
        let b = min(options.batchSize, rows)
        return max(options.pac, b - b % options.pac)
    }

    func realBatch(_ data: TrainingData, _ indices: [Int]) -> Tensor {
        let w = layout.width
        let t = Tensor(uninitializedShape: [indices.count, w])
        data.encoded.withUnsafeBufferPointer { src in
            for (r, i) in indices.enumerated() { (t.data + r * w).update(from: src.baseAddress! + i * w, count: w) }
        }
        return t
    }

    func conditionOf(_ rows: Tensor) -> Tensor? {
        conditionSpan.map { rows.slice(columns: layout.spans[$0].range).detached() }
    }

    /// One critic update on a real batch against a fresh fake batch.
    func discriminatorStep(real: Tensor, noiseRng: inout RandomStream, gumbelRng: inout RandomStream,
                           penaltyRng: inout RandomStream) -> DiscriminatorStats {
        let n = real.shape[0]
        let fake = GradMode.withoutGrad {
            generate(noise: noise(n, rng: &noiseRng), condition: conditionOf(real), hard: false, rng: &gumbelRng)
        }
        var penalty: Float = 0
        let loss: Tensor
        switch options.loss {
        case .bce:
            let realScores = discriminator(real), fakeScores = discriminator(fake)
            loss = binaryCrossEntropy(logits: realScores, labels: Tensor(shape: realScores.shape, repeating: options.labelSmoothing))
                + binaryCrossEntropy(logits: fakeScores, labels: Tensor(shape: fakeScores.shape, repeating: 0))
        case .hinge:
            loss = (1 - discriminator(real)).relu().mean() + (1 + discriminator(fake)).relu().mean()
        case .wganGP:
            let wasserstein = discriminator(fake).mean() - discriminator(real).mean()
            let gp = gradientPenalty(real: real, fake: fake, rng: &penaltyRng)
            penalty = gp.item
            loss = wasserstein + gp * options.gradientPenalty
        }
        let norm = update(discriminatorOptimizer, loss: loss)
        return DiscriminatorStats(loss: loss.item, gradientPenalty: penalty, gradientNorm: norm)
    }

    /// mean over packed rows of (‖∇ D(x̂)‖ − 1)², x̂ = α·real + (1 − α)·fake, α ~ U(0, 1) per pack.
    func gradientPenalty(real: Tensor, fake: Tensor, rng: inout RandomStream) -> Tensor {
        let n = real.shape[0], pac = options.pac
        let alpha = Tensor(uninitializedShape: [n, 1])
        for p in 0..<(n / pac) {
            let a = Float(rng.nextUniform())
            for r in 0..<pac { alpha.data[p * pac + r] = a }
        }
        let mixed = GradMode.withoutGrad { real * alpha + fake * (1 - alpha) }.requiringGrad()
        let scores = discriminator(mixed).sum()
        let g = gradients(of: scores, withRespectTo: [mixed], createGraph: true)[0]
        let packed = g.reshaped([n / pac, pac * layout.width])
        let norms = ((packed * packed).sum(axis: 1) + 1e-12).sqrt()
        return ((norms - 1) * (norms - 1)).mean()
    }

    /// One generator update: adversarial term plus λ·correlation term (skipped entirely when λ = 0)
    /// plus μ·marginal term (likewise).
    func generatorStep(batch: Int, condition: Tensor?, correlation: CorrelationTargets, marginal: MarginalLoss?, step: Int,
                       noiseRng: inout RandomStream, gumbelRng: inout RandomStream) -> GeneratorStats {
        let conditionVectors = condition.flatMap(conditionOf)
        let fake = generate(noise: noise(batch, rng: &noiseRng), condition: conditionVectors, hard: false, rng: &gumbelRng)
        let scores = discriminator(fake)
        let adversarial: Tensor
        switch options.loss {
        case .bce: adversarial = binaryCrossEntropy(logits: scores, labels: Tensor(shape: scores.shape, repeating: 1))
        case .wganGP, .hinge: adversarial = -scores.mean()
        }
        var loss = adversarial
        var correlationValue: Float = 0
        let lambda = options.correlation.weight(atStep: step)
        if lambda > 0, let term = correlationTerm(fake, correlation: correlation, conditions: conditionVectors) {
            correlationValue = term.item
            loss = loss + term * lambda
        }
        var terms = [NamedScalar("generator_loss", adversarial.item), NamedScalar("correlation_loss", correlationValue)]
        if let marginal, let mu = options.marginalWeight, mu > 0 {
            let term = marginal.value(fake)
            terms.append(NamedScalar("marginal_loss", term.item))
            loss = loss + term * mu
        }
        let norm = update(generatorOptimizer, loss: loss)
        return GeneratorStats(terms: terms, gradientNorm: norm)
    }

    /// The unweighted correlation loss of a generated batch, or nil when there is none to apply.
    func correlationTerm(_ fake: Tensor, correlation: CorrelationTargets, conditions: Tensor?) -> Tensor? {
        switch correlation {
        case .none: return nil
        case .global(let loss): return fake.shape[0] >= 2 ? loss.value(fake) : nil
        case .perClass(let losses):
            guard let conditions else { return nil }
            let k = conditions.shape[1]
            var groups = [[Int]](repeating: [], count: k)
            for r in 0..<conditions.shape[0] {
                for c in 0..<k where conditions.data[r * k + c] > 0.5 { groups[c].append(r) }
            }
            var total: Tensor? = nil
            let n = Float(conditions.shape[0])
            for (c, rows) in groups.enumerated() where rows.count >= 3 {
                guard c < losses.count, let loss = losses[c] else { continue }
                let term = loss.value(fake.selectRows(rows)) * (Float(rows.count) / n)
                total = total.map { $0 + term } ?? term
            }
            return total
        }
    }

    /// Gradients of `loss` for the optimiser's parameters only, optional clipping, one update.
    func update(_ optimizer: Adam, loss: Tensor) -> Float {
        let params = optimizer.parameters
        let grads = gradients(of: loss, withRespectTo: params)
        for (p, g) in zip(params, grads) { p.grad = g }
        let norm = options.gradientClipNorm.map { clipGradientNorm(params, maxNorm: $0) } ?? gradientNorm(params)
        if norm.isFinite { optimizer.step() }
        return norm
    }

    func snapshot() -> [[Float]] { generator.namedState().map { $0.1.scalars } }

    func restore(_ state: [[Float]]) {
        for ((_, t), values) in zip(generator.namedState(), state) {
            values.withUnsafeBufferPointer { t.data.update(from: $0.baseAddress!, count: t.count) }
        }
    }
}

/// An exponential moving average of the generator's state (parameters and normalisation
/// buffers). The decay ramps up as min(decay, (1 + t) / (10 + t)) so that the first steps, far
/// from the random initialisation, do not dominate (the warm-up of TensorFlow's moving averages).
struct WeightAverage {
    let decay: Float
    private(set) var state: [[Float]]

    init(decay: Float, state: [[Float]]) {
        self.decay = decay
        self.state = state
    }

    mutating func update(with current: [(String, Tensor)], step: Int) {
        let beta = min(decay, Float(1 + step) / Float(10 + step))
        for (i, (_, tensor)) in current.enumerated() {
            let source = tensor.data
            state[i].withUnsafeMutableBufferPointer { average in
                for j in average.indices { average[j] += (1 - beta) * (source[j] - average[j]) }
            }
        }
    }
}

/// Draws training batches: shuffled epochs, or (training-by-sampling) a condition level with
/// probability ∝ log(1 + count) and then a row of that level, as CTGAN does.
struct BatchSampler {
    let rows: Int
    let levelRows: [[Int]]?
    let levelWeights: [Double]
    var rng: RandomStream
    var order: [Int] = []
    var position = 0

    init(rows: Int, levels: [Int]?, rng: RandomStream) {
        self.rows = rows
        self.rng = rng
        if let levels {
            var groups = [[Int]](repeating: [], count: (levels.max() ?? 0) + 1)
            for (r, k) in levels.enumerated() { groups[k].append(r) }
            levelRows = groups
            let w = groups.map { $0.isEmpty ? 0 : log1p(Double($0.count)) }
            let total = w.reduce(0, +)
            levelWeights = w.map { $0 / total }
        } else {
            levelRows = nil
            levelWeights = []
        }
    }

    mutating func next(_ count: Int) -> [Int] {
        if let levelRows {
            return (0..<count).map { _ in
                var u = rng.nextUniform()
                var level = levelWeights.lastIndex { $0 > 0 } ?? 0
                for (k, p) in levelWeights.enumerated() where p > 0 {
                    u -= p
                    if u < 0 { level = k; break }
                }
                let group = levelRows[level]
                return group[rng.nextInt(below: group.count)]
            }
        }
        var result: [Int] = []
        result.reserveCapacity(count)
        while result.count < count {
            if position >= order.count { order = rng.permutation(rows); position = 0 }
            let take = min(count - result.count, order.count - position)
            result.append(contentsOf: order[position..<(position + take)])
            position += take
        }
        return result
    }
}
