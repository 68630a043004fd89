import Foundation
import Testing
@testable import Promotion

@Suite struct UnifiedDiffTests {
    @Test func oneChangedLineWithContext() {
        let old = (1...10).map { "line \($0)\n" }.joined()
        let new = old.replacingOccurrences(of: "line 5\n", with: "line five\n")
        #expect(UnifiedDiff.make(old: old, new: new, path: "f.yaml") == """
            --- a/f.yaml
            +++ b/f.yaml
            @@ -2,7 +2,7 @@
             line 2
             line 3
             line 4
            -line 5
            +line five
             line 6
             line 7
             line 8

            """)
    }

    @Test func distantChangesMakeTwoHunks() {
        let old = (1...30).map { "l\($0)\n" }.joined()
        let new = old.replacingOccurrences(of: "l2\n", with: "L2\n").replacingOccurrences(of: "l25\n", with: "L25\n")
        let diff = UnifiedDiff.make(old: old, new: new, path: "f")
        #expect(diff.components(separatedBy: "@@ -").count == 3)
        #expect(diff.contains("@@ -1,5 +1,5 @@"))
        #expect(diff.contains("@@ -22,7 +22,7 @@"))
    }

    @Test func newFileAndMissingNewline() {
        #expect(UnifiedDiff.make(old: nil, new: "a\nb", path: "n") == "--- /dev/null\n+++ b/n\n@@ -0,0 +1,2 @@\n+a\n+b\n\\ No newline at end of file\n")
        #expect(UnifiedDiff.make(old: "x\n", new: "x\n", path: "n") == "")
    }
}
