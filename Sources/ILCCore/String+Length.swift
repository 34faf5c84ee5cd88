extension StringProtocol {
    /// The length every limit of the service counts: Unicode code points, as JSON
    /// Schema's `maxLength` and PostgreSQL's `length()` do. (`count` counts grapheme
    /// clusters, fewer for emoji with modifiers, and let too-long values reach the
    /// tables' CHECKs.)
    public var codePointCount: Int { unicodeScalars.count }
}
