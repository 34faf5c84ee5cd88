import Foundation
import Testing

@testable import ILCCore

@Suite struct APIKeyTokenTests {
    @Test func tenantTokenRoundTripsThroughItsText() throws {
        let tenantID = UUID()
        let token = APIKeyToken.generate(owner: .tenant(tenantID))
        #expect(token.text.hasPrefix("ilc_"))
        let parsed = try #require(APIKeyToken(parsing: token.text))
        #expect(parsed == token)
        #expect(parsed.owner == .tenant(tenantID))
    }

    @Test func operatorTokenRoundTripsThroughItsText() throws {
        let token = APIKeyToken.generate(owner: .operatorScope)
        #expect(token.text.hasPrefix("ilcop_"))
        #expect(APIKeyToken(parsing: token.text) == token)
    }

    @Test func secretsCarryAtLeast128BitsAndDiffer() {
        let first = APIKeyToken.generate(owner: .operatorScope)
        let second = APIKeyToken.generate(owner: .operatorScope)
        #expect(first.secret.count * 8 >= 128)
        #expect(first.secret != second.secret)
        #expect(first.keyID != second.keyID)
    }

    @Test(arguments: [
        "", "ilc_", "ilcop_", "sk_live_abc", "ilc_ABCDEF", "ilc_!!!!", "ilc_aaaa",
        "ilc_" + String(repeating: "a", count: 200),
    ])
    func malformedTextIsRejected(_ text: String) {
        #expect(APIKeyToken(parsing: text) == nil)
    }

    @Test func truncatedOrExtendedTokensAreRejected() {
        let text = APIKeyToken.generate(owner: .tenant(UUID())).text
        #expect(APIKeyToken(parsing: String(text.dropLast())) == nil)
        #expect(APIKeyToken(parsing: text + "a") == nil)
        // A tenant body behind the operator prefix has the wrong length.
        #expect(APIKeyToken(parsing: "ilcop_" + text.dropFirst(4)) == nil)
    }

    @Test func base32RoundTripsEveryLength() throws {
        for length in 0...40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let text = Base32.encode(bytes)
            #expect(Base32.decode(Substring(text)) == bytes)
        }
    }

    @Test func base32RefusesNonCanonicalPadding() {
        // "ab" is one byte plus 2 leftover bits; "ah" sets a leftover bit.
        #expect(Base32.decode("ae") != nil)
        #expect(Base32.decode("ah") == nil)
    }

    @Test func constantTimeComparison() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equals([UInt8](), [UInt8]()))
    }
}

@Suite struct TimeOrderedIDTests {
    @Test func idsAreVersion7AndSortByTime() {
        let earlier = TimeOrderedID.make(at: Date(timeIntervalSince1970: 1_700_000_000))
        let later = TimeOrderedID.make(at: Date(timeIntervalSince1970: 1_700_000_000.002))
        #expect(earlier.uuidString.lowercased().dropFirst(14).first == "7")
        #expect([later, earlier].sorted { $0.uuidString < $1.uuidString } == [earlier, later])
        #expect(earlier.uuidString.hasPrefix("018BCFE5-6800"))
        #expect(TimeOrderedID.make() != TimeOrderedID.make())
    }
}

@Suite struct UUIDTextTests {
    @Test func textMatchesFoundationBothWays() throws {
        for _ in 0..<200 {
            let id = UUID()
            #expect(id.text == id.uuidString)
            #expect(UUID(text: id.uuidString) == id)
            #expect(UUID(text: id.uuidString.lowercased()) == id)
        }
    }

    @Test(arguments: ["", "not-a-uuid", "018BCFE5-6800-7000-8000-00000000000G", "018BCFE5x6800-7000-8000-000000000000"])
    func badTextIsRejected(_ text: String) {
        #expect(UUID(text: text) == nil)
    }

    @Test func seededRandomIsRepeatableAndSpread() {
        var first = SplitMixRandom(seed: 42)
        var second = SplitMixRandom(seed: 42)
        let values = (0..<1_000).map { _ in first.next() }
        #expect(values == (0..<1_000).map { _ in second.next() })
        #expect(Set(values).count == 1_000)
    }
}
