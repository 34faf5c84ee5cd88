import Foundation
import ILCLogging
import Logging
import Synchronization
import Testing

@Suite struct JSONLogHandlerTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
    }

    @Test func eachEventIsOneJSONObjectWithItsMetadataAsFields() throws {
        let captured = Lines()
        var logger = Logger(label: "ilc.worker") { label in
            JSONLogHandler(label: label) { line in captured.lines.withLock { $0.append(line) } }
        }
        logger[metadataKey: "job"] = "01938f6e-7a1c-7c3e-9f2a-5b8d4e3c2a10"
        logger[metadataKey: "tenant"] = .stringConvertible(UUID(uuidString: "3F2B1C0D-9E8F-4A7B-8C6D-5E4F3A2B1C0D") ?? UUID())
        logger.warning("job failed \"quoted\"\nsecond line", metadata: ["attempt": "2", "message": "not the message", "tags": ["a", "b"]])
        logger.debug("below the level")

        let lines = captured.lines.withLock { $0 }
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line.hasSuffix("\n") && line.dropLast().contains("\n") == false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["logger"] as? String == "ilc.worker")
        #expect(object["level"] as? String == "warning")
        #expect(object["message"] as? String == "job failed \"quoted\"\nsecond line")
        #expect(object["job"] as? String == "01938f6e-7a1c-7c3e-9f2a-5b8d4e3c2a10")
        #expect(object["tenant"] as? String == "3F2B1C0D-9E8F-4A7B-8C6D-5E4F3A2B1C0D")
        #expect(object["attempt"] as? String == "2")
        #expect(object["tags"] as? [String] == ["a", "b"])
        #expect((object["ts"] as? String)?.hasSuffix("Z") == true)
        #expect((object["at"] as? String)?.contains("JSONLogHandlerTests.swift") == true)
    }

    @Test func theFormatComesFromTheFlagThenTheEnvironment() {
        #expect(LogFormat.chosen(flag: nil, environment: [:]) == .text)
        #expect(LogFormat.chosen(flag: nil, environment: ["ILC_LOG_FORMAT": "json"]) == .json)
        #expect(LogFormat.chosen(flag: "text", environment: ["ILC_LOG_FORMAT": "json"]) == .text)
        #expect(LogFormat.chosen(flag: "yaml", environment: [:]) == nil)
        #expect(LogFormat.chosen(flag: nil, environment: ["ILC_LOG_FORMAT": ""]) == .text)
    }
}
