/// Header-name normalisation for the verifiers, which look headers up by lowercased name.
public enum WebhookHeaders {
    /// `headers` with every name lowercased (HTTP header names are case-insensitive). When two names differ only
    /// in case, the value of the later one in iteration order wins, so pass each header once.
    public static func lowercasingNames(_ headers: [String: String]) -> [String: String] {
        Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
    }
}
