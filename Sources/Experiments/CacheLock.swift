// One `reproduce` run per cache folder at a time. Two runs sharing a cache would train the same model into the same
// checkpoint folder and overwrite each other's files; the second run is refused instead, with a message that says
// which process holds the cache and what to do. An advisory flock(2) on `<cache>/.lock`: the kernel releases it when
// the process ends, however it ends, so a killed run never leaves a stale lock behind.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public final class CacheLock: @unchecked Sendable {
    private let descriptor: Int32

    /// Takes the lock of `cache` (creating the folder), or throws `ExperimentError` naming the process that holds it.
    public init(_ cache: URL) throws {
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        let path = cache.appendingPathComponent(".lock").path
        let fd = open(path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw ExperimentError("\(path): cannot open the cache lock (\(String(cString: strerror(errno))))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            let holder = String(decoding: buffer.prefix(max(0, n)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ExperimentError("another reproduce run\(holder.isEmpty ? "" : " (process \(holder))") is using the cache "
                                  + "\(cache.path); wait for it to finish, or give this run its own --cache DIR")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
        descriptor = fd
    }

    deinit { close(descriptor) }   // closing releases the lock
}
