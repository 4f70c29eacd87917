// `bench`: speed measurements against peers run in the same process tree. See Docs/Tensors.md.
import Foundation
print("bench: no benchmarks yet")
