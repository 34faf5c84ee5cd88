import ILCCore

extension CollectiveProgressReport {
    func indicatorSection(threshold: Int) -> ReportSection {
        var tables = [ReportTable(
            id: "indicators", caption: "Indicators against baseline and target",
            columns: [
                .init("indicator", "Indicator"), .init("kind", "Kind"), .init("baseline", "Baseline", numeric: true),
                .init("target", "Target", numeric: true), .init("latest", "Latest", numeric: true), .init("latest_on", "Latest on"),
                .init("progress", "Toward target (%)", numeric: true),
            ],
            rows: indicators.map { indicator in
                let latest = indicator.observations.last
                let sampleSize = latest?.sampleSize
                return [
                    .text(indicator.name), .text(indicator.kind), indicator.baseline.map { .number($0, sampleSize: nil) } ?? .missing,
                    indicator.target.map { .number($0, sampleSize: nil) } ?? .missing,
                    latest.map { .number($0.value, sampleSize: $0.sampleSize) } ?? .missing, latest.map { .text($0.date) } ?? .missing,
                    Self.progress(indicator).map { .number($0 * 100, sampleSize: sampleSize) } ?? .missing,
                ]
            })]
        var charts: [ReportChart] = []
        for (index, indicator) in indicators.enumerated() {
            let tableID = "indicator-\(index + 1)"
            var rows: [[ReportCell]] = []
            if let baseline = indicator.baseline {
                rows.append([.text(indicator.baselineOn.map { "\($0) (baseline)" } ?? "baseline"), .number(baseline, sampleSize: nil)])
            }
            rows += indicator.observations.map { [.text($0.date), .number($0.value, sampleSize: $0.sampleSize)] }
            tables.append(ReportTable(
                id: tableID, caption: "\(indicator.name) over time",
                columns: [.init("date", "Date"), .init("value", "Value", numeric: true)], rows: rows))
            let toward = indicator.decreaseIsProgress ? "down" : "up"
            charts.append(ReportChart(
                id: "chart-\(tableID)", style: .line, title: indicator.name,
                summary: "\(indicator.name) at each observation; progress means going \(toward)"
                    + (indicator.target.map { " toward the target of \(ReportNumber.format($0))" } ?? "") + ".",
                tableID: tableID, labelColumn: "date", valueColumn: "value", baseline: indicator.baseline, target: indicator.target))
        }
        let paragraph = indicators.isEmpty
            ? "The placemat names no indicators yet."
            : "Values about fewer than \(threshold) people are suppressed; the charts leave a gap for them."
        return ReportSection(id: "indicators", heading: "Indicators", paragraphs: [paragraph], charts: charts, tables: tables)
    }

    static func progress(_ indicator: Indicator) -> Double? {
        IndicatorProgress.of(
            baseline: indicator.baseline, target: indicator.target, latest: indicator.observations.last?.value,
            decreaseIsProgress: indicator.decreaseIsProgress)
    }

    var evidenceSection: ReportSection {
        let counts = EvidenceCategory.allCases.map { category in
            (category, evidence.filter { $0.category == category.rawValue }.count)
        }
        let byCategory = ReportTable(
            id: "by-category", caption: "Pieces of evidence by category",
            columns: [.init("category", "Category"), .init("items", "Pieces of evidence", numeric: true)],
            rows: counts.map { [.text(ReportWording.words($0.0.rawValue)), .number(Double($0.1), sampleSize: nil)] })
        let list = ReportTable(
            id: "evidence", caption: "Evidence, oldest first",
            columns: [
                .init("observed_on", "Observed on"), .init("category", "Category"), .init("indicator", "Indicator"),
                .init("value", "Value", numeric: true), .init("summary", "Summary"),
            ],
            rows: evidence.map { item in
                [
                    .text(item.observedOn), .text(ReportWording.words(item.category)), .text(item.indicator),
                    item.value.map { .number($0, sampleSize: item.sampleSize) } ?? .missing, .text(item.summary),
                ]
            })
        return ReportSection(
            id: "evidence", heading: "Evidence",
            paragraphs: ["Evidence by Bernhardt's four categories: demographics, perceptions, student learning and school processes."],
            charts: [ReportChart(
                id: "chart-by-category", style: .bar, title: "Evidence by category",
                summary: "How many pieces of evidence the collective gathered in each category.", tableID: "by-category",
                labelColumn: "category", valueColumn: "items")],
            tables: [byCategory, list])
    }

    var reflectionSection: ReportSection {
        ReportSection(
            id: "reflections", heading: "Reflections",
            tables: [ReportTable(
                id: "reflections", caption: "What the collective noted, oldest first",
                columns: [
                    .init("date", "Date"), .init("phase", "Phase"), .init("went_well", "Went well"),
                    .init("did_not_go_well", "Did not go well"), .init("adjustments", "Adjustments"),
                ],
                rows: reflections.map {
                    [.text($0.date), .text(ReportWording.phase($0.phase)), .text($0.wentWell), .text($0.didNotGoWell), .text($0.adjustments)]
                })])
    }

    var shareSection: ReportSection {
        ReportSection(
            id: "shares", heading: "Knowledge shares received",
            paragraphs: ["Collectives elsewhere that worked on a similar problem and moved their indicators."],
            tables: [ReportTable(
                id: "shares", caption: "Suggested sources, best first",
                columns: [
                    .init("source", "Source"), .init("score", "Score", numeric: true), .init("status", "Status"),
                    .init("shared_theme", "Shared theme"),
                ],
                rows: shares.map {
                    [.text($0.source), .number($0.score, sampleSize: nil), .text($0.status), $0.sharedTheme.map { .text($0) } ?? .missing]
                })])
    }
}
