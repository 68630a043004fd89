// Jenkins shared-library step `promote`: releases a model version through Promote (`mode: 'release'`, runs
// `promote release` on the agent) or posts a signed Standard Webhooks event to `promote serve` (`mode: 'event'`).
// It replaces the seeds' promote_application.sh (clone, sed, push, curl per event); see the README.
//
//   @Library('promote') _
//   promote(model: 'jukebox', version: env.MODEL_VERSION, uri: "gs://models/jukebox/${env.MODEL_VERSION}",
//           metrics: [accuracy: 0.93, latency_p99_ms: 180])                         // mode: 'release' (default)
//   promote(mode: 'event', model: 'jukebox', version: '1.4.2', uri: 'gs://models/jukebox/1.4.2',
//           serveUrl: 'https://promote.example', webhookSecretCredentialsId: 'promote-intake-secret')
//
// Release mode runs with PROMOTE_CONFIG (default promote.yaml) and the git and forge secrets that promote.yaml
// names in the environment (bind them with withCredentials around the step). The shell step is
// resources/promote/step.sh, the same text as the GitHub action's and the GitLab template's.
def call(Map args = [:]) {
    for (key in ['model', 'version', 'uri']) {
        if (!args[key]) {
            error("promote: the argument '${key}' is required")
        }
    }
    String mode = args.mode ?: 'release'
    Map metrics = args.metrics ?: [:]
    List vars = [
        "PROMOTE_MODE=${mode}",
        "PROMOTE_MODEL=${args.model}",
        "PROMOTE_VERSION=${args.version}",
        "PROMOTE_URI=${args.uri}",
        "PROMOTE_METRICS=${metrics.collect { k, v -> "${k}=${v}" }.join(' ')}",
        "PROMOTE_TO=${args.to ?: ''}",
        "PROMOTE_DRY_RUN=${args.dryRun ? 'true' : 'false'}",
        "PROMOTE_SOURCE_COMMIT=${args.sourceCommit ?: (env.GIT_COMMIT ?: '')}",
        "PROMOTE_RUN_URL=${args.runUrl ?: (env.BUILD_URL ?: '')}",
        "PROMOTE_PIPELINE=${env.JOB_NAME ?: ''}",
        "PROMOTE_EVENT_ID=jenkins-${env.BUILD_TAG ?: System.currentTimeMillis()}-${args.model}-${args.version}",
        "PROMOTE_SERVE_URL=${args.serveUrl ?: ''}",
        "PROMOTE_CONFIG=${args.config ?: (env.PROMOTE_CONFIG ?: 'promote.yaml')}",
        "PROMOTE_BIN=${args.promoteBin ?: 'promote'}",
    ]
    // A shebang without -x: Jenkins' default `sh -xe` would print every command, the signature among them.
    String script = '#!/bin/sh\n' + libraryResource('promote/step.sh')
    String label = "promote ${args.model} ${args.version} (${mode})"
    withEnv(vars) {
        if (mode == 'event') {
            if (!args.webhookSecretCredentialsId) {
                error("promote: mode 'event' needs webhookSecretCredentialsId (a Secret text credential holding whsec_...)")
            }
            withCredentials([string(credentialsId: args.webhookSecretCredentialsId, variable: 'PROMOTE_WEBHOOK_SECRET')]) {
                sh(script: script, label: label)
            }
        } else {
            sh(script: script, label: label)
        }
    }
}
