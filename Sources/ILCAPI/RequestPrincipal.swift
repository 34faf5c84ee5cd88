import ILCStore

/// The verified API key of the request being handled. Generated OpenAPI handlers do
/// not see Hummingbird's request context, so the authentication middleware hands the
/// principal down through this task-local value.
enum RequestPrincipal {
    @TaskLocal static var current: APIPrincipal?
}
