// Seeded, splittable random numbers. Every random draw in TabCorr comes from a `RandomStream`
// derived from the config's seed; child streams are keyed by name, so an extra draw in one
// component never shifts another. Never uses the system generator.

import Foundation

/// SplitMix64 step: a fast 64-bit mixer used to seed and to derive child streams.
@inlinable
public func splitMix64(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// FNV-1a 64-bit hash of bytes: stable across runs and platforms (unlike `Hasher`). Names child
/// random streams and checksums parameter files and checkpoints.
@inlinable
public func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01B3
    }
    return hash
}

/// FNV-1a hash of a name's UTF-8 bytes.
@inlinable
public func stableHash(_ name: String) -> UInt64 { fnv1a64(name.utf8) }

/// xoshiro256** generator seeded through SplitMix64, with named child streams.
///
/// ```swift
/// var root = RandomStream(seed: 7)
/// var noise = root.child("generator.noise")   // independent of every other child
/// let z = noise.nextNormal()
/// ```
public struct RandomStream: RandomNumberGenerator, Sendable {
    @usableFromInline var s0, s1, s2, s3: UInt64
    /// The 64-bit key this stream was created from; children derive theirs from it.
    public let key: UInt64

    /// A stream determined entirely by `seed`.
    public init(seed: UInt64) {
        key = seed
        var sm = seed
        s0 = splitMix64(&sm); s1 = splitMix64(&sm); s2 = splitMix64(&sm); s3 = splitMix64(&sm)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    /// An independent stream named `name`; depends only on this stream's key and the name,
    /// never on how many numbers this stream has drawn.
    public func child(_ name: String) -> RandomStream {
        var mix = key ^ stableHash(name)
        return RandomStream(seed: splitMix64(&mix))
    }

    /// An independent stream numbered `index` (e.g. one per worker or per seed).
    public func child(_ index: Int) -> RandomStream { child("#\(index)") }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1) with 53 bits of precision.
    @inlinable
    public mutating func nextUniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in the open interval (0, 1): safe to take the logarithm of.
    @inlinable
    public mutating func nextOpenUniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1.0p-53 }

    /// Standard normal by the Box–Muller transform (one value per call, no hidden cache,
    /// so the stream's position depends only on the number of calls).
    @inlinable
    public mutating func nextNormal() -> Double {
        let u1 = nextOpenUniform(), u2 = nextUniform()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// Standard Gumbel: −log(−log U).
    @inlinable
    public mutating func nextGumbel() -> Double { -Foundation.log(-Foundation.log(nextOpenUniform())) }

    /// Uniform integer in 0..<bound without modulo bias (Lemire's method).
    @inlinable
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "nextInt(below:) needs a positive bound, got \(bound)")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// A uniformly random permutation of 0..<count (Fisher–Yates).
    public mutating func permutation(_ count: Int) -> [Int] {
        var p = Array(0..<count)
        if count < 2 { return p }
        for i in stride(from: count - 1, to: 0, by: -1) { p.swapAt(i, nextInt(below: i + 1)) }
        return p
    }

    /// `count` indices drawn uniformly with replacement from 0..<population.
    public mutating func sampleWithReplacement(_ count: Int, from population: Int) -> [Int] {
        (0..<count).map { _ in nextInt(below: population) }
    }

    /// Fills `buffer` with standard normal Float values.
    public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>, mean: Float = 0, std: Float = 1) {
        for i in buffer.indices { buffer[i] = mean + std * Float(nextNormal()) }
    }

    /// Fills `buffer` with uniform Float values in [low, high).
    public mutating func fillUniform(_ buffer: UnsafeMutableBufferPointer<Float>, low: Float, high: Float) {
        for i in buffer.indices { buffer[i] = low + (high - low) * Float(nextUniform()) }
    }
}
