import Foundation

/// An educator as an intake survey names them. `externalID` is the agency's own id:
/// sending it again updates the participant instead of adding one.
public struct ParticipantDraft: Sendable, Hashable {
    public var externalID: String
    public var name: String
    public var email: String?
    public var role: ParticipantRole
    public var district: String
    public var school: String?
    public var region: String?
    /// An IANA zone such as `America/Chicago`; group formation reads its UTC offset.
    public var timeZone: String?

    public init(
        externalID: String, name: String, email: String? = nil, role: ParticipantRole, district: String,
        school: String? = nil, region: String? = nil, timeZone: String? = nil
    ) {
        self.externalID = externalID
        self.name = name
        self.email = email
        self.role = role
        self.district = district
        self.school = school
        self.region = region
        self.timeZone = timeZone
    }
}
