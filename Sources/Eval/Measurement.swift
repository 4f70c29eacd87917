// Measurement helpers for the efficiency tables (Margin-MSE Figure C, Extreme-compression Table 3): latency with
// warm-up and percentiles, peak resident memory, size on disk, and an energy proxy (CPU-seconds of this process, and
// RAPL package joules where /sys/class/powercap is readable).
// Leaves out: GPU measurements; per-thread attribution; RAPL counter wrap-around beyond one wrap.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

public struct LatencySummary: Sendable, Equatable {
    public var samples: Int
    public var median: Double, p90: Double, p99: Double, mean: Double, min: Double, max: Double  // seconds
}

public enum Measurement {
    /// Times `body` after `warmup` untimed calls: at least `repeats` calls, and more until the timed calls add up to
    /// `minSeconds` (at most `maxRepeats` calls in all). A fast body then gets many samples, so that its median does
    /// not hang on the few milliseconds in which a shared host happened to be busy (20 passes of a 0.2 ms model span
    /// 4 ms).
    public static func latency(warmup: Int = 3, repeats: Int = 20, minSeconds: Double = 0, maxRepeats: Int = 100_000,
                               _ body: () throws -> Void) rethrows -> LatencySummary {
        for _ in 0..<warmup { try body() }
        var t: [Double] = []
        var total = 0.0
        while t.count < max(1, repeats) || (total < minSeconds && t.count < maxRepeats) {
            let s = DispatchTime.now().uptimeNanoseconds
            try body()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - s) / 1e9
            t.append(seconds)
            total += seconds
        }
        return summarize(t)
    }

    /// Median and nearest-rank-interpolated percentiles (numpy's default "linear" method).
    public static func summarize(_ samples: [Double]) -> LatencySummary {
        let s = samples.sorted()
        func q(_ p: Double) -> Double {
            guard s.count > 1 else { return s.first ?? 0 }
            let x = p * Double(s.count - 1), lo = Int(x.rounded(.down)), hi = Swift.min(lo + 1, s.count - 1)
            return s[lo] + (s[hi] - s[lo]) * (x - Double(lo))
        }
        return LatencySummary(samples: s.count, median: q(0.5), p90: q(0.9), p99: q(0.99),
                              mean: s.isEmpty ? 0 : s.reduce(0, +) / Double(s.count), min: s.first ?? 0, max: s.last ?? 0)
    }

    /// Peak resident set size of this process in bytes (VmHWM on Linux, ru_maxrss elsewhere).
    public static func peakResidentBytes() -> Int {
        if let kb = procStatusKiB("VmHWM") { return kb * 1024 }
        let u = selfUsage()
        #if os(Linux)
        return Int(u.ru_maxrss) * 1024
        #else
        return Int(u.ru_maxrss)
        #endif
    }

    /// Resident set size of this process now, in bytes (VmRSS); nil where /proc/self/status is not available.
    public static func residentBytes() -> Int? {
        procStatusKiB("VmRSS").map { $0 * 1024 }
    }

    /// Sets the peak resident set size (VmHWM) back to the current one, so that a later `peakResidentBytes` reports
    /// the peak since this call: Linux's `/proc/self/clear_refs` ("5"). False where that is not possible.
    public static func resetPeakResident() -> Bool {
        guard let f = fopen("/proc/self/clear_refs", "w") else { return false }
        let written = fputs("5", f) >= 0
        return fclose(f) == 0 && written
    }

    /// The largest growth of the resident set (bytes) while `body` runs: the peak during `body` less the size just
    /// before it. Memory the process already holds — and reuses — is not counted, so release caches of idle memory
    /// first for the growth to cover all that `body` needs. Nil where the peak cannot be reset (not Linux).
    public static func peakResidentGrowth(_ body: () throws -> Void) rethrows -> Int? {
        guard resetPeakResident(), let before = residentBytes() else { try body(); return nil }
        try body()
        return Swift.max(0, peakResidentBytes() - before)
    }

    /// The value in KiB of a "Name:   123 kB" line of /proc/self/status.
    static func procStatusKiB(_ name: String) -> Int? {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = s.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }

    /// Bytes on disk of a file, or of every regular file under a directory.
    public static func sizeOnDisk(_ path: String) -> Int {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else { return 0 }
        if !isDir.boolValue { return (try? fm.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
        var total = 0
        if let e = fm.enumerator(atPath: path) {
            for case let f as String in e {
                let p = path + "/" + f
                var d: ObjCBool = false
                if fm.fileExists(atPath: p, isDirectory: &d), !d.boolValue {
                    total += (try? fm.attributesOfItem(atPath: p)[.size] as? Int) ?? 0
                }
            }
        }
        return total
    }

    /// User + system CPU seconds of this process so far.
    static func selfUsage() -> rusage {
        var u = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &u)
        #else
        getrusage(RUSAGE_SELF, &u)
        #endif
        return u
    }

    public static func cpuSeconds() -> Double {
        let u = selfUsage()
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6
            + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }

    /// Cumulative RAPL package energy in joules, summed over packages, or nil when not readable.
    public static func raplJoules(root: String = "/sys/class/powercap") -> Double? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return nil }
        var total = 0.0, any = false
        for e in entries where e.hasPrefix("intel-rapl:") && e.split(separator: ":").count == 2 {
            if let s = try? String(contentsOfFile: "\(root)/\(e)/energy_uj", encoding: .utf8),
               let uj = Double(s.trimmingCharacters(in: .whitespacesAndNewlines)) {
                total += uj / 1e6; any = true
            }
        }
        return any ? total : nil
    }

    /// Energy proxy of running `body`: wall seconds, CPU-seconds and RAPL joules (nil when unavailable).
    public static func energy(_ body: () throws -> Void) rethrows -> (wallSeconds: Double, cpuSeconds: Double, joules: Double?) {
        let j0 = raplJoules(), c0 = cpuSeconds(), t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        let c1 = cpuSeconds(), j1 = raplJoules()
        var joules: Double? = nil
        if let a = j0, let b = j1, b >= a { joules = b - a }
        return (wall, c1 - c0, joules)
    }
}
