internal import Foundation
internal import HTTPTypes
public import Promotion
internal import WebhookSignatures

/// `POST /v1/webhooks/mlflow`: verifies MLflow's own signature (`X-MLflow-Signature`: the secret's raw bytes as
/// the HMAC key), decodes the delivery, and asks the registry for what a release needs (location, metrics, run).
/// A new version goes to the `push` environments; an alias named in `service.mlflow.aliases` opens the pull
/// request for its environment.
public struct MLflowIntake: Sendable {
    let settings: ServiceSettings.MLflow
    let config: PromoteConfig
    let registry: (any ModelRegistry)?
    let verifier: MLflowSignatureVerifier?

    /// What a delivery leads to.
    enum Outcome {
        case release(ReleaseRequest)
        case ignored(String)
    }

    public init(
        settings: ServiceSettings.MLflow, config: PromoteConfig, registry: (any ModelRegistry)?, environment: [String: String],
        allowUnsigned: Bool
    ) throws(ServiceSetupError) {
        self.settings = settings
        self.config = config
        self.registry = registry
        if let name = settings.secretEnv {
            guard let secret = environment[name], !secret.isEmpty else {
                throw ServiceSetupError("service.mlflow.secretEnv names \(name), which is not set")
            }
            do { verifier = try MLflowSignatureVerifier(secret: secret) } catch {
                throw ServiceSetupError("service.mlflow.secretEnv: \(error)")
            }
        } else if allowUnsigned {
            verifier = nil
        } else {
            throw ServiceSetupError(
                "MLflow webhooks need a secret: set service.mlflow.secretEnv (the webhook's secret), or start with --allow-unauthenticated")
        }
    }

    /// Refuses, before the body is read, a delivery without MLflow's signature headers (when a secret is set).
    func checkHeaders(_ headers: [String: String]) throws(Problem) {
        guard verifier != nil else { return }
        let missing = ["X-MLflow-Delivery-Id", "X-MLflow-Timestamp", "X-MLflow-Signature"].filter { (headers[$0.lowercased()] ?? "").isEmpty }
        guard missing.isEmpty else { throw .unauthorized("\(WebhookVerificationFailure.missingHeaders(missing))") }
    }

    /// The model of the example payload MLflow's "Test webhook" button sends (`POST /api/2.0/mlflow/webhooks/{id}/test`).
    static let testExampleModel = "example_model"

    /// Checks the signature; the delivery id lets a retried delivery find its promotion.
    func authenticate(headers: [String: String], body: [UInt8], now: Date) throws(Problem) -> Delivery {
        let id = headers["x-mlflow-delivery-id"] ?? ""
        if let verifier {
            do {
                try verifier.verify(
                    deliveryID: headers["x-mlflow-delivery-id"], timestamp: headers["x-mlflow-timestamp"],
                    signatureHeader: headers["x-mlflow-signature"], body: body, now: Int(now.timeIntervalSince1970))
            } catch {
                throw .unauthorized("\(error)")
            }
        }
        return Delivery(id: "mlflow:" + (id.isEmpty ? IntakeAuthenticator.digest(body) : id), digest: IntakeAuthenticator.digest(body))
    }

    /// The release a delivery asks for, with what the registry knows of the version.
    func release(for body: [UInt8]) async throws -> Outcome {
        let delivery: MLflowDelivery
        do { delivery = try MLflowDelivery.decode(body) } catch { throw Problem(error) }
        guard case .release(let model, let version, let environments) = delivery.action(settings: settings) else {
            if case .ignore(let reason) = delivery.action(settings: settings) { return .ignored(reason) }
            return .ignored("nothing to do")
        }
        guard let registry else {
            throw Problem(.serviceUnavailable, "registry-unavailable", "the MLflow registry is not reachable from this service")
        }
        let resolved: RegistryVersion
        do { resolved = try await registry.resolve(model: model, version: version) } catch let error as RegistryError {
            switch error.kind {
            case .notReady:
                throw Problem(
                    .serviceUnavailable, "version-not-ready", "MLflow is still preparing \(model) version \(version)",
                    detail: error.message, headers: [.retryAfter: "5"])
            case .notFound where delivery.model == Self.testExampleModel:
                // MLflow's "Test webhook" posts a fixed example (model `example_model`) that no registry holds:
                // the signature was verified, which is what the test is for, so it gets a 2xx.
                return .ignored("MLflow's test delivery (\(Self.testExampleModel)): the signature is valid; nothing to promote")
            case .notFound:
                throw Problem(.unprocessableContent, "unknown-version", "MLflow does not know \(model) version \(version)", detail: error.message)
            case .unauthorized, .unavailable, .invalidResponse:
                throw Problem(.serviceUnavailable, "registry-unavailable", "MLflow could not be asked", detail: error.message, headers: [.retryAfter: "10"])
            }
        }
        let request: ReleaseRequest
        do { request = try delivery.releaseRequest(resolved: resolved, settings: settings) } catch { throw Problem(error) }
        guard environments == nil else { return .release(request) }
        // A new version goes to the push environments only; production waits for its alias.
        let push = config.environments.filter { $0.mode == .push }.map(\.name)
        guard !push.isEmpty else { return .ignored("no push environment is configured for new versions") }
        do {
            return .release(try ReleaseRequest.validated(
                model: request.model, version: request.version, uri: request.uri, metrics: request.metrics, source: request.source,
                idempotencyKey: request.idempotencyKey, environments: push))
        } catch {
            throw Problem(.unprocessableContent, "invalid-event", "the version cannot be promoted", errors: error.problems)
        }
    }
}
