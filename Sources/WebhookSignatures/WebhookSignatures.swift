/// HMAC-SHA256 webhook signatures: Standard Webhooks, MLflow's variant, and the forges' schemes.
/// Domain-free; every comparison runs in constant time.
public enum WebhookSignatures {}
