// What the SGEMM micro-kernels compile to on each vector ISA, checked on any host: each kernel's source file is
// compiled by the toolchain's own swiftc for the CPUs the kernel is chosen for — including ones this host is not —
// and the inner loop of the assembly is read. On its ISA a kernel's loop must keep every accumulator in a register
// (no spill or reload inside the loop: LLVM marks each one "Spill" / "Reload") and do one vector FMA per
// accumulator per k step (the loop may be unrolled):
//
//   8×32 for AVX-512 (znver4, skylake-avx512):   16 zmm FMAs a step
//   6×16 for AVX2/FMA3 (znver2, haswell):         12 ymm FMAs a step
//   6×16 for NEON (aarch64: generic, apple-m1):   24 fmla .4s a step (a SIMD8 is two q registers)
//
// NEON is compiled with the toolchain's Embedded Swift standard library for aarch64 (the kernels use the standard
// library only), so the check runs where no arm64 standard library is installed. As the detector's own check, the
// 8×32 kernel compiled for AVX2 and for NEON must spill: its 16 SIMD16 accumulators are 32 of AVX2's 16 ymm
// registers and 64 of NEON's 32 q registers — the reason 6×16 exists (GEMMKernelChoice.swift). A target the toolchain cannot compile for is skipped, with a message.
// Speed is `bench gemm`'s; this says only that the register tile fits where it is meant to.

import Foundation
import Testing
import PropertyTesting

enum KernelAssembly {
    static let kernels = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/Tensors/Kernels")

    /// The toolchain's swiftc: `SWIFTC` when set, else the first on PATH.
    static let swiftc: String? = {
        let env = ProcessInfo.processInfo.environment
        if let s = env["SWIFTC"], FileManager.default.isExecutableFile(atPath: s) { return s }
        for dir in (env["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/swiftc"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    /// A compilation target: the triple, the CPU and whether it needs the Embedded standard library.
    struct Target: CustomStringConvertible {
        var triple: String, cpu: String?, embedded = false
        var description: String { triple + (cpu.map { " -target-cpu \($0)" } ?? "") }
        var arguments: [String] {
            ["-target", triple] + (cpu.map { ["-target-cpu", $0] } ?? [])
                + (embedded ? ["-enable-experimental-feature", "Embedded"] : [])
        }
    }

    /// An x86-64 triple this toolchain has a standard library for (Linux, else macOS), or nil.
    static let x86Triple: String? = swiftc == nil ? nil : ["x86_64-unknown-linux-gnu", "x86_64-apple-macosx13.0"]
        .first { available(Target(triple: $0, cpu: "haswell")) }
    static func x86(_ cpu: String) -> Target { Target(triple: x86Triple ?? "x86_64-unknown-linux-gnu", cpu: cpu) }
    static func neon(_ cpu: String?) -> Target { Target(triple: "aarch64-none-none-elf", cpu: cpu, embedded: true) }

    /// The assembly of `source` (Swift text) compiled -O for `target`, or the compiler's message on failure.
    static func compile(_ source: String, for target: Target) throws -> Result<String, CompileFailure> {
        guard let swiftc else { return .failure(CompileFailure(message: "no swiftc on PATH")) }
        let dir = try scratchDirectory("kernel-asm")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("kernel.swift"), output = dir.appendingPathComponent("kernel.s")
        try source.write(to: input, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: swiftc)
        p.arguments = ["-O", "-wmo", "-parse-as-library", "-S", input.path, "-o", output.path,
                       "-module-cache-path", dir.appendingPathComponent("cache").path] + target.arguments
        let errors = Pipe()
        p.standardError = errors; p.standardOutput = FileHandle.nullDevice
        try p.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return .failure(CompileFailure(message: message)) }
        return .success(try String(contentsOf: output, encoding: .utf8))
    }

    struct CompileFailure: Error { var message: String }

    /// Whether this toolchain compiles for `target` at all (a one-line file).
    static func available(_ target: Target) -> Bool {
        (try? compile("public func probe() {}", for: target).get()) != nil
    }

    /// The kernel's source file with `function` made public, so that the optimiser keeps it.
    static func kernelSource(file: String, function: String) throws -> String {
        let text = try String(contentsOf: kernels.appendingPathComponent(file), encoding: .utf8)
        let opened = text.replacingOccurrences(of: "\nfunc \(function)(", with: "\npublic func \(function)(")
        guard opened != text else { throw CompileFailure(message: "\(file) declares no `func \(function)(`") }
        return opened
    }

    /// The inner loops of an assembly listing: from each line LLVM marks "Inner Loop Header" to the branch back to
    /// its label (x86 `jne .LBB0_5`, AArch64 `b.ne .LBB0_4`).
    static func innerLoops(_ assembly: String) -> [[String]] {
        let lines = assembly.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var loops: [[String]] = []
        for (i, line) in lines.enumerated() where line.contains("Inner Loop Header") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let label = line[..<colon].trimmingCharacters(in: .whitespaces)
            var body: [String] = []
            for next in lines[(i + 1)...] {
                body.append(next)
                let code = next.split(separator: next.contains("//") ? "/" : "#", maxSplits: 1).first.map(String.init) ?? next
                let tokens = code.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
                if let op = tokens.first, op.hasPrefix("j") || op.hasPrefix("b") || op.hasPrefix("cb"),
                   tokens.contains(where: { $0 == label }) { break }
            }
            loops.append(body)
        }
        return loops
    }

    /// What one loop does: its vector FMAs (counted when `isFMA` says so) and its spills and reloads.
    static func census(_ loop: [String], isFMA: (String) -> Bool) -> (fmas: Int, spills: Int) {
        let instructions = loop.map { $0.trimmingCharacters(in: .whitespaces) }
        return (instructions.filter(isFMA).count,
                instructions.filter { $0.contains("Spill") || $0.contains("Reload") }.count)
    }

    /// The loop with the most FMAs of the kernel compiled for `target`, as a census.
    static func kernelLoop(file: String, function: String, target: Target,
                           isFMA: (String) -> Bool) throws -> (fmas: Int, spills: Int) {
        let assembly = try compile(try kernelSource(file: file, function: function), for: target).get()
        let loops = innerLoops(assembly).map { census($0, isFMA: isFMA) }
        return loops.max { $0.fmas < $1.fmas } ?? (0, 0)
    }

    static func zmmFMA(_ s: String) -> Bool { s.hasPrefix("vfmadd") && s.contains("%zmm") }
    static func ymmFMA(_ s: String) -> Bool { s.hasPrefix("vfmadd") && s.contains("%ymm") }
    static func neonFMA(_ s: String) -> Bool { s.hasPrefix("fmla") && s.contains(".4s") }

    static let x86Available = x86Triple != nil
    static let neonAvailable = swiftc != nil && available(neon(nil))
}

@Suite struct KernelRegisterFitTests {
    /// The loop of a kernel on its ISA: FMAs in whole k steps of `perStep`, none spilled.
    func expectFits(_ file: String, _ function: String, on target: KernelAssembly.Target, perStep: Int,
                    isFMA: (String) -> Bool) throws {
        let loop = try KernelAssembly.kernelLoop(file: file, function: function, target: target, isFMA: isFMA)
        #expect(loop.fmas > 0 && loop.fmas % perStep == 0,
                "\(function) for \(target): \(loop.fmas) vector FMAs in its loop, expected a multiple of \(perStep)")
        #expect(loop.spills == 0, "\(function) for \(target): \(loop.spills) spills/reloads inside its loop")
    }

