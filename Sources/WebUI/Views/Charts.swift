import Foundation

/// Charts drawn on the server as SVG: no script, no external asset, readable when printed.
///
/// The geometry is computed left to right and mirrored for a right-to-left page; colours come
/// from the stylesheet through class names (`series-…`).

package enum Charts {
    /// One series of a stacked chart: its key (for the colour class) and its name.
    package struct Series: Sendable {
        package var key: String
        package var name: String

        package init(key: String, name: String) {
            self.key = key
            self.name = name
        }
    }

    /// One bar: its label and a value per series key.
    package struct Bar: Sendable {
        package var label: String
        package var values: [String: Int]

        package init(label: String, values: [String: Int]) {
            self.label = label
            self.values = values
        }

        var total: Int { values.values.reduce(0, +) }
    }

    /// Horizontal stacked bars, one per row, with their totals.
    package static func horizontal(_ bars: [Bar], series: [Series], title: String, rtl: Bool) -> HTML {
        let width = 640.0
        let labelWidth = 150.0
        let valueWidth = 50.0
        let rowHeight = 36.0
        let area = width - labelWidth - valueWidth
        let height = Double(bars.count) * rowHeight + 8
        let maximum = Double(max(1, bars.map(\.total).max() ?? 1))
        var shapes: [HTML] = []
        for (row, bar) in bars.enumerated() {
            let y = Double(row) * rowHeight + 6
            var offset = 0.0
            for item in series {
                let value = bar.values[item.key] ?? 0
                guard value > 0 else { continue }
                let length = area * Double(value) / maximum
                let x = mirror(labelWidth + offset, length, width: width, rtl: rtl)
                shapes.append(
                    rect(
                        x,
                        y,
                        length,
                        rowHeight - 12,
                        css: "series-\(item.key)",
                        tip: "\(bar.label) · \(item.name): \(value)"
                    )
                )
                offset += length
            }
            let textY = y + rowHeight / 2
            shapes.append(text(bar.label, x: rtl ? width - 6 : 6, y: textY, anchor: rtl ? "end" : "start", css: "axis"))
            let valueX = mirror(labelWidth + offset + 6, 0, width: width, rtl: rtl)
            shapes.append(text(String(bar.total), x: valueX, y: textY, anchor: rtl ? "end" : "start", css: "value"))
        }
        return svg(title: title, width: width, height: height, shapes)
    }

    /// Vertical stacked columns, one per label (such as a week), labels under them.
    package static func columns(_ bars: [Bar], series: [Series], title: String, rtl: Bool) -> HTML {
        let width = 640.0
        let height = 240.0
        let bottom = 40.0
        let top = 16.0
        let step = width / Double(max(1, bars.count))
        let maximum = Double(max(1, bars.map(\.total).max() ?? 1))
        var shapes: [HTML] = [line(0, height - bottom, width, height - bottom)]
        for (index, bar) in bars.enumerated() {
            let x = mirror(Double(index) * step + step * 0.18, step * 0.64, width: width, rtl: rtl)
            var y = height - bottom
            for item in series {
                let value = bar.values[item.key] ?? 0
                guard value > 0 else { continue }
                let length = (height - bottom - top) * Double(value) / maximum
                y -= length
                shapes.append(
                    rect(
                        x,
                        y,
                        step * 0.64,
                        length,
                        css: "series-\(item.key)",
                        tip: "\(bar.label) · \(item.name): \(value)"
                    )
                )
            }
            let center = x + step * 0.32
            if bar.total > 0 {
                shapes.append(text(String(bar.total), x: center, y: y - 4, anchor: "middle", css: "value"))
            }
            shapes.append(text(bar.label, x: center, y: height - bottom + 18, anchor: "middle", css: "axis small"))
        }
        return svg(title: title, width: width, height: height, shapes)
    }

    /// The colour legend of a chart's series.
    package static func legend(_ series: [Series]) -> HTML {
        let items = series.map { item -> HTML in
            "<li><span class=\"swatch series-\(item.key)\"></span>\(item.name)</li>"
        }
        return "<ul class=\"legend\">\(items)</ul>"
    }

    // MARK: - Shapes

    private static func mirror(_ x: Double, _ length: Double, width: Double, rtl: Bool) -> Double {
        rtl ? width - x - length : x
    }

    private static func svg(title: String, width: Double, height: Double, _ shapes: [HTML]) -> HTML {
        """
        <svg class="chart" viewBox="0 0 \(number(width)) \(number(height))" role="img" direction="ltr" \
        xmlns="http://www.w3.org/2000/svg"><title>\(title)</title>\(shapes)</svg>
        """
    }

    private static func rect(
        _ x: Double,
        _ y: Double,
        _ width: Double,
        _ height: Double,
        css: String,
        tip: String
    )
        -> HTML
    {
        """
        <rect x="\(number(x))" y="\(number(y))" width="\(number(width))" height="\(number(height))" rx="3" \
        class="\(css)"><title>\(tip)</title></rect>
        """
    }

    private static func text(_ content: String, x: Double, y: Double, anchor: String, css: String) -> HTML {
        """
        <text x="\(number(x))" y="\(number(y))" text-anchor="\(anchor)" dominant-baseline="middle" \
        class="\(css)">\(content)</text>
        """
    }

    private static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) -> HTML {
        "<line x1=\"\(number(x1))\" y1=\"\(number(y1))\" x2=\"\(number(x2))\" y2=\"\(number(y2))\" class=\"baseline\"/>"
    }

    private static func number(_ value: Double) -> String {
        String((value * 10).rounded() / 10)
    }
}
