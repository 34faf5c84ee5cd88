import ArgumentParser
import Foundation
import ILCAnalysis
import ILCCore

/// Knowledge sharing's figures on a generated network: how often the planted source is
/// among a planted target's suggestions, and how long matching every collective takes.
struct BenchSharing: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sharing",
        abstract: "Match collectives of a generated network with planted pairs; report precision and speed.")

    @Option(help: "Tenants of the network.")
    var tenants = 60

    @Option(help: "Collectives per tenant.")
    var collectives = 100

    @Option(help: "Planted pairs (a target and the source it should find).")
    var planted = 300

    @Option(help: "Seed of the generated network.")
    var seed: UInt64 = 1

    func validate() throws {
        guard tenants > 0, collectives > 0, planted >= 0 else { throw ValidationError("counts must be positive") }
    }

    func run() throws {
        let network = SharingNetworkGenerator(tenants: tenants, collectivesPerTenant: collectives, plantedPairs: planted, seed: seed).make()
        let start = ContinuousClock.now
        let suggestions = KnowledgeMatcher().suggestions(for: network.profiles, consent: network.consent)
        let elapsed = (ContinuousClock.now - start).timeInterval
        var byTarget: [String: [String]] = [:]
        for suggestion in suggestions { byTarget[suggestion.target, default: []].append(suggestion.source) }
        let first = network.planted.filter { byTarget[$0.key]?.first == $0.value }.count
        let withinThree = network.planted.filter { byTarget[$0.key]?.prefix(3).contains($0.value) == true }.count
        let total = max(1, network.planted.count)
        print(TextTable.render(header: ["measure", "value", "target"], rows: [
            ["network", "\(tenants) tenants × \(collectives) collectives, \(network.planted.count) planted pairs", ""],
            ["planted source first", String(format: "%.3f", Double(first) / Double(total)), ""],
            ["precision@3 (planted source in the top 3)", String(format: "%.3f", Double(withinThree) / Double(total)), "≥ 0.9"],
            ["suggestions", "\(suggestions.count) for \(byTarget.count) collectives", ""],
            ["time", String(format: "%.2f s", elapsed), "≤ 10 s (release, one core)"],
            ["peak memory (process)", String(format: "%.0f MiB", BenchGroups.peakResidentMiB()), ""],
        ]))
    }
}
