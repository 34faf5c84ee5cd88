import Foundation
import NIOSSL

/// A throwaway self-signed certificate for `localhost` and 127.0.0.1, made by the
/// openssl command (ops/setup installs it), for tests of TLS clients. Kept in memory:
/// the files openssl writes are removed before `make()` returns.
public struct TestCertificate: Sendable {
    let certificatePEM: [UInt8]
    let keyPEM: [UInt8]

    public static func make() throws -> TestCertificate {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ilc-cert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "1",
            "-keyout", key, "-out", certificate,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSetupError("openssl could not make a test certificate (exit \(process.terminationStatus))")
        }
        return TestCertificate(
            certificatePEM: Array(try Data(contentsOf: URL(fileURLWithPath: certificate))),
            keyPEM: Array(try Data(contentsOf: URL(fileURLWithPath: key))))
    }

    public func serverContext() throws -> NIOSSLContext {
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try certificates().map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: keyPEM, format: .pem)))
        return try NIOSSLContext(configuration: configuration)
    }

    public func certificates() throws -> [NIOSSLCertificate] {
        try NIOSSLCertificate.fromPEMBytes(certificatePEM)
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
