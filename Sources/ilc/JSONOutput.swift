import Foundation

/// JSON text built byte by byte, for output too long for `JSONEncoder` to be quick:
/// strings escaped as RFC 8259 asks (quote, backslash, control characters), everything
/// else as UTF-8.
struct JSONOutput {
    private var bytes: [UInt8] = []
    private static let hexDigits = Array("0123456789abcdef".utf8)

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// JSON text as it is: punctuation, keys, literals.
    mutating func append(_ raw: String) {
        bytes.append(contentsOf: raw.utf8)
    }

    mutating func append(_ raw: Data) {
        bytes.append(contentsOf: raw)
    }

    mutating func appendString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): bytes.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): bytes.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0f)])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A finite number in its shortest form; JSON has no NaN or infinity, so those are null.
    mutating func appendNumber(_ value: Double) {
        append(value.isFinite ? value.description : "null")
    }
}
