// `bench selftest`: checks the harness end to end (timing, peer call, JSON output) on a trivial loop.
import Foundation

func benchSelfTest(_ ctx: BenchContext) throws {
    var x = [Float](repeating: 1, count: 1000)
    let s = measure {
        for _ in 0..<1000 { for i in x.indices { x[i] *= 1.0001 } }
    } / 1000
    let peer = try runPeer("selftest.py", [])
    let peerSeconds = (peer as? [String: Any])?["seconds"] as? Double
    ctx.record(BenchRow(case: "scale 1000 floats", swift: s * 1e6, peer: peerSeconds.map { $0 * 1e6 },
                        peerName: "numpy", unit: "µs", higherIsBetter: false, threads: 1))
}
