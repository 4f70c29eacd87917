// Runs experiments and writes what they produce: for each artefact `paper-figures/<paper>/<name>.{md,csv,svg}`,
// then `paper-figures/index.html` (every table and figure with its caption, the paper's numbers and the deviations),
// and `paper-figures/run-info.json` (command, commit, machine, date, scale, wall time per artefact) for the paper
// pages' reproduction logs. Every file is written atomically.
//
// A run of some artefacts (`reproduce table table-c`) into a folder that holds a whole earlier run keeps the others
// in index.html and run-info.json, each marked with the command, commit and date that made it — as long as the
// earlier run had the same configuration (scale, seed, real or synthetic data, Paper A variant); otherwise they are
// dropped from the index (their files stay on disk).

import Foundation
import Report

public struct RunRecord: Codable, Sendable {
    public struct Item: Codable, Sendable {
        public var id: String
        public var seconds: Double
        public var status: String            // "ok", "kept" (from an earlier run, below) or the error
        /// For a kept artefact: the command, commit and date of the run that made it.
        public var command: String?
        public var commit: String?
        public var date: String?

        public init(id: String, seconds: Double, status: String, command: String? = nil, commit: String? = nil, date: String? = nil) {
            self.id = id; self.seconds = seconds; self.status = status
            self.command = command; self.commit = commit; self.date = date
        }
    }
    public var command: String
    public var commit: String
    public var machine: String
    public var date: String
    public var scale: String
    public var syntheticData: Bool
    public var threads: Int
    public var seed: UInt64
    public var wallSeconds: Double
    public var items: [Item]
    /// Paper A's variant: "dev-small", "dev-small+minilm-teacher" (runs before the dev-small training data: "standard",
    /// "swapped", …, or nil).
    public var variant: String? = nil

    /// Whether artefacts of a run with this record can sit beside those of a run in `context` in one index: same
    /// scale, seed and data. Paper A's variant matters only to Paper A's artefacts (`keepEarlierArtefacts`).
    func isCompatible(with context: ExperimentContext) -> Bool {
        scale == context.scale.rawValue && seed == context.seed && syntheticData == context.usesSyntheticData
    }
}

