// Where the data lives. Resolution order (first that exists wins):
//   1. `--data DIR` (passed in as `explicit`)   2. `$RANKER_DATA`   3. `../shared/data` next to the package root
//   4. the fetch cache: `$RANKER_CACHE`, else `$XDG_CACHE_HOME/ranker-distillation`, else `~/.cache/ranker-distillation`
// Leaves out: per-dataset overrides (a dataset is a sub-folder of the chosen directory, e.g. `vaswani/qrels`).

import Foundation

public enum DataDirectory {
    /// The cache directory `reproduce fetch` unpacks into.
    public static func cache(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let c = environment["RANKER_CACHE"], !c.isEmpty { return c }
        if let x = environment["XDG_CACHE_HOME"], !x.isEmpty { return x + "/ranker-distillation" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.cache/ranker-distillation"
    }

    /// The candidate directories in resolution order, each with the reason it is considered.
    public static func candidates(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                                  packageRoot: String = FileManager.default.currentDirectoryPath) -> [(path: String, source: String)] {
        var out: [(String, String)] = []
        if let e = explicit { out.append((e, "--data")) }
        if let r = environment["RANKER_DATA"], !r.isEmpty { out.append((r, "RANKER_DATA")) }
        out.append(((packageRoot as NSString).appendingPathComponent("../shared/data"), "../shared/data"))
        out.append((cache(environment: environment), "cache"))
        return out
    }

    /// The first existing candidate directory, or nil when there is none. An explicit `--data` that does not exist is
    /// an error (a typo should not silently fall through to other data).
    public static func resolve(explicit: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               packageRoot: String = FileManager.default.currentDirectoryPath) throws -> String? {
        var isDir: ObjCBool = false
        if let e = explicit, !(FileManager.default.fileExists(atPath: e, isDirectory: &isDir) && isDir.boolValue) {
            throw DataFormatError(file: e, line: 0, expected: "an existing data directory (--data)", found: "none")
        }
        for c in candidates(explicit: explicit, environment: environment, packageRoot: packageRoot) {
            if FileManager.default.fileExists(atPath: c.path, isDirectory: &isDir), isDir.boolValue {
                return (c.path as NSString).standardizingPath
            }
        }
        return nil
    }
}
