// The Report module: see Docs/Report.md (once written) and ../shared/DESIGN.md for its scope.
// This file only names the module; its contents arrive with the issue that builds it.
public enum ReportModule {
    public static let name = "Report"
}
