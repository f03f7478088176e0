// Fused layer and batch normalisation: one raw-buffer pass forward and one backward, instead of
// the ~10 broadcasting ops (and their backward closures) of the composed reference in NeuralNet
// (`layerNorm`, `batchStatistics`), which the tests compare against. When the backward pass is
// itself recorded (second order), the gradient is written with differentiable ops instead.

extension Tensor {
    /// Layer normalisation over the last axis: y = (x − μ) / √(σ² + ε) · gain + bias, with μ and
    /// the biased σ² taken over the last axis. Shapes: x [..., D], gain and bias [D] → [..., D].
    public func layerNormalized(gain: Tensor, bias: Tensor, epsilon: Float) -> Tensor {
        let d = shape[rank - 1], rows = count / Swift.max(d, 1)
        shapeCheck(gain.count == d && bias.count == d, "layerNormalized: gain \(gain.shape) and bias \(bias.shape) must have \(d) values for shape \(shape)")
        let out = Tensor(uninitializedShape: shape)
        let statistics = Tensor(uninitializedShape: [2, Swift.max(rows, 1)])  // mean, 1/√(σ² + ε) per row
        let px = SendableConstPointer(data), po = SendablePointer(out.data), ps = SendablePointer(statistics.data)
        let pg = SendableConstPointer(gain.data), pb = SendableConstPointer(bias.data)
        let rowsPerChunk = Swift.max(1, normalizationChunk / Swift.max(d, 1))
        Parallel.forEach(chunks: (rows + rowsPerChunk - 1) / rowsPerChunk) { chunk in
            for r in (chunk * rowsPerChunk)..<Swift.min(rows, (chunk + 1) * rowsPerChunk) {
                let x = px.base + r * d, y = po.base + r * d
                var sum: Float = 0
                for j in 0..<d { sum += x[j] }
                let mean = sum / Float(d)
                var squares: Float = 0
                for j in 0..<d { squares += (x[j] - mean) * (x[j] - mean) }
                let inverse = 1 / (squares / Float(d) + epsilon).squareRoot()
                for j in 0..<d { y[j] = (x[j] - mean) * inverse * pg.base[j] + pb.base[j] }
                ps.base[r] = mean
                ps.base[rows + r] = inverse
            }
        }
        let x = self
        return out.record("layerNorm", [self, gain, bias]) { g, _, needs in
            if GradMode.recording {
                return normalizationBackwardOps(x: x, gain: gain, bias: bias, g: g, axis: -1, epsilon: epsilon, needs: needs)
            }
            return layerNormBackward(x: x, gain: gain, statistics: statistics, g: g, rows: rows, width: d, rowsPerChunk: rowsPerChunk, needs: needs)
        }
    }

    /// Batch normalisation over axis 0 with the batch's own statistics:
    /// y = (x − μ) / √(σ² + ε) · gain + bias, μ and biased σ² per column.
    /// Shapes: x [N, D], gain and bias [D] → y [N, D], and μ, σ² [D] as constants.
    public func batchNormalized(gain: Tensor, bias: Tensor, epsilon: Float) -> (output: Tensor, mean: Tensor, variance: Tensor) {
        shapeCheck(rank == 2, "batchNormalized: expects [N, D], got shape \(shape)")
        let (n, d) = (shape[0], shape[1])
        shapeCheck(gain.count == d && bias.count == d, "batchNormalized: gain \(gain.shape) and bias \(bias.shape) must have \(d) values")
        let mean = Tensor(shape: [d], repeating: 0), variance = Tensor(shape: [d], repeating: 0)
        let inverse = Tensor(uninitializedShape: [d])
        let out = Tensor(uninitializedShape: shape)
        let mu = mean.data, v = variance.data, s = inverse.data, x = data, y = out.data
        for i in 0..<n { addRow(x + i * d, into: mu, count: d) }
        for j in 0..<d { mu[j] /= Float(n) }
        for i in 0..<n {
            let row = x + i * d
            for j in 0..<d { v[j] += (row[j] - mu[j]) * (row[j] - mu[j]) }
        }
        for j in 0..<d {
            v[j] /= Float(n)
            s[j] = 1 / (v[j] + epsilon).squareRoot()
        }
        let gm = gain.data, bs = bias.data
        for i in 0..<n {
            let row = x + i * d, o = y + i * d
            for j in 0..<d { o[j] = (row[j] - mu[j]) * s[j] * gm[j] + bs[j] }
        }
        let input = self
        let output = out.record("batchNorm", [self, gain, bias]) { g, _, needs in
            if GradMode.recording {
                return normalizationBackwardOps(x: input, gain: gain, bias: bias, g: g, axis: 0, epsilon: epsilon, needs: needs)
            }
            return batchNormBackward(x: input, gain: gain, mean: mean, inverse: inverse, g: g, needs: needs)
        }
        return (output, mean, variance)
    }
}

/// Row elements per parallel chunk of layer normalisation (a size-only split).
private let normalizationChunk = 16_384

