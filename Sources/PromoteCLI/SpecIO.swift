import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// File and terminal IO of the `spec` commands.
enum SpecIO {
    /// The bytes of `path`, or exit 1 with the reason.
    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            fail("\(path): \(exists ? (isDirectory.boolValue ? "is a directory" : "cannot be read") : "no such file")")
        }
        return [UInt8](data)
    }

    /// Prints `message` on stderr and exits 1.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
        exit(1)
    }

    static func writeStandardOutput(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    struct WriteError: Error, CustomStringConvertible {
        let description: String
    }

    /// Writes `bytes` to a temporary file beside `path` (same mode), flushes it and renames it over `path`.
    static func replaceAtomically(_ path: String, with bytes: [UInt8]) throws {
        // Through a symbolic link, replace the file it points to, not the link.
        let url = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        var template = Array((directory + "/." + url.lastPathComponent + ".promote-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw WriteError(description: "cannot create a temporary file in \(directory): \(String(cString: strerror(errno)))") }
        let tempPath = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
        var ok = false
        defer {
            if !ok { unlink(tempPath) }
        }
        var st = stat()
        if stat(path, &st) == 0 { fchmod(fd, st.st_mode & 0o7777) }
        var written = 0
        let result: Int = bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return -1
                }
                written += n
            }
            return 0
        }
        guard result == 0, fsync(fd) == 0 else {
            close(fd)
            throw WriteError(description: "cannot write \(tempPath): \(String(cString: strerror(errno)))")
        }
        close(fd)
        guard rename(tempPath, path) == 0 else {
            throw WriteError(description: "cannot replace \(path): \(String(cString: strerror(errno)))")
        }
        ok = true
    }
}
