import Testing
@testable import Promotion

@Suite struct ConfigDecoderTests {
    /// DESIGN.md section 3, verbatim.
    static let designExample = """
        repository:
          url: https://github.com/acme/mlops-gitops.git   # https://, http:// (loopback only), ssh://, git://, file://
          branch: main
          credentials: { usernameEnv: PROMOTE_GIT_USER, passwordEnv: PROMOTE_GIT_TOKEN }   # or { sshKeyFile: ..., knownHostsFile: ... }
        forge:
          type: github            # github | gitlab | gitea | bitbucket | none
          api: https://api.github.com   # the API base URL, version path included: https://gitlab.example/api/v4,
                                        # https://gitea.example/api/v1, https://api.bitbucket.org/2.0
          project: acme/mlops-gitops
          tokenEnv: PROMOTE_FORGE_TOKEN
          webhookSecretEnv: PROMOTE_FORGE_WEBHOOK_SECRET   # verifies the forge's own webhooks (merge, close)
        commit:
          author: { name: promote-bot, email: promote-bot@example.com }
        environments:             # in promotion order; or `environmentsDir: environments/` with one file per environment
          - name: staging
            path: environments/staging/{model}.yaml
            mode: push
            drift: repair         # report | repair | enforce
          - name: production
            path: environments/production/{model}.yaml
            mode: pull-request
            repository: { url: https://github.com/acme/mlops-gitops-prod.git, branch: main }   # optional: its own repo
            labels: [promotion]
            reviewers: [ml-leads]
            drift: report
            gates: { accuracy: ">= production - 0.01", latency_p99_ms: "<= 250" }   # optional metric gates
        models:                   # optional per-model overrides
          jukebox: { field: "spec.predictors[name=default].graph.modelUri", allowedUris: ["gs://models/jukebox/"] }
          music:                  # a Helm-values layout where the chart builds the URI (the seeds' model-deployments/<env>/<model>/config.yaml)
            path: model-deployments/{env}/{model}/config.yaml
            set: { version: "{version}", image_namespace: "{env}-models" }   # path -> template of {model} {version} {uri} {env}
        service:                  # `promote serve`
          listen: 127.0.0.1:8080
          state: sqlite:///var/lib/promote/promote.db   # default: $XDG_STATE_HOME/promote/promote.db; or postgres://...
          intake:
            secretsEnv: [PROMOTE_INTAKE_SECRET]          # Standard Webhooks secrets (whsec_...), several for rotation
            tokensEnv: [PROMOTE_INTAKE_TOKEN]            # or bearer tokens
          mlflow: { url: http://mlflow:5000, secretEnv: PROMOTE_MLFLOW_SECRET, aliases: { champion: production } }
          reconcile: { every: 10m }
        """

    func decode(_ text: String, environmentFiles: [ConfigDecoder.File] = []) throws(ConfigError) -> PromoteConfig {
        try ConfigDecoder.decode(yaml: .init(name: "promote.yaml", bytes: Array(text.utf8)), environmentFiles: environmentFiles)
    }

    func problems(_ text: String) -> [String] {
        do {
            _ = try decode(text)
            return []
        } catch { return error.problems.map(\.description) }
    }

    @Test func theDesignExampleDecodes() throws {
        let config = try decode(Self.designExample)
        #expect(config.environments.map(\.name) == ["staging", "production"])
        let production = try #require(config.environment(named: "production"))
        #expect(production.mode == .pullRequest)
        #expect(production.repository.url == "https://github.com/acme/mlops-gitops-prod.git")
        #expect(production.repository.credentials == .userPassword(usernameEnv: "PROMOTE_GIT_USER", passwordEnv: "PROMOTE_GIT_TOKEN"))
        #expect(production.forge.project == "acme/mlops-gitops")
        #expect(production.gates.map(\.metric).sorted() == ["accuracy", "latency_p99_ms"])
        #expect(config.environment(named: "staging")?.drift == .repair)
        #expect(config.model("music").set.map(\.path) == ["version", "image_namespace"])
        #expect(config.specPath(model: "music", environment: production) == "model-deployments/production/music/config.yaml")
        #expect(config.service.reconcileEvery == 600)
        #expect(config.service.mlflow?.aliases == ["champion": "production"])
        // The champion alias decides production: advance leaves it alone unless `promotion:` is written.
        #expect(production.stage.promotion == (production.stage.promotionWritten ? production.stage.promotion : .manual))
        #expect(config.environment(named: "staging")?.stage.promotion == .auto)
        #expect(config.defaultPath.map(\.name) == ["staging", "production"])
    }

