import Foundation

/// The published contract, as compiled into this build.
public enum OpenAPIDocument {
    public static func contents() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "openapi.yaml is missing from the ILCAPI bundle"])
        }
        return try Data(contentsOf: url)
    }
}
