// `fetch` against a loopback HTTP server started by the test: a good file, a corrupted file (checksum mismatch, nothing
// left behind), a dropped connection (resumed with a Range request), a gzip file, a second fetch that downloads nothing;
// SHA-256 against known vectors; every committed manifest parses.
import Foundation
import PropertyTesting
import Testing
@testable import Corpus

@Suite(.serialized) struct FetchTests {
    @Test func sha256KnownVectors() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// RFC 1321's test suite, a multi-block input and a million bytes (the md5 of "a" × 10⁶ is the well-known
    /// 7707d6ae4e027c70eea2a935c2296f21).
    @Test func md5KnownVectors() {
        let suite: [(String, String)] = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"), ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"), ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
            (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
        ]
        for (text, digest) in suite { #expect(MD5.hex(Array(text.utf8)) == digest, "md5(\"\(text)\")") }
        #expect(MD5.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "7707d6ae4e027c70eea2a935c2296f21")
        var streamed = MD5()
        for chunk in stride(from: 0, to: 1000, by: 37) { streamed.update([UInt8](repeating: 0x61, count: min(37, 1000 - chunk))) }
        #expect(streamed.finalize() == MD5.hex([UInt8](repeating: 0x61, count: 1000)))
    }

    @Test func fetchFromLoopback() throws {
        let server = LoopbackServer()
        try server.start()
        defer { server.stop() }
        let good = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let flaky = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        server.serve("/good.bin", good)
        server.serve("/flaky.bin", flaky, .dropOnce)
        server.serve("/corrupt.bin", Data(repeating: 1, count: 5000))
        // A gzip file made with the system gzip.
        let plain = Data("hello, gzip\n".utf8)
        let tmpDir = testScratchRoot.path + "/fetchtest-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: tmpDir, withIntermediateDirectories: true)
        try plain.write(to: URL(fileURLWithPath: tmpDir + "/h.txt"))
        let p = Process(); p.executableURL = URL(fileURLWithPath: "/usr/bin/env"); p.arguments = ["gzip", "-k", tmpDir + "/h.txt"]
        try p.run(); p.waitUntilExit()
        let gz = try Data(contentsOf: URL(fileURLWithPath: tmpDir + "/h.txt.gz"))
        server.serve("/h.txt.gz", gz)
        // A tar.gz archive holding a.txt, unpacked into the folder of the manifest path.
        try FileManager.default.createDirectory(atPath: tmpDir + "/src", withIntermediateDirectories: true)
        try Data("in the archive\n".utf8).write(to: URL(fileURLWithPath: tmpDir + "/src/a.txt"))
        let tp = Process(); tp.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tp.arguments = ["tar", "czf", tmpDir + "/arch.tar.gz", "-C", tmpDir + "/src", "a.txt"]
        try tp.run(); tp.waitUntilExit()
        let tgz = try Data(contentsOf: URL(fileURLWithPath: tmpDir + "/arch.tar.gz"))
        server.serve("/arch.tar.gz", tgz)

        let dest = tmpDir + "/cache"
        let manifest = Manifest(name: "t", description: "", licence: "", citation: "", files: [
            ManifestFile(path: "t/good.bin", bytes: good.count, sha256: SHA256.hex(good), url: server.baseURL + "/good.bin"),
            ManifestFile(path: "t/flaky.bin", bytes: flaky.count, sha256: SHA256.hex(flaky), url: server.baseURL + "/flaky.bin"),
            ManifestFile(path: "t/h.txt", sha256: SHA256.hex(gz), url: server.baseURL + "/h.txt.gz", unpack: "gzip"),
            ManifestFile(path: "t/arch/a.txt", sha256: SHA256.hex(tgz), url: server.baseURL + "/arch.tar.gz", unpack: "tar.gz"),
            ManifestFile(path: "t/derived.tsv", derived: "a subset of something"),
        ])
        let fetcher = Fetcher(destination: dest, retries: 3)
        let report = try fetcher.fetch(manifest)
        #expect(report.downloaded == ["t/good.bin", "t/flaky.bin", "t/h.txt", "t/arch/a.txt"])
        #expect(try String(contentsOfFile: dest + "/t/arch/a.txt", encoding: .utf8) == "in the archive\n")
        #expect(!FileManager.default.fileExists(atPath: dest + "/t/arch/a.txt.download.part"))
        #expect(report.skippedDerived == ["t/derived.tsv"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: dest + "/t/good.bin")) == good)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dest + "/t/flaky.bin")) == flaky)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dest + "/t/h.txt")) == plain)
        // The dropped connection was resumed from where it stopped, not restarted.
        let flakyRequests = server.requests.filter { $0.path == "/flaky.bin" }
        #expect(flakyRequests.count == 2)
        #expect(flakyRequests.last?.range == "bytes=\(flaky.count / 2)-")
        #expect(!FileManager.default.fileExists(atPath: dest + "/t/flaky.bin.part"))

        // Second fetch: verified from disk, nothing downloaded.
        let before = server.requests.count
        let again = try fetcher.fetch(Manifest(name: "t", description: "", licence: "", citation: "",
                                               files: Array(manifest.files.prefix(2))))
        #expect(again.alreadyPresent == ["t/good.bin", "t/flaky.bin"] && again.downloaded.isEmpty)
        #expect(server.requests.count == before)

        // Corrupted download: an error naming the file, and nothing left behind.
        let bad = Manifest(name: "b", description: "", licence: "", citation: "", files: [
            ManifestFile(path: "t/corrupt.bin", bytes: 5000, sha256: SHA256.hex(good), url: server.baseURL + "/corrupt.bin")])
        do { _ = try fetcher.fetch(bad); Issue.record("no error") } catch let e as FetchError {
            #expect(e.description.contains("t/corrupt.bin: checksum mismatch"))
        }
        #expect(!FileManager.default.fileExists(atPath: dest + "/t/corrupt.bin"))
        #expect(!FileManager.default.fileExists(atPath: dest + "/t/corrupt.bin.part"))
        // The same with only an md5 in the manifest (the published teacher scores and MS MARCO archives have no sha256).
        let badMD5 = Manifest(name: "b5", description: "", licence: "", citation: "", files: [
            ManifestFile(path: "t/corrupt5.bin", bytes: 5000, md5: MD5.hex(good), url: server.baseURL + "/corrupt.bin")])
        do { _ = try fetcher.fetch(badMD5); Issue.record("no error") } catch let e as FetchError {
            #expect(e.description.contains("t/corrupt5.bin: checksum mismatch (md5"))
        }
        #expect(!FileManager.default.fileExists(atPath: dest + "/t/corrupt5.bin"))
        let goodMD5 = Manifest(name: "g5", description: "", licence: "", citation: "", files: [
            ManifestFile(path: "t/good5.bin", bytes: good.count, md5: MD5.hex(good), url: server.baseURL + "/good.bin")])
        #expect(try fetcher.fetch(goodMD5).downloaded == ["t/good5.bin"])
        // A missing file on the server: HTTP 404 after the retries.
        let missing = Manifest(name: "m", description: "", licence: "", citation: "", files: [
            ManifestFile(path: "t/missing", url: server.baseURL + "/missing")])
        #expect(throws: FetchError.self) { try Fetcher(destination: dest, retries: 1).fetch(missing) }
        try? FileManager.default.removeItem(atPath: tmpDir)
    }