    @Test func unknownKeysAreNamedWithASuggestion() {
        let found = problems("repository: {url: file:///r.git}\nenviroments: []\n")
        #expect(found.contains("promote.yaml:2: enviroments: unknown key (did you mean 'environments'?)"))
        #expect(found.contains { $0.contains("environments: is required") })
    }

    @Test func maxLanesIsAWholeNumberInRange() throws {
        let base = "repository: {url: file:///r.git}\nenvironments: [{name: staging, path: \"s/{model}.yaml\", mode: push}]\n"
        #expect(try decode(base).service.maxLanes == 16)
        #expect(try decode(base + "service: {maxLanes: 2}\n").service.maxLanes == 2)
        for bad in ["0", "2.5", "\"4\"", "100000"] {
            #expect(problems(base + "service: {maxLanes: \(bad)}\n") == ["promote.yaml:3: service.maxLanes: must be a whole number from 1 to 1024"], "\(bad)")
        }
    }

    @Test func pullRequestEnvironmentNeedsAForge() {
        let found = problems("repository: {url: file:///r.git}\nenvironments:\n  - {name: production, mode: pull-request}\n")
        #expect(found.count == 1)
        #expect(found.first?.contains("mode is pull-request but no forge is configured") == true)
    }

    @Test func everyMistakeIsReportedWithItsLine() {
        let text = """
            repository:
              url: https://user:secret@example.com/r.git
            forge: {type: gitlabb}
            environments:
              - name: Staging
                path: /abs/{model}.yaml
                mode: pushh
                gates: {accuracy: "=> 1"}
            """
        let found = problems(text)
        #expect(found.contains { $0.hasPrefix("promote.yaml:2: repository.url:") && $0.contains("must not contain a password") })
        #expect(found.contains { $0.contains("forge.type: 'gitlabb' is not one of") })
        #expect(found.contains { $0.contains("environments[0].name: 'Staging' must be lowercase") })
        #expect(found.contains { $0.contains("environments[0].path: must be relative") })
        #expect(found.contains { $0.contains("environments[0].mode: 'pushh' is not one of push, pull-request") })
        #expect(found.contains { $0.contains("gates.accuracy: must start with") })
        #expect(!found.joined().contains("secret"), "the password never appears in a message")
    }

    @Test func plainHTTPOnlyOnLoopback() {
        #expect(problems("repository: {url: 'http://127.0.0.1:8080/r.git'}\nenvironments: [{name: s}]\n").isEmpty)
        #expect(problems("repository: {url: 'http://git.example/r.git'}\nenvironments: [{name: s}]\n").first?.contains("loopback") == true)
    }

    @Test func environmentsDirTakesOneFilePerEnvironment() throws {
        let main = "repository: {url: file:///r.git}\nforge: {type: gitea, api: 'http://127.0.0.1:3000/api/v1', project: a/b, tokenEnv: T}\nenvironmentsDir: environments/\n"
        #expect(try ConfigDecoder.environmentsDir(of: .init(name: "promote.yaml", bytes: Array(main.utf8))) == "environments/")
        let config = try decode(main, environmentFiles: [
            .init(name: "environments/1-staging.yaml", bytes: Array("name: staging\nmode: push\n".utf8)),
            .init(name: "environments/2-production.yaml", bytes: Array("name: production\nmode: pull-request\nrepository: {branch: release}\n".utf8)),
        ])
        #expect(config.environments.map(\.name) == ["staging", "production"])
        #expect(config.environment(named: "production")?.repository.branch == "release")
        #expect(config.environment(named: "production")?.repository.url == "file:///r.git")
    }

