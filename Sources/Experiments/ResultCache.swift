// Intermediate results cached by configuration hash, so that a rerun or an interrupted run continues where it was:
// teacher models and their scores, teacher embeddings, trained students. A configuration is any Encodable value; its
// key is the SHA-256 of its JSON with sorted keys (plus a kind label), so changing any setting makes a new entry.
// Entries are written atomically (temporary file, then rename): a killed run leaves no half-written entry.

import Foundation
import Corpus

public struct ResultCache: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    /// The hex key of a configuration.
    public static func key<C: Encodable>(_ config: C) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        var h = SHA256()
        h.update(Array(try enc.encode(config)))
        return String(h.finalize().prefix(16))
    }

    /// The directory for (kind, config); created on demand. Callers write into it and mark it complete.
    public func directory<C: Encodable>(kind: String, config: C) throws -> URL {
        let dir = root.appendingPathComponent(kind).appendingPathComponent(try ResultCache.key(config))
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted]
        let configURL = dir.appendingPathComponent("config.json")
        if !FileManager.default.fileExists(atPath: configURL.path) {
            try enc.encode(config).write(to: configURL, options: .atomic)
        }
        return dir
    }

    /// A Codable value computed once per configuration and read back afterwards.
    public func value<C: Encodable, V: Codable>(kind: String, config: C, as: V.Type = V.self,
                                                compute: () throws -> V) throws -> V {
        let file = try directory(kind: kind, config: config).appendingPathComponent("result.json")
        if let data = try? Data(contentsOf: file), let v = try? JSONDecoder().decode(V.self, from: data) { return v }
        let v = try compute()
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted]
        try enc.encode(v).write(to: file, options: .atomic)
        return v
    }
}
