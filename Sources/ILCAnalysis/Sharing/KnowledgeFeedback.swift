/// What people said of earlier suggestions, for the next ranking: a source whose
/// suggestions were accepted rises, one whose suggestions were dismissed sinks, and a
/// pair someone already judged is not suggested again (its place goes to the next best).
public struct KnowledgeFeedback: Sendable, Equatable {
    public struct Marks: Sendable, Equatable {
        public var accepted: Int
        public var dismissed: Int

        public init(accepted: Int, dismissed: Int) {
            self.accepted = accepted
            self.dismissed = dismissed
        }

        /// Twice the acceptance rate with one imagined acceptance and one dismissal
        /// (Laplace smoothing): 1 without marks, towards 2 or 0 as marks agree, so
        /// one mark moves a source a little and many move it far.
        public var factor: Double {
            2 * Double(accepted + 1) / Double(accepted + dismissed + 2)
        }
    }

    public struct Pair: Sendable, Hashable {
        public var target: String
        public var source: String

        public init(target: String, source: String) {
            self.target = target
            self.source = source
        }
    }

    /// By source collective id.
    public var marks: [String: Marks]
    public var judgedPairs: Set<Pair>

    public init(marks: [String: Marks] = [:], judgedPairs: Set<Pair> = []) {
        self.marks = marks
        self.judgedPairs = judgedPairs
    }
}