public enum Runner {
    /// Runs `experiments` in order. A failing experiment is reported and the others still run; the returned record
    /// says which failed. Index and run-info are rewritten with everything in the output directory.
    @discardableResult
    public static func run(_ experiments: [Experiment], context: ExperimentContext, command: String) throws -> RunRecord {
        let start = Date()
        let commit = gitCommit()   // at the start: the code that ran, even if a commit lands while a long run goes on
        var items: [RunRecord.Item] = []
        var artefacts: [Paper: [Artefact]] = [:]
        var pages: [Paper: [String]] = [:]
        for (i, e) in experiments.enumerated() {
            context.progress("[\(i + 1)/\(experiments.count)] \(e.id): \(e.title)")
            let t0 = Date()
            do {
                let out = try e.run(context)
                let artefact = try write(out, of: e, context: context)
                artefacts[e.paper, default: []].append(artefact)
                pages[e.paper, default: []].append(markdownSection(out, of: e, context: context))
                items.append(.init(id: e.id, seconds: Date().timeIntervalSince(t0), status: "ok"))
                context.progress("    done in \(String(format: "%.1f", Date().timeIntervalSince(t0))) s")
            } catch {
                items.append(.init(id: e.id, seconds: Date().timeIntervalSince(t0), status: "failed: \(error)"))
                context.progress("    FAILED: \(error)")
            }
        }
        items += keepEarlierArtefacts(ran: Set(items.map(\.id)), into: &artefacts, context: context)
        let record = RunRecord(command: command, commit: commit, machine: machineDescription(),
                               date: ISO8601DateFormatter().string(from: start), scale: context.scale.rawValue,
                               syntheticData: context.usesSyntheticData, threads: context.threads, seed: context.seed,
                               wallSeconds: Date().timeIntervalSince(start), items: items, variant: variant(context))
        try writeIndex(artefacts, context: context, record: record)
        // A paper's page is rewritten only when every one of its artefacts ran (and succeeded) in this run.
        for paper in Paper.allCases {
            guard let sections = pages[paper], !sections.isEmpty,
                  sections.count == Experiments.all.filter({ $0.paper == paper }).count else { continue }
            try writePaperPage(paper, sections: sections, context: context, record: record)
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(String(decoding: try enc.encode(record), as: UTF8.self),
                            to: context.outputDirectory.appendingPathComponent("run-info.json"))
        return record
    }

    /// "dev-small" (Paper A's training queries), with "+minilm-teacher" when Paper A adds that teacher. Runs made
    /// before Paper A trained on dev-small are "standard" or "swapped", so their artefacts are not kept beside new ones.
    static func variant(_ context: ExperimentContext) -> String {
        "dev-small" + (context.paperAMiniLMTeacher ? "+minilm-teacher" : "")
            + (context.paperABudget == .standard ? "" : "+\(context.paperABudget.rawValue)-budget")
            + (context.paperAStudents.isEmpty ? "" : "+students-" + context.paperAStudents.joined(separator: "+"))
    }

    /// The artefacts of the last run into this output folder that this run did not make: their articles from the
    /// existing index.html (added to `artefacts`, in the order of `Experiments.all`) and their items, marked "kept"
    /// with the command, commit and date that made them. Nothing when that run had another configuration; its Paper A
    /// artefacts are not kept beside Paper A artefacts of another variant that this run makes (a run of Paper B alone
    /// keeps Paper A's as they were, marked with what made them).
    static func keepEarlierArtefacts(ran: Set<String>, into artefacts: inout [Paper: [Artefact]],
                                     context: ExperimentContext) -> [RunRecord.Item] {
        let dir = context.outputDirectory
        guard let data = try? Data(contentsOf: dir.appendingPathComponent("run-info.json")),
              let previous = try? JSONDecoder().decode(RunRecord.self, from: data), previous.isCompatible(with: context),
              let page = try? String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8) else { return [] }
        let articles = ReportPage.articles(in: page)
        let ranPaperA = Experiments.all.contains { ran.contains($0.id) && $0.paper == .marginMSE }
        let sameVariant = (previous.variant ?? "standard") == Runner.variant(context)
        var kept: [RunRecord.Item] = []
        for e in Experiments.all where !ran.contains(e.id) {
            if e.paper == .marginMSE && ranPaperA && !sameVariant { continue }
            guard let old = previous.items.first(where: { $0.id == e.id && ($0.status == "ok" || $0.status == "kept") }),
                  let article = articles[e.anchor] else { continue }
            // An artefact whose files were removed (outputs found stale and deleted) is not kept: its entry would
            // link to nothing.
            let folder = dir.appendingPathComponent(e.paper.rawValue)
            let files = ["md", "svg"].flatMap { ext in ["\(e.name).\(ext)", "\(e.name)-1.\(ext)"] }
            guard files.contains(where: { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }) else { continue }
            let item = RunRecord.Item(id: e.id, seconds: old.seconds, status: "kept", command: old.command ?? previous.command,
                                      commit: old.commit ?? previous.commit, date: old.date ?? previous.date)
            kept.append(item)
            artefacts[e.paper, default: []].append(.kept(
                id: e.anchor, title: e.title, article: article,
                provenance: "Kept from an earlier run into this folder: `\(item.command ?? "?")` at commit \(item.commit ?? "?"), \(item.date ?? "?")."))
        }
        let order = Dictionary(uniqueKeysWithValues: Experiments.all.enumerated().map { ($0.element.anchor, $0.offset) })
        for p in artefacts.keys { artefacts[p]!.sort { (order[$0.id] ?? .max) < (order[$1.id] ?? .max) } }
        return kept
    }

