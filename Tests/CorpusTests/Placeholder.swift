// Tests for this module arrive with the code they test.
import Testing
