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
        if let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = s.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kb = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") {
            return kb * 1024
        }
        let u = selfUsage()
        #if os(Linux)
        return Int(u.ru_maxrss) * 1024
        #else
        return Int(u.ru_maxrss)
        #endif
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
