// `reproduce plan`: what a full reproduction will regenerate, and what is built so far. Until the Experiments
// module exists, plain `reproduce` runs this (it says so; nothing is pretended).

public struct PlanCommand: Command {
    public init() {}
    public let path = ["plan"]
    public let summary = "Show what a reproduction regenerates, and what is built so far"
    public let usage = """
        Usage: reproduce plan

        Lists every table and figure of both papers that 'reproduce' regenerates (see Docs/README.md),
        and which of them the package can already produce.
        """
    public let options: [OptionSpec] = []

    public func run(_ args: ParsedArguments, console: Console) throws {
        console.out("""
            RankerDistillation — reproduction plan (scale: default)

            Paper A — Margin-MSE (Hofstätter et al. 2020)
              Figure A  workflow diagram                          not built yet
              Table A   model characteristics                     not built yet
              Table B   teachers (T1, T2 ensemble)                not built yet
              Table C   students × {none, T1, T2}                 not built yet
              Table D   losses                                    not built yet
              Table E   dense retrieval                           not built yet
              Figure B  score ranges                              not built yet
              Figure C  efficiency vs effectiveness               not built yet

            Paper B — Extreme compression (Chaulwar et al. 2022)
              Table 1   models                                    not built yet
              Table 2   quality                                   not built yet
              Table 3   efficiency                                not built yet
              Figure 1  vocabulary size                           not built yet
              Figure 2  PCA                                       not built yet
              Figure 3  size vs quality                           not built yet

            The experiments are not implemented yet: this run regenerates nothing. See 'reproduce --help'
            for the commands that work today.

            """)
    }
}