    @Test func committedManifestsParse() throws {
        let dir = Paths.packageRoot + "/data-manifests"
        let names = Manifest.names(in: dir)
        #expect(names.count >= 7)
        for n in names {
            let m = try Manifest.named(n, in: dir)
            #expect(m.name == n && !m.licence.isEmpty && !m.citation.isEmpty && !m.files.isEmpty)
            for f in m.files {
                #expect(f.url != nil || f.derived != nil, "\(n): \(f.path) has neither url nor derivation")
                #expect(f.sha256 != nil || f.md5 != nil, "\(n): \(f.path) has no checksum")
            }
        }
    }

    /// The students' checkpoints are not here, but their vocabulary is: BERT-Base's and DistilBERT's vocab.txt is
    /// all-MiniLM-L6-v2's. The checksums typed into those two manifests must agree with the file we have, and the
    /// manifests must pin a revision rather than follow `main`.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: Paths.shared + "/../models/all-MiniLM-L6-v2/vocab.txt"),
                   "needs ../shared/models/all-MiniLM-L6-v2"))
    func studentCheckpointManifestsAgreeWithTheVocabularyHere() throws {
        let dir = Paths.packageRoot + "/data-manifests"
        let vocab = Paths.shared + "/../models/all-MiniLM-L6-v2/vocab.txt"
        let size = try FileManager.default.attributesOfItem(atPath: vocab)[.size] as? Int
        for name in ["bert-base-uncased", "distilbert-base-uncased"] {
            let m = try Manifest.named(name, in: dir)
            #expect(Set(m.files.map { ($0.path as NSString).lastPathComponent })
                    == ["config.json", "vocab.txt", "model.safetensors"], "\(name): the files --scale full reads")
            for f in m.files {
                #expect(f.path.hasPrefix("models/\(name)/"), "\(name): \(f.path) is not where --scale full looks")
                #expect(f.sha256?.count == 64, "\(name): \(f.path)")
                #expect(f.url?.contains("/resolve/main/") == false, "\(name): \(f.path) follows main, not a revision")
            }
            let v = try #require(m.files.first { $0.path.hasSuffix("/vocab.txt") })
            #expect(v.sha256 == SHA256.hex(ofFile: vocab) && v.bytes == size, "\(name): vocab.txt")
        }
    }

    @Test(.enabled(if: SharedData.available, "needs ../shared/data"))
    func manifestsMatchTheSharedFiles() throws {
        let dir = Paths.packageRoot + "/data-manifests"
        var checked = 0
        for n in Manifest.names(in: dir) {
            for f in try Manifest.named(n, in: dir).files where f.unpack == nil {
                let p = f.path.hasPrefix("models/") ? Paths.shared + "/../" + f.path : Paths.shared + "/" + f.path
                guard FileManager.default.fileExists(atPath: p), let s = f.sha256, let b = f.bytes, b < 20_000_000 else { continue }
                #expect(SHA256.hex(ofFile: p) == s, "\(n): \(f.path)")
                checked += 1
            }
        }
        #expect(checked >= 20)
    }
}