    @Test func repositoryTimeoutsAreDurationsAndInherited() throws {
        let config = try decode("""
            repository: {url: 'file:///r.git', timeouts: {connect: 5s, idle: 2m}}
            environments: [{name: staging}, {name: other, repository: {url: 'file:///o.git'}}]
            """)
        #expect(config.repository.connectTimeout == 5 && config.repository.idleTimeout == 120)
        #expect(config.environment(named: "other")?.repository.idleTimeout == 120)
        #expect(problems("repository: {url: 'file:///r.git', timeouts: {idle: soon}}\nenvironments: [{name: s}]\n").first?.contains("not a duration") == true)
    }

    @Test func invalidYAMLAndDuplicateKeysAreRefused() {
        #expect(problems("repository: [\n").first?.contains("is not valid YAML") == true)
        #expect(problems("repository: {url: file:///a}\nrepository: {url: file:///b}\n").first?.contains("appears twice") == true)
    }

    @Test func redactsUserInfo() {
        #expect(redactUserInfo("https://u:t@h/x") == "https://***@h/x")
        #expect(redactUserInfo("https://h/x@y") == "https://h/x@y")
    }
}

/// `from`, `promotion`, `soak` and `checks` (DESIGN.md section 3).
@Suite struct StageConfigTests {
    func problems(_ environments: String) -> [String] {
        do {
            _ = try decode(environments)
            return []
        } catch { return (error as? ConfigError)?.problems.map(\.description) ?? ["\(error)"] }
    }

    func decode(_ environments: String) throws -> PromoteConfig {
        let text = "repository: {url: file:///r.git}\nforge: {type: gitea, api: 'http://127.0.0.1:3000/api/v1', project: a/b, tokenEnv: T}\nenvironments:\n" + environments
        return try ConfigDecoder.decode(yaml: .init(name: "promote.yaml", bytes: Array(text.utf8)))
    }

    @Test func fromDefaultsToTheEnvironmentBefore() throws {
        let config = try decode("""
              - {name: dev}
              - {name: staging, soak: 30m}
              - {name: canary, mode: pull-request, promotion: manual, checks: {required: true}}
              - {name: hotfix, from: none}
              - {name: production, mode: pull-request, from: canary}
            """)
        #expect(config.environments.map(\.stage.from) == [nil, "dev", "staging", nil, "canary"])
        #expect(config.environment(named: "staging")?.stage.soak == 1_800)
        #expect(config.environment(named: "canary")?.stage.promotion == .manual)
        #expect(config.environment(named: "canary")?.stage.checksRequired == true)
    }

    @Test func aTreeWithTwoChildrenDecodes() throws {
        let config = try decode("  - {name: staging}\n  - {name: eu, from: staging}\n  - {name: us, from: staging}\n")
        #expect(config.environments.map(\.stage.from) == [nil, "staging", "staging"])
    }

    @Test func anUnknownFromIsRefusedWithItsLine() {
        #expect(problems("  - {name: staging}\n  - {name: production, from: stagin}\n")
            == ["promote.yaml:5: environments.production.from: 'stagin' is not an environment (configured: staging, production)"])
    }

    @Test func aCycleIsRefusedWithItsLine() {
        let found = problems("  - {name: a, from: c}\n  - {name: b}\n  - {name: c, from: b}\n")
        #expect(found == ["promote.yaml:4: environments.a.from: the stages form a cycle: a <- c <- b <- a"])
        #expect(problems("  - {name: a, from: a}\n").first?.contains("cannot come from itself") == true)
    }

    @Test func badStageValuesAreNamed() {
        let found = problems("  - {name: a, promotion: sometimes, soak: forever, checks: {required: maybe, extra: 1}}\n")
        #expect(found.contains { $0.contains("promotion: 'sometimes' is not one of auto, manual") })
        #expect(found.contains { $0.contains("soak: 'forever' is not a duration") })
        #expect(found.contains { $0.contains("required: must be true or false") })
        #expect(found.contains { $0.contains("extra: unknown key") })
    }
}
