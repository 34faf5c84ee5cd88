import Foundation
import Testing

/// The deployment and monitoring files (docker-compose.yml, ops/Dockerfile, ops/k8s,
/// ops/prometheus, ops/grafana) against the code: every setting they pass is one a
/// process reads, every metric they query is one a process records, every probe path
/// is a route that exists, and every port is the one the processes listen on by default.
@Suite struct DeploymentFilesTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func files(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(directory).path)
            .sorted().map { "\(directory)/\($0)" }
    }

    /// All Swift sources of the processes, as one text.
    static func code() throws -> String {
        var all = ""
        for directory in ["Sources", "Workers"] {
            let base = root.appendingPathComponent(directory)
            let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                if url.pathExtension == "swift" { all += try String(contentsOf: url, encoding: .utf8) }
            }
        }
        return all
    }

    static func matches(_ pattern: String, in text: String) throws -> Set<String> {
        let expression = try NSRegularExpression(pattern: pattern)
        let range = NSRange(text.startIndex..., in: text)
        return Set(expression.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }

    static var deploymentFiles: [String] {
        get throws { ["docker-compose.yml", "ops/Dockerfile"] + (try files(in: "ops/k8s")) }
    }

    @Test func everySettingTheFilesPassIsReadByTheCode() throws {
        let code = try Self.code()
        // Passwords the compose file only interpolates into the URLs.
        let composeOnly: Set<String> = ["ILC_APP_PASSWORD", "ILC_OWNER_PASSWORD"]
        var checked = 0
        for file in try Self.deploymentFiles {
            for name in try Self.matches("ILC_[A-Z_]+", in: try Self.text(file)) where !composeOnly.contains(name) {
                #expect(code.contains("\"\(name)\""), "\(file) sets \(name), which no process reads")
                checked += 1
            }
        }
        #expect(checked >= 10)
    }

    @Test func everyMetricTheFilesQueryIsRecorded() throws {
        let code = try Self.code()
        let recorded = try Self.matches(#"label: "ilc_[a-z_]+""#, in: code).map { $0.dropFirst(8).dropLast() }.map(String.init)
        #expect(recorded.contains("ilc_job_wait_seconds"))
        let files = ["ops/prometheus/alerts.yml", "ops/k8s/worker-autoscaling.yaml"] + (try Self.files(in: "ops/grafana"))
        for file in files {
            let used = try Self.matches(#"ilc_[a-z_]+"#, in: try Self.text(file))
                .map { $0.replacingOccurrences(of: #"_(bucket|count|sum)$"#, with: "", options: .regularExpression) }
            #expect(!used.isEmpty, "\(file) queries no metric")
            for metric in used {
                #expect(recorded.contains(metric), "\(file) queries \(metric), which nothing records")
            }
        }
        // The dashboard is JSON Grafana can import.
        let dashboard = try JSONSerialization.jsonObject(with: Data(try Self.text("ops/grafana/ilc-queue.json").utf8)) as? [String: Any]
        #expect((dashboard?["panels"] as? [Any])?.isEmpty == false)
    }

    @Test func probesAndPortsAreTheProcessesOwn() throws {
        let code = try Self.code()
        let api = try Self.text("Sources/ILCAPI/APIRouter.swift")
        let metrics = try Self.text("Workers/MetricsServer.swift")
        for file in try Self.deploymentFiles {
            let text = try Self.text(file)
            for path in try Self.matches(#"/(healthz|readyz|metrics)\b"#, in: text) {
                #expect(api.contains("\"\(path)\"") || metrics.contains("\"\(path)\""), "\(file) probes \(path)")
            }
            for port in try Self.matches(#"\b(8080|9464)\b"#, in: text) {
                #expect(code.contains(port), "\(file) uses port \(port), which is no default of the code")
            }
        }
        // The images run the binaries the package builds.
        let package = try Self.text("Package.swift")
        for binary in try Self.matches(#"/app/ilc(-api|-worker)?\b"#, in: try Self.deploymentFiles.map(Self.text).joined()) {
            #expect(package.contains("\"\(binary.dropFirst(5))\""), "\(binary) is not a product of Package.swift")
        }
    }
}
