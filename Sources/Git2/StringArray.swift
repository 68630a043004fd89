internal import Clibgit2
import Foundation

/// Builds a temporary `git_strarray` for a C call.
enum StringArray {
    static func with<T>(_ strings: [String], _ body: (UnsafeMutablePointer<git_strarray>) throws(GitError) -> T) throws(GitError) -> T {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        return try pointers.withUnsafeMutableBufferPointer { (buffer) throws(GitError) -> T in
            var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            return try body(&array)
        }
    }
}
