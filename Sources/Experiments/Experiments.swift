// The Experiments module: see Docs/Experiments.md (once written) and ../shared/DESIGN.md for its scope.
// This file only names the module; its contents arrive with the issue that builds it.
public enum ExperimentsModule {
    public static let name = "Experiments"
}
