/// Where a chart's marks go: scales the table's values into an SVG box, with a few
/// round ticks, reference lines for baseline and target, and a gap wherever a value is
/// hidden or missing. Plain numbers for the chart template to place.
struct ChartLayout {
    struct Tick { let x: String, y: String, label: String }
    struct Reference { let kind: String, left: String, right: String, y: String, labelY: String, label: String }
    struct Bar { let x: String, y: String, width: String, height: String, label: String, value: String }
    struct Segment { let points: String }
    struct Dot { let x: String, y: String, label: String, value: String }
    struct Label { let x: String, y: String, text: String }

    let id: String
    let title: String
    let summary: String
    let tableCaption: String
    let width = 640
    let height = 300
    let left = 56.0
    let right = 624.0
    let top = 16.0
    let bottom = 250.0
    var ticks: [Tick] = []
    var references: [Reference] = []
    var bars: [Bar] = []
    var segments: [Segment] = []
    var dots: [Dot] = []
    var labels: [Label] = []
    var gaps = false

    init(_ chart: ReportChart, table: ReportTable) {
        id = chart.id
        title = chart.title
        summary = chart.summary
        tableCaption = table.caption
        let points = chart.points(in: table)
        gaps = points.contains { $0.value == nil }
        let values = points.compactMap(\.value) + [chart.baseline, chart.target].compactMap { $0 }
        var low = chart.style == .bar ? 0 : (values.min() ?? 0)
        var high = values.max() ?? 1
        if chart.style == .bar { low = min(low, 0) }
        if high == low { (low, high) = (low - 1, high + 1) }
        let step = Self.niceStep((high - low) / 4)
        low = (low / step).rounded(.down) * step
        high = (high / step).rounded(.up) * step
        let (left, right, top, bottom) = (self.left, self.right, self.top, self.bottom)
        func y(_ value: Double) -> Double { bottom - (value - low) / (high - low) * (bottom - top) }
        var tick = low
        while tick <= high + step / 2 {
            ticks.append(Tick(x: Self.text(left - 6), y: Self.text(y(tick)), label: ReportNumber.format(tick)))
            tick += step
        }
        for (kind, value) in [("baseline", chart.baseline), ("target", chart.target)] {
            guard let value else { continue }
            references.append(Reference(
                kind: kind, left: Self.text(left), right: Self.text(right), y: Self.text(y(value)), labelY: Self.text(y(value) - 4),
                label: "\(kind) \(ReportNumber.format(value))"))
        }
        let slot = (right - left) / Double(max(points.count, 1))
        // Label every point when they fit, else about ten of them, each cut to its room
        // (about 6.5 px a character; the full label is in the bar's title and the table).
        let labelEvery = max(1, Int((Double(points.count) / 10).rounded(.up)))
        let room = max(3, Int(slot * Double(labelEvery) / 6.5))
        var run: [String] = []
        for (index, point) in points.enumerated() {
            let center = left + slot * (Double(index) + 0.5)
            if index % labelEvery == 0 {
                let text = point.label.count > room ? point.label.prefix(room - 1) + "…" : point.label
                labels.append(Label(x: Self.text(center), y: Self.text(bottom + 18), text: text))
            }
            guard let value = point.value else {
                if run.count > 1 { segments.append(Segment(points: run.joined(separator: " "))) }
                run = []
                continue
            }
            let shown = ReportNumber.format(value)
            switch chart.style {
            case .bar:
                let barWidth = slot * 0.7
                bars.append(Bar(
                    x: Self.text(center - barWidth / 2), y: Self.text(y(value)), width: Self.text(barWidth),
                    height: Self.text(max(y(low) - y(value), 0)), label: point.label, value: shown))
            case .line:
                run.append("\(Self.text(center)),\(Self.text(y(value)))")
                dots.append(Dot(x: Self.text(center), y: Self.text(y(value)), label: point.label, value: shown))
            }
        }
        if run.count > 1 { segments.append(Segment(points: run.joined(separator: " "))) }
    }

    /// 1, 2 or 5 times a power of ten.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        let fraction = raw / magnitude
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude
    }

    static func text(_ value: Double) -> String {
        String((value * 10).rounded() / 10)
    }
}
