// The Vocab module: see Docs/Vocab.md (once written) and ../shared/DESIGN.md for its scope.
// This file only names the module; its contents arrive with the issue that builds it.
public enum VocabModule {
    public static let name = "Vocab"
}
