// `reproduce`: the command-line face of the package. All logic lives in the CLI library (testable).
import CLI
import Foundation

exit(Commands.main(Array(CommandLine.arguments.dropFirst())))
