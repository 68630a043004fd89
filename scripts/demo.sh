#!/usr/bin/env bash
# The main job, for now: a `promote spec` demonstration on the sample manifests under environments/
# (run after scripts/setup.sh built .build/release/promote). Nothing under environments/ is modified.
set -euo pipefail
cd "$(dirname "$0")/.."
PROMOTE="${PROMOTE:-.build/release/promote}"
"$PROMOTE" --version

echo
echo "== Model locations of every sample spec (promote spec models)"
for f in environments/*/*.yaml; do
  echo "-- $f"
  "$PROMOTE" spec models "$f"
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r environments "$work/"

echo
echo "== CI published jukebox 1.4.2: edit the staging spec (promote spec set --in-place), then the diff"
"$PROMOTE" spec set "$work/environments/staging/jukebox.yaml" \
  'spec.predictors[name=default].graph.modelUri' gs://models/jukebox/1.4.2 --in-place
diff -u environments/staging/jukebox.yaml "$work/environments/staging/jukebox.yaml" || true

echo
echo "== A value YAML would read as a number is written as a string"
"$PROMOTE" spec set "$work/environments/staging/recommender.yaml" spec.storageUri 1.10 \
  | diff -u environments/staging/recommender.yaml - || true

echo
echo "== Refusals: exit 1, a message naming file, line and reason, nothing written"
printf 'spec:\n  replicas: {{ .Values.replicas }}\n  image: app:1\n' > "$work/template.yaml"
set +e
"$PROMOTE" spec set "$work/template.yaml" spec.image app:2; echo "exit $?"
"$PROMOTE" spec set "$work/environments/staging/jukebox.yaml" 'spec.predictors[name=canary].graph.modelUri' x; echo "exit $?"
set -e
