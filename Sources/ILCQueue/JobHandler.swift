/// Runs one type of job. Each job type is one file in `Workers/` that conforms.
public protocol JobHandler: Sendable {
    /// The job type it runs, such as `theme-detection`.
    var type: String { get }

    /// Does the work and returns the result as JSON text. Throw `JobFailure` to say
    /// whether retrying can help; any other error is retried. Cancellation (the
    /// partner cancelled, or the worker lost its lease) arrives as Swift task
    /// cancellation: check it in long loops.
    func run(_ context: JobContext) async throws -> String
}
