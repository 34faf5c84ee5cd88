import ILCCore
import Testing

@Suite struct WholeNumberSettingTests {
    private func port(flag: Int?) -> WholeNumberSetting {
        WholeNumberSetting(
            flag: flag, flagName: "--port", variable: "ILC_HTTP_PORT", range: 0...65535, meaning: "a port number", fallback: 8080)
    }

    @Test func theFlagWinsOverTheVariableWhichWinsOverTheDefault() throws {
        #expect(try port(flag: 9000).value(in: ["ILC_HTTP_PORT": "9001"]) == 9000)
        #expect(try port(flag: nil).value(in: ["ILC_HTTP_PORT": "9001"]) == 9001)
        #expect(try port(flag: nil).value(in: [:]) == 8080)
    }

    @Test func aValueOutOfRangeIsRefusedNamingWhereItCameFrom() {
        let seconds = WholeNumberSetting(
            flag: 0, flagName: "--idle-timeout", variable: "ILC_HTTP_IDLE_TIMEOUT_SECONDS", range: 1...Int.max,
            meaning: "a whole number of seconds", fallback: 60)
        let refusals: [(WholeNumberSetting, [String: String], String)] = [
            (port(flag: 70000), [:], "--port must be 0…65535"),
            (port(flag: nil), ["ILC_HTTP_PORT": "eighty"], "ILC_HTTP_PORT must be a port number, not 'eighty'"),
            (port(flag: nil), ["ILC_HTTP_PORT": "-1"], "ILC_HTTP_PORT must be a port number, not '-1'"),
            (seconds, [:], "--idle-timeout must be at least 1"),
        ]
        for (setting, environment, message) in refusals {
            let error = #expect(throws: WholeNumberSetting.Invalid.self) { try setting.value(in: environment) }
            #expect(error?.description == message)
        }
    }

    @Test func aFlagOnlySettingIgnoresTheEnvironmentAndKeepsItsDefault() throws {
        let grace = WholeNumberSetting(flag: 30, flagName: "--grace", range: 0...Int.max)
        #expect(try grace.value(in: ["--grace": "5"]) == 30)
        let negative = WholeNumberSetting(flag: -1, flagName: "--grace", range: 0...Int.max)
        let error = #expect(throws: WholeNumberSetting.Invalid.self) { try negative.value(in: [:]) }
        #expect(error?.description == "--grace must not be negative")
    }

    @Test func checkingAListStopsAtTheFirstBadSetting() {
        let settings = [
            port(flag: 8080),
            WholeNumberSetting(flag: 0, flagName: "--concurrency", range: 1...Int.max),
            port(flag: 70000),
        ]
        let error = #expect(throws: WholeNumberSetting.Invalid.self) { try WholeNumberSetting.check(settings, in: [:]) }
        #expect(error?.description == "--concurrency must be at least 1")
        #expect(throws: Never.self) { try WholeNumberSetting.check([port(flag: nil)], in: ["ILC_HTTP_PORT": "80"]) }
    }
}
