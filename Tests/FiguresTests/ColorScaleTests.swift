// Colour scales: endpoints, midpoint, interpolation between stops (checked by hand), clamping,
// NaN, fitted domains, and the text-contrast rule.

@testable import Figures
import XCTest

final class ColorScaleTests: XCTestCase {
    func testDivergingEndpointsAndMidpoint() {
        let scale = ColorScale.diverging
        XCTAssertEqual(scale.color(for: -1)?.hex, "#2166ac")
        XCTAssertEqual(scale.color(for: 0)?.hex, "#ffffff")
        XCTAssertEqual(scale.color(for: 1)?.hex, "#b2182b")
        XCTAssertEqual(scale.color(for: -7)?.hex, "#2166ac", "below the domain clamps to blue")
        XCTAssertEqual(scale.color(for: 3)?.hex, "#b2182b", "above the domain clamps to red")
        XCTAssertNil(scale.color(for: .nan))
    }

    func testInterpolationBetweenStops() {
        // −0.75 is halfway between stops #2166ac (−1) and #92c5de (−0.5):
        // (33+146)/2 = 89.5 → 90 = 0x5a, (102+197)/2 = 149.5 → 150 = 0x96, (172+222)/2 = 197 = 0xc5.
        XCTAssertEqual(ColorScale.diverging.color(for: -0.75)?.hex, "#5a96c5")
        XCTAssertEqual(ColorScale.diverging(limit: 0.5).color(for: 0.5)?.hex, "#b2182b")
        XCTAssertEqual(ColorScale.diverging(limit: 0.5).color(for: 0.25)?.hex, "#f4a582")
    }

    func testSequentialFitsTheData() {
        let fitted = ColorScale.sequential.resolved(for: [0.4, .nan, 0.2, 0.3])
        XCTAssertEqual(fitted.domain, 0.2...0.4)
        XCTAssertEqual(fitted.color(for: 0.2)?.hex, "#f7fbff")
        XCTAssertEqual(fitted.color(for: 0.3)?.hex, "#6baed6")
        XCTAssertEqual(fitted.color(for: 0.4)?.hex, "#08306b")
        // A constant matrix still gets a non-empty domain; a fixed domain is kept.
        XCTAssertEqual(ColorScale.sequential.resolved(for: [2, 2]).domain, 1.5...2.5)
        XCTAssertEqual(ColorScale.sequential(domain: 0...1).resolved(for: [5]).domain, 0...1)
    }

    func testLuminanceAndContrastingText() {
        XCTAssertEqual(RGB(red: 255, green: 255, blue: 255).luminance, 1, accuracy: 1e-12)
        XCTAssertEqual(RGB(red: 0, green: 0, blue: 0).luminance, 0, accuracy: 1e-12)
        XCTAssertEqual(RGB(red: 0x08, green: 0x30, blue: 0x6b).contrastingText, "#ffffff")
        XCTAssertEqual(RGB(red: 0xf7, green: 0xfb, blue: 0xff).contrastingText, "#111111")
        XCTAssertEqual(RGB(red: 10, green: 171, blue: 255).hex, "#0aabff")
    }
}
