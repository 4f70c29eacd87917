// The PCA module: see Docs/PCA.md (once written) and ../shared/DESIGN.md for its scope.
// This file only names the module; its contents arrive with the issue that builds it.
public enum PCAModule {
    public static let name = "PCA"
}
