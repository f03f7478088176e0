// Elementwise add, subtract, multiply and divide with numpy-style broadcasting (rank ≤ 3, shapes
// aligned on the right). Broadcasting is undone in backward by one helper, `sumTo` (tinygrad's
// idea); `sumTo` and `expand` are each other's backward.

/// Shape of the broadcast of `a` and `b`, or a precondition failure naming the op and shapes.
func broadcastShape(_ a: [Int], _ b: [Int], op: String) -> [Int] {
    let rank = max(a.count, b.count)
    let pa = Array(repeating: 1, count: rank - a.count) + a
    let pb = Array(repeating: 1, count: rank - b.count) + b
    return (0..<rank).map { i in
        shapeCheck(pa[i] == pb[i] || pa[i] == 1 || pb[i] == 1,
                   "\(op): shapes \(a) and \(b) cannot be broadcast together")
        return max(pa[i], pb[i])
    }
}

/// Element strides of `shape` seen through the rank-3 padded `target`, 0 along broadcast axes.
@inline(__always)
func broadcastStrides(_ shape: [Int], to target: [Int]) -> (Int, Int, Int) {
    let p = Array(repeating: 1, count: 3 - shape.count) + shape
    let t = Array(repeating: 1, count: 3 - target.count) + target
    let s2 = p[2] == t[2] ? 1 : 0
    let s1 = p[1] == t[1] ? p[2] : 0
    let s0 = p[0] == t[0] ? p[1] * p[2] : 0
    return (s0, s1, s2)
}

@usableFromInline enum BinaryOp { case add, sub, mul, div }

/// Rows (or elements, for equal shapes) per parallel chunk of an elementwise op: a size-only
/// split, and every output element is computed alone, so results never depend on the thread count.
private let elementsPerChunk = 32_768

/// One elementwise operation as a type, so each kernel below is specialised for it: a captured
/// closure would stay an indirect call per element inside the worker pool's chunks.
private protocol ElementwiseOp: SendableMetatype { static func apply(_ x: Float, _ y: Float) -> Float }
private enum Add: ElementwiseOp { @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x + y } }
private enum Subtract: ElementwiseOp { @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x - y } }
private enum Multiply: ElementwiseOp { @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x * y } }
private enum Divide: ElementwiseOp { @inline(__always) static func apply(_ x: Float, _ y: Float) -> Float { x / y } }

/// out = a ∘ b with broadcasting; the op is resolved once, outside the loops, so each inner loop
/// is a plain contiguous loop the compiler vectorises. Large outputs are split across threads.
func binaryForward(_ op: BinaryOp, _ a: Tensor, _ b: Tensor, name: String) -> Tensor {
    switch op {
    case .add: return broadcastApply(Add.self, a, b, name: name)
    case .sub: return broadcastApply(Subtract.self, a, b, name: name)
    case .mul: return broadcastApply(Multiply.self, a, b, name: name)
    case .div: return broadcastApply(Divide.self, a, b, name: name)
    }
}

private func broadcastApply<Op: ElementwiseOp>(_: Op.Type, _ a: Tensor, _ b: Tensor, name: String) -> Tensor {
    let shape = a.shape == b.shape ? a.shape : broadcastShape(a.shape, b.shape, op: name)
    let out = Tensor(uninitializedShape: shape)
    let po = SendablePointer(out.data), px = SendableConstPointer(a.data), py = SendableConstPointer(b.data)
    if a.shape == b.shape {
        let count = out.count
        Parallel.forEach(chunks: (count + elementsPerChunk - 1) / elementsPerChunk) { chunk in
            let start = chunk * elementsPerChunk, end = min(count, start + elementsPerChunk)
            let o = po.base, x = px.base, y = py.base
            for i in start..<end { o[i] = Op.apply(x[i], y[i]) }
        }
        return out
    }
    let (_, d1, d2) = out.dims3
    let (a0, a1, a2) = broadcastStrides(a.shape, to: shape)
    let (b0, b1, b2) = broadcastStrides(b.shape, to: shape)
    let rows = out.count / max(d2, 1), rowsPerChunk = max(1, elementsPerChunk / max(d2, 1))
    Parallel.forEach(chunks: (rows + rowsPerChunk - 1) / rowsPerChunk) { chunk in
        for r in (chunk * rowsPerChunk)..<min(rows, (chunk + 1) * rowsPerChunk) {
            let i = r / d1, j = r - i * d1
            let ra = px.base + i * a0 + j * a1, rb = py.base + i * b0 + j * b1, o = po.base + r * d2
            if a2 == 1 && b2 == 1 {
                for l in 0..<d2 { o[l] = Op.apply(ra[l], rb[l]) }
            } else if a2 == 1 {
                let v = rb[0]
                for l in 0..<d2 { o[l] = Op.apply(ra[l], v) }
            } else if b2 == 1 {
                let v = ra[0]
                for l in 0..<d2 { o[l] = Op.apply(v, rb[l]) }
            } else {
                let v = Op.apply(ra[0], rb[0])
                for l in 0..<d2 { o[l] = v }
            }
        }
    }
    return out
}

