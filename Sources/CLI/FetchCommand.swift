// `reproduce fetch NAME…`: download the files of data manifests into the cache (or --into DIR), resuming and verifying.

import Corpus
import Foundation

public struct FetchCommand: Command {
    public init() {}
    public let path = ["fetch"]
    public let summary = "Download a dataset or model listed in data-manifests/, verify and unpack it"
    public let usage = """
        Usage: reproduce fetch NAME... [--into DIR] [--manifests DIR]
               reproduce fetch --list

        Downloads every file of the manifest data-manifests/NAME.json into DIR (default: the cache,
        $RANKER_CACHE or ~/.cache/ranker-distillation), resuming partial downloads, checking sizes and SHA-256,
        and unpacking gzip/tar.gz. Files already present with the right checksum are kept. Files marked 'derived'
        (subsets or conversions of public files) cannot be downloaded directly; fetch says how they were made.
        Data is then found in this order: --data DIR, $RANKER_DATA, ../shared/data, the cache.
        """
    public let options: [OptionSpec] = [
        .option("into", value: "DIR", help: "destination directory (default: the cache)"),
        .option("manifests", value: "DIR", help: "where the manifests are", default: "data-manifests"),
        .flag("list", help: "list the manifests and exit"),
    ]

    public func run(_ args: ParsedArguments, console: Console) throws {
        let dir = try args.string(defaulted: "manifests")
        if args.flag("list") {
            for n in Manifest.names(in: dir) {
                let m = try? Manifest.named(n, in: dir)
                console.out(n.padding(toLength: 28, withPad: " ", startingAt: 0) + (m?.description ?? "(unreadable)") + "\n")
            }
            return
        }
        guard !args.positionals.isEmpty else {
            throw CLIError("reproduce fetch: name a manifest (see 'reproduce fetch --list')")
        }
        let dest = args.string("into") ?? DataDirectory.cache()
        let fetcher = Fetcher(destination: dest, log: { [console] in console.err($0 + "\n") })
        for name in args.positionals {
            let m: Manifest
            do { m = try Manifest.named(name, in: dir) } catch {
                throw CLIError("reproduce fetch: no manifest '\(name)' in \(dir) (\(error))")
            }
            do {
                let r = try fetcher.fetch(m)
                console.out("\(name): \(r.downloaded.count) downloaded, \(r.alreadyPresent.count) already present, "
                            + "\(r.skippedDerived.count) derived (not downloadable) → \(dest)\n")
            } catch { throw CLIError("reproduce fetch: \(error)", kind: .failure) }
        }
    }
}
