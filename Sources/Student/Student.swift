// The Student module: see Docs/Student.md (once written) and ../shared/DESIGN.md for its scope.
// This file only names the module; its contents arrive with the issue that builds it.
public enum StudentModule {
    public static let name = "Student"
}
