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
}
