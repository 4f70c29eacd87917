// The MarginMSE module: see Docs/MarginMSE.md (once written) and ../shared/DESIGN.md for its scope.
// This file only names the module; its contents arrive with the issue that builds it.
public enum MarginMSEModule {
    public static let name = "MarginMSE"
}
