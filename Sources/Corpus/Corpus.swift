// The Corpus module: see Docs/Corpus.md (once written) and ../shared/DESIGN.md for its scope.
// This file only names the module; its contents arrive with the issue that builds it.
public enum CorpusModule {
    public static let name = "Corpus"
}
