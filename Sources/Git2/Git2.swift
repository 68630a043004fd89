internal import Clibgit2
import Foundation

/// A synchronous, domain-free wrapper of the libgit2 subset Promote uses.
///
/// libgit2 is initialised lazily, once per process, and never shut down. The system, global and XDG configuration
/// search paths are blanked, so behaviour does not depend on `/etc/gitconfig` or on whoever runs the process, and a
/// plain TCP stream with connect and idle timeouts replaces libgit2's own (which has none in 1.5).
public enum Git2 {
    private static let initialised: Bool = {
        _ = git_libgit2_init()
        for level in [GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_PROGRAMDATA] {
            _ = pb_git_set_search_path(level, "")
        }
        _ = pb_git_set_owner_validation(1)
        _ = pb_git_enable_strict_object_creation(1)
        _ = pb_git_set_user_agent("promote")
        // The object cache keeps the commits and trees every push walks until it reaches its cap, 256 MiB by default
        // (the largest live grower of a long soak under heaptrack), per open repository (a mirror has two): a
        // long-running service caps it at 8 MiB, more than a push's walk over a large GitOps repository needs.
        _ = pb_git_set_cache_max_size(8 << 20)
        // mbedTLS has no default trust store: point it at the system bundle (or $SSL_CERT_FILE).
        let bundle = getenv("SSL_CERT_FILE").map { String(cString: $0) } ?? "/etc/ssl/certs/ca-certificates.crt"
        if FileManager.default.fileExists(atPath: bundle) { _ = pb_git_set_ssl_cert_locations(bundle, nil) }
        if getenv("PROMOTE_GIT2_DEFAULT_STREAM") == nil { _ = TimeoutStream.register() }
        return true
    }()

    /// Initialises libgit2 if that has not happened yet. Every entry point calls it; calling it again is free.
    public static func initialize() {
        _ = initialised
    }

    /// The linked libgit2 version, e.g. "1.5.1".
    public static var version: String {
        initialize()
        var major: Int32 = 0, minor: Int32 = 0, rev: Int32 = 0
        _ = git_libgit2_version(&major, &minor, &rev)
        return "\(major).\(minor).\(rev)"
    }
}