    /// Writes one artefact's files; returns its entry for the HTML page.
    static func write(_ out: ExperimentOutput, of e: Experiment, context: ExperimentContext) throws -> Artefact {
        let dir = context.outputDirectory.appendingPathComponent(e.paper.rawValue)
        var files: [(label: String, path: String)] = []
        var tables = out.tables
        if !context.banner.isEmpty { for i in tables.indices { tables[i].notes.insert(context.banner, at: 0) } }
        for (i, t) in tables.enumerated() {
            let base = dir.appendingPathComponent(tables.count == 1 ? e.name : "\(e.name)-\(i + 1)")
            try t.write(base: base)
            files.append(("Markdown", "\(e.paper.rawValue)/\(base.lastPathComponent).md"))
            files.append(("CSV", "\(e.paper.rawValue)/\(base.lastPathComponent).csv"))
        }
        for f in out.figures {
            let url = dir.appendingPathComponent("\(f.name).svg")
            try writeAtomically(f.svg, to: url)
            files.append(("SVG", "\(e.paper.rawValue)/\(f.name).svg"))
        }
        let content: ArtefactContent
        if let svg = out.figures.first?.svg { content = .inlineSVG(svg) }
        else if let t = tables.first { content = .table(t) }
        else { content = .html("<p>(no output)</p>") }
        return Artefact(id: e.anchor, title: e.title, caption: out.caption,
                        content: content, paperNumbers: out.paperNumbers, deviations: out.deviations, files: files)
    }

    /// The Markdown section of one artefact for the generated paper page.
    static func markdownSection(_ out: ExperimentOutput, of e: Experiment, context: ExperimentContext) -> String {
        var md = "## \(e.title)\n\n"
        if !out.caption.isEmpty { md += out.caption + "\n\n" }
        for f in out.figures { md += "![\(e.title)](\(f.name).svg)\n\n" }
        for var t in out.tables {
            if !context.banner.isEmpty { t.notes.insert(context.banner, at: 0) }
            md += t.markdown() + "\n"
        }
        if let p = out.paperNumbers { md += "The paper's numbers:\n\n" + p.markdown() + "\n" }
        if !out.deviations.isEmpty {
            md += "Departures from the paper that affect this result:\n\n" + out.deviations.map { "- \($0)" }.joined(separator: "\n") + "\n\n"
        }
        return md
    }

    /// `paper-figures/<paper>/README.md`: every artefact of the paper from this run, with the run's facts.
    static func writePaperPage(_ paper: Paper, sections: [String], context: ExperimentContext, record: RunRecord) throws {
        var md = "# \(paper.title): reproduced\n\n"
        if !context.banner.isEmpty { md += "> **\(context.banner)**\n\n" }
        if paper == .marginMSE { for line in variantLines(context) { md += "> **\(line)**\n\n" } }
        md += "Generated by `\(record.command)` at commit `\(record.commit)` on \(record.machine), \(record.date), "
        md += "scale `\(record.scale)`, seed \(record.seed), \(record.threads) thread(s); the whole run took "
        md += String(format: "%.0f", record.wallSeconds) + " s, reading the trained models and results that earlier runs left in "
        md += "its cache (`--cache`), which hold for the same configuration; the time of the run that trained them is in the "
        md += "paper page's reproduction log in `Docs/`. Every number below comes from this run, except those marked as the "
        md += "paper's (in italics; ? = unknown).\n\n"
        md += sections.joined(separator: "\n")
        try writeAtomically(md, to: context.outputDirectory.appendingPathComponent(paper.rawValue).appendingPathComponent("README.md"))
    }