    @Test(.enabled(if: KernelAssembly.x86Available, "needs a swiftc that targets x86-64"))
    func theAVX512KernelFitsZmmRegisters() throws {
        for cpu in ["znver4", "skylake-avx512"] {
            try expectFits("GEMMMicroKernel.swift", "microKernel8x32", on: KernelAssembly.x86(cpu), perStep: 16,
                           isFMA: KernelAssembly.zmmFMA)
        }
    }

    @Test(.enabled(if: KernelAssembly.x86Available, "needs a swiftc that targets x86-64"))
    func theAVX2KernelFitsYmmRegisters() throws {
        for cpu in ["znver2", "haswell"] {
            try expectFits("GEMMMicroKernel6x16.swift", "microKernel6x16", on: KernelAssembly.x86(cpu), perStep: 12,
                           isFMA: KernelAssembly.ymmFMA)
        }
    }

    @Test(.enabled(if: KernelAssembly.neonAvailable, "needs a swiftc with the Embedded Swift standard library for aarch64"))
    func theNEONKernelFitsQRegisters() throws {
        for cpu in [nil, "apple-m1"] {
            try expectFits("GEMMMicroKernel6x16.swift", "microKernel6x16", on: KernelAssembly.neon(cpu), perStep: 24,
                           isFMA: KernelAssembly.neonFMA)
        }
        // …and 8×32 does not: 64 q registers of accumulators.
        let wide = try KernelAssembly.kernelLoop(file: "GEMMMicroKernel.swift", function: "microKernel8x32",
                                                 target: KernelAssembly.neon(nil), isFMA: KernelAssembly.neonFMA)
        #expect(wide.fmas > 0 && wide.spills > 0, "8×32 for aarch64: \(wide.fmas) FMAs, \(wide.spills) spills")
    }

    /// The detector sees spills where there must be some: 8×32 on AVX2 needs 32 ymm accumulators.
    @Test(.enabled(if: KernelAssembly.x86Available, "needs a swiftc that targets x86-64"))
    func theAVX512KernelSpillsOnAVX2() throws {
        let loop = try KernelAssembly.kernelLoop(file: "GEMMMicroKernel.swift", function: "microKernel8x32",
                                                 target: KernelAssembly.x86("haswell"), isFMA: KernelAssembly.ymmFMA)
        #expect(loop.fmas > 0 && loop.spills > 0, "8×32 for haswell: \(loop.fmas) FMAs, \(loop.spills) spills")
    }

    /// The loop reader on a hand-written listing of each syntax.
    @Test func innerLoopsAreReadFromHeaderToBackBranch() {
        let x86 = """
        .LBB0_5:                                # =>This Inner Loop Header: Depth=1
        \tvfmadd231ps\t%ymm15, %ymm2, %ymm13   # ymm13 = (ymm2 * ymm15) + ymm13
        \tvmovaps\t%ymm3, -56(%rsp)              # 32-byte Spill
        \tjne\t.LBB0_5
        \tvfmadd231ps\t%ymm1, %ymm2, %ymm3
        """
        let arm = """
        .LBB0_4:                                // =>This Inner Loop Header: Depth=1
        \tfmla\tv9.4s, v12.4s, v14.4s
        \tfmla\tv8.4s, v10.4s, v14.4s
        \tb.ne\t.LBB0_4
        \tfmla\tv8.4s, v10.4s, v14.4s
        """
        let x = KernelAssembly.innerLoops(x86).map { KernelAssembly.census($0, isFMA: KernelAssembly.ymmFMA) }
        let a = KernelAssembly.innerLoops(arm).map { KernelAssembly.census($0, isFMA: KernelAssembly.neonFMA) }
        #expect(x.count == 1 && x[0].fmas == 1 && x[0].spills == 1)
        #expect(a.count == 1 && a[0].fmas == 2 && a[0].spills == 0)
    }
}
