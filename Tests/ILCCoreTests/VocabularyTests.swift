import Testing

@testable import ILCCore

@Suite struct VocabularyTests {
    @Test func scopesParseFromAList() throws {
        #expect(try APIScope.parseList("read, jobs:write,read") == [.read, .jobsWrite])
    }

    @Test func unknownScopeIsNamedInTheError() {
        #expect(throws: ValidationError.self) { try APIScope.parseList("read,jobs:delete") }
        do {
            _ = try APIScope.parseList("read,jobs:delete")
        } catch {
            #expect(error.field == "scopes")
            #expect(error.message.contains("jobs:delete"))
        }
    }

    @Test func emptyScopeListIsRejected() {
        #expect(throws: ValidationError.self) { try APIScope.parseList(" , ") }
    }

    @Test(arguments: ["alabama", "ontario-east", "a", "x1", String(repeating: "a", count: 63)])
    func validSlugs(_ text: String) throws {
        #expect(try TenantSlug(text).rawValue == text)
    }

    @Test(arguments: ["", "Alabama", "-lead", "trail-", "has space", "ünicode", "a_b", String(repeating: "a", count: 64)])
    func invalidSlugs(_ text: String) {
        #expect(throws: ValidationError.self) { try TenantSlug(text) }
    }

    @Test func phasesAreNumberedInCycleOrder() {
        #expect(CyclePhase.allCases.map(\.number) == [1, 2, 3, 4, 5, 6])
        #expect(CyclePhase.gatheringThemes < CyclePhase.sharingKnowledge)
        #expect(CyclePhase.allCases.count == 6)
    }

    @Test func closedVocabulariesHaveTheirDocumentedMembers() {
        #expect(EvidenceCategory.allCases.map(\.rawValue) == ["demographics", "perceptions", "student_learning", "school_processes"])
        #expect(IndicatorKind.allCases.map(\.rawValue) == ["leading", "lagging"])
        #expect(ParticipantRole.allCases.count == 8)
        #expect(JobState.allCases.count == 6)
    }

    @Test func terminalJobStatesNeverMove() {
        for state in JobState.allCases where state.isTerminal {
            for next in JobState.allCases {
                #expect(!state.canMove(to: next), "\(state) → \(next)")
            }
        }
    }

    @Test func jobLifecycleTransitions() {
        #expect(JobState.queued.canMove(to: .running))
        #expect(JobState.running.canMove(to: .queued), "an expired lease returns the job to the queue")
        #expect(JobState.running.canMove(to: .canceling))
        #expect(JobState.canceling.canMove(to: .canceled))
        #expect(!JobState.queued.canMove(to: .succeeded))
        #expect(!JobState.canceling.canMove(to: .running))
    }
}

@Suite struct TimeOrderedBatchTests {
    @Test func idsMadeTogetherAscendInTheOrderGiven() {
        let ids = TimeOrderedID.ascending(500)
        #expect(Set(ids).count == 500)
        #expect(ids.map(\.uuidString) == ids.map(\.uuidString).sorted())
        #expect(ids.allSatisfy { $0.uuidString.dropFirst(14).first == "7" })
    }
}
