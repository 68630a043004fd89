internal import Foundation
internal import Promotion
internal import Synchronization

/// The last grid rendered for each viewer, reused while the report, the viewer and the minute are the same: a warm
/// page whose data did not change is not rendered again. Ages on the page are shown to the minute, so a reused
/// page shows what a fresh render would.
final class PageCache: Sendable {
    struct Key: Hashable {
        var viewer: String
        var csrf: String?
        var canPromote: Bool
        var minute: Int
        var notice: String?
    }

    private let entries = Mutex<[Key: (report: StatusReport, html: String)]>([:])
    let capacity: Int

    init(capacity: Int = 32) { self.capacity = capacity }

    /// The cached page for `key` if it was rendered from an equal report, else `render()`'s, remembered.
    func page(_ key: Key, report: StatusReport, render: () -> String) -> String {
        if let hit = entries.withLock({ $0[key] }), hit.report == report { return hit.html }
        let html = render()
        entries.withLock { entries in
            // Entries of earlier minutes are stale; past the capacity, start over.
            entries = entries.filter { $0.key.minute == key.minute }
            if entries.count >= capacity { entries.removeAll() }
            entries[key] = (report, html)
        }
        return html
    }
}
