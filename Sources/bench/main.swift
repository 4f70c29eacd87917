// `bench`: speed measurements of the package against peers measured in the same run.
//   swift run -c release bench            list the benchmarks
//   swift run -c release bench NAME …     run one (see BenchRegistry.swift)
// Each benchmark prints a table (case, Swift, peer, unit, ratio = Swift ÷ peer, higher is better) and writes its rows
// to bench-results/NAME.json in the working directory. Peer scripts live in Sources/bench/peers/.
import Foundation

exit(runBench(Array(CommandLine.arguments.dropFirst())))
