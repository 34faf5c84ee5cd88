import Foundation
import ILCCore

extension CycleSettings {
    /// The settings as the `cycles.settings` column holds them (JSON text).
    init(storedJSON text: String) throws {
        self = try JSONDecoder().decode(CycleSettings.self, from: Data(text.utf8))
    }
}
