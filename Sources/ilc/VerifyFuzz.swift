import Foundation

/// schemathesis against the live API: every operation of the served contract with
/// tenant A's key, all phases (examples, coverage, fuzzing, stateful) and all checks,
/// plus ops/schemathesis_isolation.py's object-level authorization check, which sends
/// each successful request on one of A's resources again with tenant B's key.
enum VerifyFuzz {
    static let scenarios: [VerifyScenario] = [
        VerifyScenario("fuzz", "schemathesis, two tenants") { lab, settings in
            guard let schemathesis = settings.schemathesis else {
                throw VerifyFailure("no schemathesis given (--schemathesis; ops/verify installs it)")
            }
            let owner = try await VerifyTenant.create(lab, name: "fuzz-a")
            let other = try await VerifyTenant.create(lab, name: "fuzz-b")
            let base = "http://127.0.0.1:\(lab.apiPort)"
            let examples = settings.quick ? 10 : 50
            let process = try VerifyProcess(
                name: "schemathesis", executable: URL(fileURLWithPath: schemathesis),
                arguments: [
                    "run", base + "/openapi.yaml", "--url", base, "--header", "Authorization: Bearer \(owner.key)",
                    "--checks", "all", "--max-examples", String(examples), "--generation-deterministic", "--no-color",
                    "--exclude-path-regex", "^/v1/admin/",
                ],
                environment: [
                    "PYTHONPATH": FileManager.default.currentDirectoryPath + "/ops",
                    "SCHEMATHESIS_HOOKS": "schemathesis_isolation", "ILC_OTHER_TENANT_KEY": other.key,
                ],
                logDirectory: lab.logDirectory)
            let status = await process.waitForExit(timeout: .seconds(1_800))
            let summary = process.logTail(lines: 60).split(whereSeparator: \.isNewline)
                .last { $0.contains("passed") || $0.contains("failed") }
                .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "= ")) } ?? "no summary"
            guard status == 0 else {
                if status == nil { process.signal(SIGKILL) }
                throw VerifyFailure("schemathesis: \(summary) (log: \(process.logPath))")
            }
            return "\(summary); \(examples) examples per operation; tenant B's key got 404 for every one of A's resources"
        },
    ]
}
