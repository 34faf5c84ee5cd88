import Testing

@testable import ILCAnalysis

@Suite struct ThemeLabelTests {
    @Test func keywordsThatShareAWordMergeInsteadOfRepeatingIt() {
        #expect(ThemeDetector.label(fromKeywords: ["attendance", "absences", "chronic"]) == "Attendance, absences and chronic")
        #expect(
            ThemeDetector.label(fromKeywords: ["fractions", "fractions proportional", "proportional reasoning", "algebra", "tasks"])
                == "Fractions proportional reasoning, algebra and tasks")
        #expect(ThemeDetector.label(fromKeywords: ["absences", "absences pile", "fridays"]) == "Absences pile and fridays")
        #expect(ThemeDetector.label(fromKeywords: ["reading", "phonics reading", "fluency"]) == "Phonics reading and fluency")
        #expect(ThemeDetector.label(fromKeywords: ["grading", "standards based"]) == "Grading and standards based")
        #expect(ThemeDetector.label(fromKeywords: []) == "Unnamed theme")
    }
}
