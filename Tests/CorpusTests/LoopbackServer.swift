// A tiny HTTP/1.1 server on 127.0.0.1 (POSIX sockets, one thread) for testing `fetch` without the network or Python.
// Serves fixed bodies by path, honours `Range: bytes=N-` with 206, and can misbehave on purpose:
//   .dropOnce — the first request for the path gets the full Content-Length but only half the body, then the
//               connection is closed (a dropped connection); later requests are served properly.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class LoopbackServer: @unchecked Sendable {
    enum Behaviour { case normal, dropOnce }
    private let lock = NSLock()
    private var routes: [String: (Data, Behaviour)] = [:]
    private var dropped: Set<String> = []
    private(set) var requests: [(path: String, range: String?)] = []
    private var listener: Int32 = -1
    private(set) var port: UInt16 = 0

    func serve(_ path: String, _ body: Data, _ behaviour: Behaviour = .normal) {
        lock.lock(); routes[path] = (body, behaviour); lock.unlock()
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    func start() throws {
        #if canImport(Glibc)
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        listener = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard listener >= 0 else { throw FetchTestError("socket failed") }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0, listen(listener, 16) == 0 else { throw FetchTestError("bind/listen failed") }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) }
        }
        port = UInt16(bigEndian: addr.sin_port)
        let t = Thread { [self] in acceptLoop() }
        t.start()
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR)); close(listener)
    }

    private func acceptLoop() {
        while true {
            let c = accept(listener, nil, nil)
            if c < 0 { return }
            handle(c)
            close(c)
        }
    }

    private func handle(_ c: Int32) {
        var buf = [UInt8](repeating: 0, count: 8192)
        var request = Data()
        while !String(decoding: request, as: UTF8.self).contains("\r\n\r\n") {
            let n = recv(c, &buf, buf.count, 0)
            if n <= 0 { return }
            request.append(contentsOf: buf[0..<n])
        }
        let text = String(decoding: request, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        let path = parts.count > 1 ? String(parts[1]) : "/"
        let range = lines.first { $0.lowercased().hasPrefix("range:") }
            .map { String($0.dropFirst(6)).trimmingCharacters(in: .whitespaces) }
        lock.lock()
        requests.append((path, range))
        let route = routes[path]
        var drop = false
        if let r = route, r.1 == .dropOnce, !dropped.contains(path) { dropped.insert(path); drop = true }
        lock.unlock()
        guard let (body, _) = route else {
            send(c, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"); return
        }
        var start = 0
        if let r = range, r.hasPrefix("bytes="), let s = Int(r.dropFirst(6).split(separator: "-").first ?? "") { start = min(s, body.count) }
        let slice = body[start...]
        let head = start > 0
            ? "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes \(start)-\(body.count - 1)/\(body.count)\r\n"
            : "HTTP/1.1 200 OK\r\n"
        send(c, head + "Content-Length: \(slice.count)\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n")
        let toSend = drop ? Data(slice.prefix(slice.count / 2)) : Data(slice)
        toSend.withUnsafeBytes { p in
            var off = 0
            while off < p.count {
                let n = Glibc_send(c, p.baseAddress! + off, p.count - off)
                if n <= 0 { break }
                off += n
            }
        }
        if drop { usleep(50_000) }
    }

    private func send(_ c: Int32, _ s: String) {
        let b = Array(s.utf8)
        _ = b.withUnsafeBytes { Glibc_send(c, $0.baseAddress!, $0.count) }
    }
}

@inline(__always) func Glibc_send(_ c: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.send(c, p, n, Int32(MSG_NOSIGNAL))
    #else
    return Darwin.send(c, p, n, 0)
    #endif
}

struct FetchTestError: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }
