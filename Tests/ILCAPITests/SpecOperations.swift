import Foundation
import HTTPTypes

@testable import ILCAPI

/// The operations of the served `openapi.yaml`, read from its layout (two-space
/// indented paths, four-space methods, six-space `operationId`), so tests follow the
/// spec instead of a list someone must remember to extend.
struct SpecOperation: Hashable, CustomStringConvertible {
    let id: String
    let method: HTTPRequest.Method
    let path: String
    var description: String { "\(method) \(path)" }

    static func all() throws -> [SpecOperation] {
        let lines = String(decoding: try OpenAPIDocument.contents(), as: UTF8.self).split(separator: "\n")
        let methods: [String: HTTPRequest.Method] = ["get": .get, "post": .post, "put": .put, "patch": .patch, "delete": .delete]
        var operations: [SpecOperation] = []
        var path: String?
        var method: HTTPRequest.Method?
        var inPaths = false
        for line in lines {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, !line.hasPrefix(" ") { break }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                method = methods[String(line.dropFirst(4).dropLast())]
            } else if let path, let current = method, line.hasPrefix("      operationId:") {
                let id = line.dropFirst("      operationId:".count).trimmingCharacters(in: .whitespaces)
                operations.append(SpecOperation(id: id, method: current, path: path))
                method = nil
            }
        }
        return operations
    }
}
