extension VerifySettings.ArgoCD {
    /// The application's name for `model` in `environment`: `{model}` and `{env}` replaced.
    public func applicationName(model: String, environment: String) -> String {
        application.replacingPlaceholders(["model": model, "env": environment])
    }
}

extension VerifySettings.PrometheusQuery {
    /// The PromQL expression for `model` in `environment` at `version`: exactly `{model}`, `{env}` and `{version}` are
    /// replaced, and nothing else (PromQL's own braces, `x{model="{model}"}`, stay as written). The values are
    /// escaped for a PromQL string literal (`\` and `"`), where they belong.
    public func promQL(model: String, environment: String, version: String) -> String {
        var text = query
        for (name, value) in [("model", model), ("env", environment), ("version", version)] {
            let escaped = value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
            text = text.replacing("{\(name)}", with: escaped)
        }
        return text
    }
}
