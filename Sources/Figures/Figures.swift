// Figures: dependency-free SVG charts for TabCorr reports (heat maps, line charts, histograms, bar
// comparisons, scatter plots, image grids) and the `Figure` value that carries one of them to a file
// or into an HTML report. Every chart returns a self-contained SVG string; the same input gives
// byte-identical output. Charts only draw; they compute no statistics beyond bin counts.

import Foundation

/// Namespace of the chart functions, one per `Figures+*.swift` file:
///
/// - `heatMap(matrix:labels:title:scale:colorBarLabel:showValues:)`: F × F matrix with colour bar
///   (`.diverging` for correlations, `.diverging(limit:)` for differences, `.sequential` for attention);
/// - `lineChart(series:title:xLabel:yLabel:logY:width:height:)`: named `Series`, gaps at NaN;
/// - `histogramOverlay(real:synthetic:title:xLabel:binCount:width:height:)`: densities, shared bins;
/// - `barComparison(real:synthetic:title:xLabel:maxLevels:width:height:)`: categorical level shares;
/// - `scatter(realX:realY:syntheticX:syntheticY:title:xLabel:yLabel:maxPoints:width:height:)`;
/// - `imageGrid(rows:imageWidth:title:valueRange:pixelSize:)`: labelled rows of grayscale images.
///
/// Example figures and a report: `FIGURES_GALLERY_DIR=/tmp/fig swift test --filter GalleryTests`.
public enum Figures {
    /// Row, column, category and image-row labels longer than this are cut with an ellipsis; the
    /// full name stays in a tooltip.
    static let labelCharacterLimit = 14
}

/// One finished figure: its title (used as caption), the SVG text and the file name it is saved as.
public struct Figure: Equatable, Sendable {
    public let title: String
    public let svg: String
    /// A plain file name such as `correlation-test.svg`; no directories.
    public let fileName: String

    public init(title: String, svg: String, fileName: String) {
        self.title = title
        self.svg = svg
        self.fileName = fileName
    }

    /// Writes the SVG to `directory/fileName` atomically and returns the file's URL.
    /// - Throws: `FigureError.invalidFileName` when the name holds a path separator or is empty,
    ///   or the underlying write error.
    @discardableResult
    public func write(to directory: URL) throws -> URL {
        guard !fileName.isEmpty, !fileName.contains("/"), fileName != ".", fileName != ".." else {
            throw FigureError.invalidFileName(fileName)
        }
        let url = directory.appendingPathComponent(fileName)
        try Data(svg.utf8).write(to: url, options: .atomic)
        return url
    }
}

/// Errors raised when saving figures.
public enum FigureError: Error, CustomStringConvertible, Equatable {
    case invalidFileName(String)

    public var description: String {
        switch self {
        case .invalidFileName(let name):
            return "Figure file name '\(name)' is not a plain file name: use a name like 'heatmap.svg' without '/'."
        }
    }
}
