// `reproduce fetch NAME`: download every file of a manifest into the cache (or a given directory), resuming partial
// downloads with HTTP Range requests, retrying dropped connections, verifying sizes and SHA-256 checksums, and
// unpacking gzip / tar.gz. A file already present with the right checksum is not downloaded again. Downloads go to
// `<path>.part`; only a verified file is renamed into place, so an interrupted fetch never leaves a bad file behind.
// Leaves out: parallel downloads, authentication, proxies beyond what URLSession picks up from the environment.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

public struct FetchError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ d: String) { description = d }
}

public struct FetchReport: Sendable, Equatable {
    public var downloaded: [String] = []
    public var alreadyPresent: [String] = []
    public var skippedDerived: [String] = []
}

public struct Fetcher: Sendable {
    public var destination: String
    public var retries: Int
    public var log: @Sendable (String) -> Void

    public init(destination: String, retries: Int = 5, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.destination = destination; self.retries = retries; self.log = log
    }

    public func fetch(_ manifest: Manifest) throws -> FetchReport {
        var report = FetchReport()
        for f in manifest.files {
            if let problem = ManifestFile.pathProblem(f.path) {
                throw FetchError("manifest \(manifest.name): file path '\(f.path)' has \(problem); paths must stay inside the data directory (nothing was written)")
            }
        }
        for f in manifest.files {
            let target = (destination as NSString).appendingPathComponent(f.path)
            if f.derived != nil || f.url == nil {
                if f.unpack == nil, let s = f.sha256, SHA256.hex(ofFile: target) == s { report.alreadyPresent.append(f.path); continue }
                log("\(f.path): no direct download (\(f.derived ?? "no url")); skipped")
                report.skippedDerived.append(f.path); continue
            }
            if f.unpack == nil, let s = f.sha256, SHA256.hex(ofFile: target) == s {
                log("\(f.path): present, checksum ok"); report.alreadyPresent.append(f.path); continue
            }
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            let part = target + (f.unpack == nil ? "" : ".download") + ".part"
            try download(f.url!, to: part, expectedBytes: f.bytes)
            if let s = f.sha256 {
                let got = SHA256.hex(ofFile: part) ?? ""
                guard got == s else {
                    try? FileManager.default.removeItem(atPath: part)
                    throw FetchError("\(f.path): checksum mismatch (sha256 \(got), manifest says \(s)); the partial file was removed")
                }
            } else if let s = f.md5 {
                let got = MD5.hex(ofFile: part) ?? ""
                guard got == s else {
                    try? FileManager.default.removeItem(atPath: part)
                    throw FetchError("\(f.path): checksum mismatch (md5 \(got), manifest says \(s)); the partial file was removed")
                }
            }
            try unpack(part, kind: f.unpack, target: target)
            log("\(f.path): downloaded and verified")
            report.downloaded.append(f.path)
        }
        return report
    }

    func unpack(_ part: String, kind: String?, target: String) throws {
        let fm = FileManager.default
        switch kind {
        case nil:
            try moveIntoPlace(URL(fileURLWithPath: part), to: URL(fileURLWithPath: target))
        case "gzip":
            let tmp = target + ".unpacking"
            try run(["sh", "-c", "gzip -dc \"$0\" > \"$1\"", part, tmp])
            try moveIntoPlace(URL(fileURLWithPath: tmp), to: URL(fileURLWithPath: target))
            try fm.removeItem(atPath: part)
        case "tar.gz":
            try run(["tar", "xzf", part, "-C", (target as NSString).deletingLastPathComponent])
            try fm.removeItem(atPath: part)
        default:
            throw FetchError("unknown unpack kind '\(kind!)' (gzip or tar.gz)")
        }
    }

    func run(_ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        try p.run(); p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw FetchError("\(args.joined(separator: " ")) failed (exit \(p.terminationStatus))") }
    }

    /// Downloads `url` into `part`, appending to what is already there (Range: bytes=N-), retrying after errors.
    func download(_ url: String, to part: String, expectedBytes: Int?) throws {
        guard let u = URL(string: url) else { throw FetchError("bad url \(url)") }
        var lastError = ""
        for attempt in 0...retries {
            let have = (try? FileManager.default.attributesOfItem(atPath: part)[.size] as? Int) ?? 0
            if let e = expectedBytes, have == e { return }
            if let e = expectedBytes, have > e { try? FileManager.default.removeItem(atPath: part) }
            let result = HTTPDownload.run(u, appendingTo: part, from: have)
            switch result {
            case .complete: 
                let size = (try? FileManager.default.attributesOfItem(atPath: part)[.size] as? Int) ?? 0
                if let e = expectedBytes, size != e { lastError = "got \(size) bytes, expected \(e)"; continue }
                return
            case .failed(let message):
                lastError = message
                log("\(url): attempt \(attempt + 1) failed (\(message)); resuming")
            }
        }
        throw FetchError("\(url): giving up after \(retries + 1) attempts: \(lastError)")
    }
}

/// One HTTP GET streamed to a file through a URLSession delegate.
final class HTTPDownload: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    enum Result { case complete, failed(String) }
    let handle: FileHandle
    let offset: Int
    var status = 0
    var error: String?
    let done = DispatchSemaphore(value: 0)

    init(handle: FileHandle, offset: Int) { self.handle = handle; self.offset = offset }

    static func run(_ url: URL, appendingTo path: String, from offset: Int) -> Result {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        guard let h = FileHandle(forWritingAtPath: path) else { return .failed("cannot write \(path)") }
        defer { try? h.close() }
        let d = HTTPDownload(handle: h, offset: offset)
        var req = URLRequest(url: url)
        req.timeoutInterval = 60
        if offset > 0 { req.setValue("bytes=\(offset)-", forHTTPHeaderField: "Range") }
        let session = URLSession(configuration: .ephemeral, delegate: d, delegateQueue: nil)
        session.dataTask(with: req).resume()
        d.done.wait()
        session.finishTasksAndInvalidate()
        if let e = d.error { return .failed(e) }
        return .complete
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        status = (response as? HTTPURLResponse)?.statusCode ?? 0
        do {
            if status == 206 {
                try handle.seekToEnd()
            } else if status == 200 {
                try handle.truncate(atOffset: 0)  // the server ignored Range: start again
            } else {
                error = "HTTP \(status)"
                completionHandler(.cancel); return
            }
        } catch {
            self.error = "cannot write the download: \(error.localizedDescription)"
            completionHandler(.cancel); return
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        do { try handle.write(contentsOf: data) } catch {   // e.g. a full disk: stop, and say so
            if self.error == nil { self.error = "cannot write the download: \(error.localizedDescription)" }
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError e: Error?) {
        if let e, error == nil { error = e.localizedDescription }
        done.signal()
    }
}
