// `reproduce distill` end to end on a tiny teacher saved as a sentence-transformers folder: it trains, saves a
// folder that loads with the reduced shape, and rejects bad options with a usage error.

import Foundation
import Testing
import Student
import Compression
@testable import CLI

@Suite struct DistillCommandTests {
    /// A temporary folder with a saved tiny teacher and 96 texts; the caller removes `dir`.
    func folderWithTeacherAndTexts() throws -> (dir: URL, teacher: URL, texts: URL, out: URL) {
        let dir = try scratchFolder("distill-cli")
        let (teacher, texts) = try tinySentenceTransformer(in: dir, texts: 96)
        return (dir, teacher, texts, dir.appendingPathComponent("student"))
    }

    @Test func distilsAndSavesAStudentThatLoads() throws {
        let (dir, teacher, texts, out) = try folderWithTeacherAndTexts()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (console, stdout, stderr) = Console.capturing()
        let code = Commands.main(["distill", "--teacher", teacher.path, "--texts", texts.path, "--vocab", "70",
                                  "--dim", "32", "--layers", "1", "--ranker", "semantic", "--batch-size", "16",
                                  "--epochs", "2", "--lr", "1e-3", "--out", out.path,
                                  "--cache", dir.appendingPathComponent("cache").path], console: console)
        #expect(code == 0, "\(stderr())")
        #expect(stdout().contains("updates 12"), "\(stdout())")
        let s = try DistilledStudent.load(from: out)
        #expect(s.model.encoder.config.hiddenSize == 32 && s.model.encoder.config.numHiddenLayers == 1)
        #expect(s.tokenSize == 52 && s.tokenizer.vocabulary.count <= 70 && s.config.shape.vocabulary == .trained(size: 70))
    }

    @Test func badOptionsAreUsageErrors() throws {
        for args in [["--vocab", "lots"], ["--dim", "0"], ["--ranker", "cross"], ["--lr", "-1"],
                     ["--project-teacher-layers", "2,5"], ["--project-teacher-layers", "five"]] {
            let (console, _, err) = Console.capturing()
            #expect(Commands.main(["distill"] + args, console: console) == 2, "\(args): \(err())")
        }
        // A token size beyond the positions the student inherits from the teacher: a usage error before any work.
        let (dir, teacher, texts, _) = try folderWithTeacherAndTexts()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (c2, _, e2) = Console.capturing()
        #expect(Commands.main(["distill", "--teacher", teacher.path, "--texts", texts.path, "--token-size", "1000"], console: c2) == 2)
        #expect(e2().contains("--token-size 1000 exceeds the teacher's 64 positions"))
        let (console, _, err) = Console.capturing()
        #expect(Commands.main(["distill", "--teacher", "/nonexistent"], console: console) == 1)
        #expect(err().contains("cannot load the teacher"))
    }

    @Test func projectedTeacherLayersStartTheNarrowStudent() throws {
        let (dir, teacher, texts, out) = try folderWithTeacherAndTexts()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (console, _, stderr) = Console.capturing()
        let code = Commands.main(["distill", "--teacher", teacher.path, "--texts", texts.path, "--dim", "32",
                                  "--layers", "1", "--project-teacher-layers", "1", "--batch-size", "16", "--steps", "2",
                                  "--token-size", "64",   // the tiny teacher's 64 positions, which the student inherits
                                  "--out", out.path, "--cache", dir.appendingPathComponent("cache").path],
                                 console: console)
        #expect(code == 0, "\(stderr())")
        let s = try DistilledStudent.load(from: out)
        #expect(s.config.settings.projectedTeacherLayers == [1] && s.model.encoder.config.hiddenSize == 32)
        // A full-width student has no subspace to project into: a clear error, not a silent random start.
        let (console2, _, err2) = Console.capturing()
        #expect(Commands.main(["distill", "--teacher", teacher.path, "--texts", texts.path, "--dim", "64",
                               "--project-teacher-layers", "1", "--steps", "1", "--token-size", "64",
                               "--cache", dir.appendingPathComponent("cache").path], console: console2) != 0)
        #expect(err2().contains("narrow student"), "\(err2())")
    }
}
