// The Eval module: see Docs/Eval.md (once written) and ../shared/DESIGN.md for its scope.
// This file only names the module; its contents arrive with the issue that builds it.
public enum EvalModule {
    public static let name = "Eval"
}