    /// Pages of other runs kept inside this output directory (`seed-2021/`, `minilm-teacher/`, …: any folder with an
    /// `index.html`), each named by the command its `run-info.json` records.
    static func otherRuns(_ context: ExperimentContext) -> [(text: String, href: String)] {
        let fm = FileManager.default
        let names = (try? fm.contentsOfDirectory(atPath: context.outputDirectory.path)) ?? []
        return names.sorted().compactMap { name in
            let dir = context.outputDirectory.appendingPathComponent(name)
            guard fm.fileExists(atPath: dir.appendingPathComponent("index.html").path) else { return nil }
            // Every command whose artefacts the page shows: the run's own and those of the artefacts it kept.
            let command = (try? Data(contentsOf: dir.appendingPathComponent("run-info.json")))
                .flatMap { try? JSONDecoder().decode(RunRecord.self, from: $0) }
                .map { r in r.items.compactMap(\.command).reduce(into: [r.command]) { if !$0.contains($1) { $0.append($1) } } }
                .map { $0.joined(separator: "; ") }
            let what = name.hasPrefix("seed-") ? "A replicate with seed \(name.dropFirst(5))"
                : name == "minilm-teacher" ? "Paper A with all-MiniLM-L6-v2 as a fourth teacher, stronger than the students"
                : "Another run"
            return ("\(what): \(name)/index.html" + (command.map { " (\($0))" } ?? ""), "\(name)/index.html")
        }
    }

    /// The lines that say a Paper A run is not the standard one: the MiniLM teacher (none for the standard run).
    static func variantLines(_ context: ExperimentContext) -> [String] {
        var lines: [String] = []
        if context.paperAMiniLMTeacher {
            lines.append("Paper A with a fourth teacher, MiniLM: every student also distilled from all-MiniLM-L6-v2 itself, "
                         + "a teacher stronger than the students, which is not one of the paper's teachers (--minilm-teacher), "
                         + "as is and with its margins scaled to the student's own (MiniLM scaled); "
                         + "Table D compares the losses with this teacher instead of T2.")
        }
        return lines
    }

    static func writeIndex(_ artefacts: [Paper: [Artefact]], context: ExperimentContext, record: RunRecord) throws {
        let sections = Paper.allCases.compactMap { p -> ReportSection? in
            guard let a = artefacts[p], !a.isEmpty else { return nil }
            return ReportSection(title: p.title, artefacts: a)
        }
        let page = ReportPage(
            title: "RankerDistillation — reproduced tables and figures",
            banner: context.banner,
            intro: ["Scale: \(context.scale.rawValue) (\(context.scale.summary)). Commit \(record.commit), \(record.machine), \(record.date)."]
                + (artefacts[.marginMSE] == nil ? [] : variantLines(context))
                + [record.items.contains { $0.status == "kept" }
                   ? "This run of `\(record.command)` made \(record.items.filter { $0.status != "kept" }.count) of the artefacts below; the others are kept from earlier runs into this folder, each marked with the command, commit and date that made it. The papers' own numbers are shown beside ours and labelled, with unknown cells as '?'."
                   : "Every number here comes from this run of `\(record.command)`; the papers' own numbers are shown beside ours and labelled, with unknown cells as '?'."],
            sections: sections,
            footer: "Generated by `reproduce` (RankerDistillation).",
            links: otherRuns(context))
        try page.write(to: context.outputDirectory.appendingPathComponent("index.html"))
    }

    /// The current git commit (short), or "unknown" outside a checkout.
    public static func gitCommit() -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "rev-parse", "--short", "HEAD"]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = Pipe()
        guard (try? p.run()) != nil else { return "unknown" }
        p.waitUntilExit()
        let s = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return p.terminationStatus == 0 && !s.isEmpty ? s : "unknown"
    }

    /// "Linux x86_64, 2 cores, AMD EPYC …" from /proc/cpuinfo where available.
    public static func machineDescription() -> String {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var cpu = "unknown CPU"
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            cpu = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        #if os(Linux)
        let os = "Linux"
        #else
        let os = "macOS"
        #endif
        return "\(os), \(cores) cores, \(cpu)"
    }
}
