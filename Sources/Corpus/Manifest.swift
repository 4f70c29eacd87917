// Data manifests (`data-manifests/*.json`): one per dataset or model, listing each file with its size, checksum,
// public source, licence and citation, so that a user elsewhere can fetch the same bytes and check them.
//   { "name": "vaswani", "description": "…", "licence": "…", "citation": "…",
//     "files": [ { "path": "vaswani/qrels", "bytes": 24863, "sha256": "…", "url": "https://…",
//                  "unpack": null | "gzip" | "tar.gz", "derived": null | "how it was made from public files" } ] }
// `path` is relative to the data directory. A file with `derived` set has no direct download (it is a subset or a
// conversion of public files); `fetch` reports it and moves on. `unpack: gzip` means the URL serves `path` gzipped;
// `tar.gz` means the URL serves an archive unpacked into the folder of `path` (and `sha256` is the archive's).
// Leaves out: mirrors, signatures.

import Foundation

public struct ManifestFile: Codable, Sendable, Equatable {
    /// Why `path` cannot name a file inside the data directory (absolute, empty, or with an empty, "." or ".."
    /// component), or nil when it can. `fetch` writes only paths that pass, so a manifest cannot write elsewhere.
    public static func pathProblem(_ path: String) -> String? {
        if path.isEmpty { return "an empty path" }
        if path.hasPrefix("/") { return "an absolute path" }
        if path.contains("\\") { return "a backslash" }
        for c in path.split(separator: "/", omittingEmptySubsequences: false) {
            if c.isEmpty { return "an empty path component" }
            if c == "." || c == ".." { return "a '\(c)' component" }
        }
        return nil
    }

    public var path: String
    public var bytes: Int?
    public var sha256: String?
    public var md5: String?
    public var url: String?
    public var unpack: String?
    public var derived: String?
    public init(path: String, bytes: Int? = nil, sha256: String? = nil, md5: String? = nil, url: String? = nil,
                unpack: String? = nil, derived: String? = nil) {
        self.path = path; self.bytes = bytes; self.sha256 = sha256; self.md5 = md5; self.url = url
        self.unpack = unpack; self.derived = derived
    }
}

public struct Manifest: Codable, Sendable, Equatable {
    public var name: String
    public var description: String
    public var licence: String
    public var citation: String
    public var files: [ManifestFile]

    public init(name: String, description: String, licence: String, citation: String, files: [ManifestFile]) {
        self.name = name; self.description = description; self.licence = licence; self.citation = citation; self.files = files
    }

    /// Reads one manifest; a decoding problem is a DataFormatError naming the file.
    public static func read(_ path: String) throws -> Manifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataFormatError(file: path, line: 0, expected: "a readable manifest", found: "nothing")
        }
        let manifest: Manifest
        do { manifest = try JSONDecoder().decode(Manifest.self, from: data) } catch {
            throw DataFormatError(file: path, line: 0, expected: "a manifest (name, description, licence, citation, files)",
                                  found: "\(error)")
        }
        for f in manifest.files {
            if let problem = ManifestFile.pathProblem(f.path) {
                throw DataFormatError(file: path, line: 0, expected: "file paths relative to the data directory, inside it",
                                      found: "'\(f.path)' (\(problem))")
            }
        }
        return manifest
    }

    /// The manifest named `name` in `directory` (default: `data-manifests` under the working directory).
    public static func named(_ name: String, in directory: String = "data-manifests") throws -> Manifest {
        try read((directory as NSString).appendingPathComponent(name + ".json"))
    }

    /// Names of all manifests in `directory`, sorted.
    public static func names(in directory: String = "data-manifests") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }
}