/// dx̂ = g·gain; dx = (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) / √(σ² + ε), means over the normalised
/// axis; dgain = Σ g·x̂ and dbias = Σ g over the other axes. Written with ops (second order).
private func normalizationBackwardOps(x: Tensor, gain: Tensor, bias: Tensor, g: Tensor, axis: Int, epsilon: Float, needs: [Bool]) -> [Tensor?] {
    let centred = x - x.mean(axis: axis)
    let inverse = 1 / ((centred * centred).mean(axis: axis) + epsilon).sqrt()
    let normalised = centred * inverse
    let dNormalised = g * gain
    let dx = needs[0]
        ? inverse * (dNormalised - dNormalised.mean(axis: axis) - normalised * (dNormalised * normalised).mean(axis: axis))
        : nil
    return [dx, needs[1] ? (g * normalised).sumTo(gain.shape) : nil, needs[2] ? g.sumTo(bias.shape) : nil]
}

/// The same formula on raw buffers for layer normalisation. Gain and bias gradients are summed
/// per chunk, then the chunk sums are added in chunk order (fixed whatever the thread count).
private func layerNormBackward(x: Tensor, gain: Tensor, statistics: Tensor, g: Tensor, rows: Int, width d: Int,
                               rowsPerChunk: Int, needs: [Bool]) -> [Tensor?] {
    let chunks = (rows + rowsPerChunk - 1) / rowsPerChunk
    let dx = Tensor(uninitializedShape: x.shape)
    let partial = Tensor(shape: [Swift.max(chunks, 1), 2 * d], repeating: 0)  // Σ g·x̂, Σ g per chunk
    let px = SendableConstPointer(x.data), pg = SendableConstPointer(g.data), ps = SendableConstPointer(statistics.data)
    let pgain = SendableConstPointer(gain.data), pdx = SendablePointer(dx.data), pp = SendablePointer(partial.data)
    Parallel.forEach(chunks: chunks) { chunk in
        let sums = pp.base + chunk * 2 * d
        for r in (chunk * rowsPerChunk)..<Swift.min(rows, (chunk + 1) * rowsPerChunk) {
            let xr = px.base + r * d, gr = pg.base + r * d, out = pdx.base + r * d
            let mean = ps.base[r], inverse = ps.base[rows + r]
            var meanD: Float = 0, meanDX: Float = 0
            for j in 0..<d {
                let normalised = (xr[j] - mean) * inverse, dNormalised = gr[j] * pgain.base[j]
                meanD += dNormalised
                meanDX += dNormalised * normalised
                sums[j] += gr[j] * normalised
                sums[d + j] += gr[j]
            }
            meanD /= Float(d)
            meanDX /= Float(d)
            for j in 0..<d {
                let normalised = (xr[j] - mean) * inverse
                out[j] = inverse * (gr[j] * pgain.base[j] - meanD - normalised * meanDX)
            }
        }
    }
    let total = Tensor(shape: [2 * d], repeating: 0)
    for chunk in 0..<chunks { addRow(partial.data + chunk * 2 * d, into: total.data, count: 2 * d) }
    return [needs[0] ? dx : nil, needs[1] ? total.slicedCopy(0, d) : nil, needs[2] ? total.slicedCopy(d, d) : nil]
}

/// The same formula on raw buffers for batch normalisation (means over the rows).
private func batchNormBackward(x: Tensor, gain: Tensor, mean: Tensor, inverse: Tensor, g: Tensor, needs: [Bool]) -> [Tensor?] {
    let (n, d) = (x.shape[0], x.shape[1])
    let dGain = Tensor(shape: [d], repeating: 0), dBias = Tensor(shape: [d], repeating: 0)
    let mu = mean.data, s = inverse.data, gm = gain.data, sg = dGain.data, sb = dBias.data
    for i in 0..<n {
        let xr = x.data + i * d, gr = g.data + i * d
        for j in 0..<d {
            sg[j] += gr[j] * (xr[j] - mu[j]) * s[j]
            sb[j] += gr[j]
        }
    }
    var dx: Tensor? = nil
    if needs[0] {
        // mean(dx̂) = gain·Σg/N and mean(dx̂·x̂) = gain·Σ g·x̂ / N, per column.
        let out = Tensor(uninitializedShape: x.shape)
        let scaleN = 1 / Float(n)
        for i in 0..<n {
            let xr = x.data + i * d, gr = g.data + i * d, o = out.data + i * d
            for j in 0..<d {
                let normalised = (xr[j] - mu[j]) * s[j]
                o[j] = s[j] * gm[j] * (gr[j] - sb[j] * scaleN - normalised * sg[j] * scaleN)
            }
        }
        dx = out
    }
    return [dx, needs[1] ? dGain : nil, needs[2] ? dBias : nil]
}

extension Tensor {
    /// A constant copy of `count` values starting at `start`, shape [count].
    fileprivate func slicedCopy(_ start: Int, _ count: Int) -> Tensor {
        let t = Tensor(uninitializedShape: [count])
        t.data.update(from: data + start, count: count)
        return t
    }
}