extension Tensor {
    /// Sums broadcast axes away so the result has `shape` (which must broadcast to self's shape).
    public func sumTo(_ target: [Int]) -> Tensor {
        if target == shape { return self }
        shapeCheck(broadcastShape(target, shape, op: "sumTo") == shape,
                   "sumTo: shape \(target) does not broadcast to \(shape)")
        let out = Tensor(shape: target, repeating: 0)
        let (d0, d1, d2) = dims3
        let (s0, s1, s2) = broadcastStrides(target, to: shape)
        let o = out.data, x = data
        var k = 0
        for i in 0..<d0 {
            for j in 0..<d1 {
                let row = o + i * s0 + j * s1
                if s2 == 1 {
                    addRow(x + k, into: row, count: d2)
                } else {
                    var acc: Float = 0
                    for l in 0..<d2 { acc += x[k + l] }
                    row[0] += acc
                }
                k += d2
            }
        }
        let input = shape
        return out.record("sumTo", [self]) { g, _, _ in [g.expand(to: input)] }
    }

    /// Repeats along broadcast axes to reach `target` (the inverse direction of `sumTo`).
    public func expand(to target: [Int]) -> Tensor {
        if target == shape { return self }
        let full = GradMode.withoutGrad {
            binaryForward(.add, Tensor(shape: target, repeating: 0), self, name: "expand")
        }
        shapeCheck(full.shape == target, "expand: shape \(shape) cannot expand to \(target)")
        let input = shape
        return full.record("expand", [self]) { g, _, _ in [g.sumTo(input)] }
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor {
        binaryForward(.add, a, b, name: "add").record("add", [a, b]) { g, _, needs in
            [needs[0] ? g.sumTo(a.shape) : nil, needs[1] ? g.sumTo(b.shape) : nil]
        }
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        binaryForward(.sub, a, b, name: "sub").record("sub", [a, b]) { g, _, needs in
            [needs[0] ? g.sumTo(a.shape) : nil, needs[1] ? (-g).sumTo(b.shape) : nil]
        }
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        binaryForward(.mul, a, b, name: "mul").record("mul", [a, b]) { g, _, needs in
            [needs[0] ? (g * b).sumTo(a.shape) : nil, needs[1] ? (g * a).sumTo(b.shape) : nil]
        }
    }

    public static func / (a: Tensor, b: Tensor) -> Tensor {
        binaryForward(.div, a, b, name: "div").record("div", [a, b]) { g, _, needs in
            [needs[0] ? (g / b).sumTo(a.shape) : nil,
             needs[1] ? (-(g * a) / (b * b)).sumTo(b.shape) : nil]
        }
    }

    public static prefix func - (a: Tensor) -> Tensor { a * -1 }

    public static func + (a: Tensor, s: Float) -> Tensor {
        a.mapScalar("addScalar", { $0 + s }) { g, _ in g }
    }
    public static func - (a: Tensor, s: Float) -> Tensor { a + (-s) }
    public static func + (s: Float, a: Tensor) -> Tensor { a + s }
    public static func - (s: Float, a: Tensor) -> Tensor { (a * -1) + s }

    public static func * (a: Tensor, s: Float) -> Tensor {
        a.mapScalar("mulScalar", { $0 * s }) { g, _ in g * s }
    }
    public static func * (s: Float, a: Tensor) -> Tensor { a * s }
    public static func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }
    public static func / (s: Float, a: Tensor) -> Tensor { a.pow(-1) * s }

    /// Applies `f` elementwise; `derivative(grad, output)` gives the input gradient with
    /// differentiable ops (so second-order gradients stay exact).
    @inline(__always)
    func mapScalar(_ name: String, _ f: (Float) -> Float,
                   derivative: @escaping (_ grad: Tensor, _ output: Tensor) -> Tensor) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let o = out.data, x = data
        for i in 0..<count { o[i] = f(x[i]) }
        return out.record(name, [self]) { g, y, _ in [derivative(g, y)] }
    }
}

/// row[l] += source[l] for l in 0..<count, 16 lanes at a time (the two must not overlap).
@inline(__always)
func addRow(_ source: UnsafePointer<Float>, into row: UnsafeMutablePointer<Float>, count: Int) {
    var l = 0
    while l + 16 <= count {
        storeVector(loadVector(row + l) + loadVector(source + l), row + l)
        l += 16
    }
    while l < count {
        row[l] += source[l]
        l += 1
    }
}
