# promote CI step (the same text in ci/github/action.yml, ci/gitlab/promote.gitlab-ci.yml and
# ci/jenkins/resources/promote/step.sh; a test keeps them equal). Reads PROMOTE_* variables:
#   PROMOTE_MODE      release: run `promote release` here (needs promote, PROMOTE_CONFIG and its git/forge secrets)
#                     event:   post a signed Standard Webhooks event to `promote serve` (needs curl, openssl)
#   PROMOTE_MODEL PROMOTE_VERSION PROMOTE_URI      what is ready
#   PROMOTE_METRICS   name=value pairs separated by spaces or newlines (numbers)
#   PROMOTE_SOURCE_COMMIT PROMOTE_RUN_URL PROMOTE_PIPELINE   provenance (optional)
#   PROMOTE_TO PROMOTE_DRY_RUN=true                release mode: one environment; change nothing
#   PROMOTE_SERVE_URL PROMOTE_WEBHOOK_SECRET (whsec_...) PROMOTE_EVENT_ID   event mode
set -eu
fail() { echo "promote step: $*" >&2; exit 64; }
plain() { # a value that goes into JSON and headers unescaped must be plain
  case "$2" in "" | *[!A-Za-z0-9._~:/@+=%#?\&,-]*) fail "$1 is empty or has characters other than A-Z a-z 0-9 . _ ~ : / @ + = % # ? & , -";; esac
}
plain PROMOTE_MODEL "${PROMOTE_MODEL:-}"
plain PROMOTE_VERSION "${PROMOTE_VERSION:-}"
plain PROMOTE_URI "${PROMOTE_URI:-}"
metrics_json=""
for m in ${PROMOTE_METRICS:-}; do
  name=${m%%=*} value=${m#*=}
  case "$m" in *=*) ;; *) fail "metric '$m' is not name=value";; esac
  case "$name" in "" | *[!A-Za-z0-9._-]*) fail "metric name '$name' may only have A-Z a-z 0-9 . _ -";; esac
  printf '%s' "$value" | grep -Eq '^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$' || fail "metric $name: '$value' is not a number"
  metrics_json="$metrics_json${metrics_json:+,}\"$name\":$value"
done
case "${PROMOTE_MODE:-release}" in
release)
  set -- release "$PROMOTE_MODEL" "$PROMOTE_VERSION" --uri "$PROMOTE_URI"
  for m in ${PROMOTE_METRICS:-}; do set -- "$@" --metric "$m"; done
  if [ -n "${PROMOTE_SOURCE_COMMIT:-}" ]; then set -- "$@" --source-commit "$PROMOTE_SOURCE_COMMIT"; fi
  if [ -n "${PROMOTE_RUN_URL:-}" ]; then set -- "$@" --run-url "$PROMOTE_RUN_URL"; fi
  if [ -n "${PROMOTE_TO:-}" ]; then set -- "$@" --to "$PROMOTE_TO"; fi
  if [ "${PROMOTE_DRY_RUN:-false}" = true ]; then set -- "$@" --dry-run; fi
  "${PROMOTE_BIN:-promote}" "$@"
  ;;
event)
  [ -n "${PROMOTE_SERVE_URL:-}" ] || fail "PROMOTE_SERVE_URL (where promote serve listens) is not set"
  case "${PROMOTE_WEBHOOK_SECRET:-}" in whsec_?*) ;; *) fail "PROMOTE_WEBHOOK_SECRET is not set or is not a whsec_ secret";; esac
  source_json=""
  for pair in "commit:${PROMOTE_SOURCE_COMMIT:-}" "runUrl:${PROMOTE_RUN_URL:-}" "pipeline:${PROMOTE_PIPELINE:-}"; do
    key=${pair%%:*} value=${pair#*:}
    if [ -n "$value" ]; then plain "source $key" "$value"; source_json="$source_json${source_json:+,}\"$key\":\"$value\""; fi
  done
  body="{\"model\":\"$PROMOTE_MODEL\",\"version\":\"$PROMOTE_VERSION\",\"uri\":\"$PROMOTE_URI\",\"metrics\":{$metrics_json},\"source\":{$source_json}}"
  id=${PROMOTE_EVENT_ID:-"promote-$PROMOTE_MODEL-$PROMOTE_VERSION-$(date +%s)"}
  plain PROMOTE_EVENT_ID "$id"
  timestamp=$(date +%s)
  key=$(printf '%s' "${PROMOTE_WEBHOOK_SECRET#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
  signature=$(printf '%s.%s.%s' "$id" "$timestamp" "$body" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | base64 | tr -d '\n')
  answer=$(curl -sS --fail-with-body --retry 3 --retry-connrefused --max-time 30 -X POST "${PROMOTE_SERVE_URL%/}/v1/events" \
    -H "Content-Type: application/json" -H "webhook-id: $id" -H "webhook-timestamp: $timestamp" \
    -H "webhook-signature: v1,$signature" --data-binary "$body") || { echo "$answer" >&2; fail "promote serve refused the event"; }
  echo "$answer"
  promotion=$(printf '%s' "$answer" | sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p')
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "promotion-id=$promotion" >> "$GITHUB_OUTPUT"; fi
  ;;
*) fail "PROMOTE_MODE must be release or event, not '${PROMOTE_MODE}'";;
esac
