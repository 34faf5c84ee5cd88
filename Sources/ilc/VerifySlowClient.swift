import Foundation
import ILCCore

/// Clients that start a request and stall (slowloris): the API must close their
/// connections after its idle timeout instead of keeping them for ever.
enum VerifySlowClient {
    static func run(port: Int, idleTimeout: Int) async throws -> String {
        let stalls = [
            ("headers never finished", "POST /v1/cycles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"),
            ("body never finished", "POST /v1/cycles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"name\":"),
        ]
        var closedAfter: [Double] = []
        for (label, start) in stalls {
            let seconds = try await Task.detached {
                try stall(port: port, sending: start, waitingAtMost: idleTimeout + 10)
            }.value
            guard let seconds else { throw VerifyFailure("\(label): still open \(idleTimeout + 10) s later") }
            closedAfter.append(seconds)
        }
        return "both stalled requests (headers, body) closed after "
            + closedAfter.map { String(format: "%.1f s", $0) }.joined(separator: " and ")
            + " (idle timeout \(idleTimeout) s)"
    }

    /// Sends `text` and waits for the server to close; answers the seconds that took,
    /// or nil if it was still open after `limit` seconds. Blocking: run it detached.
    private static func stall(port: Int, sending text: String, waitingAtMost limit: Int) throws -> Double? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw VerifyFailure("socket: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw VerifyFailure("connect: errno \(errno)") }
        var timeout = timeval(tv_sec: limit, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(text.utf8)
        guard send(descriptor, bytes, bytes.count, 0) == bytes.count else { throw VerifyFailure("send: errno \(errno)") }
        let started = ContinuousClock.now
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let received = recv(descriptor, &buffer, buffer.count, 0)
            if received == 0 { return started.duration(to: .now).timeInterval }
            // An answer (a 408, say) before the close is fine; keep reading.
            if received > 0 { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return nil }
            // Reset by the server: closed too.
            return started.duration(to: .now).timeInterval
        }
    }
}
