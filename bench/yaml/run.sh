#!/usr/bin/env bash
# Spec-editor benchmark: edit of a late node vs libyaml's bare event parse vs a PyYAML load+dump round trip,
# on generated 100 KB / 1 MB / 10 MB multi-document manifests and 1 MB / 10 MB tab-indented JSON manifests
# (Python's json round trip for those), measured in one run (release build); then the nesting-depth figures:
# flow collections nested 128 deep (the limit) in 200 KB and 2 MB (time per MB stays flat: linear), and a
# 200 KB file nested 100,000 deep (refused at the limit, in about the time of a flat parse).
#   bash bench/yaml/run.sh [REPEAT]
set -euo pipefail
cd "$(dirname "$0")/../.."
REPEAT="${1:-7}"
OUT=bench/out
mkdir -p "$OUT"
python3 bench/yaml/generate.py "$OUT" >/dev/null
swift build -c release --product bench-yaml >/dev/null
PATH_EXPR='spec.predictor.model.storageUri'
args=()
for s in 100k 1m 10m; do args+=("$OUT/manifests-$s.yaml" "$PATH_EXPR" "s3://bucket/promoted/9.9.9"); done
for s in 1m 10m; do args+=("$OUT/models-$s.json" "promoted.$PATH_EXPR" "s3://bucket/promoted/9.9.9"); done
.build/release/bench-yaml --repeat "$REPEAT" "${args[@]}" > "$OUT/bench-yaml.jsonl"
: > "$OUT/pyyaml.jsonl"
for s in 100k 1m 10m; do
  pure=pure; [ "$s" = 10m ] && pure=c-only
  python3 bench/yaml/pyyaml_roundtrip.py "$OUT/manifests-$s.yaml" 3 "$pure" >> "$OUT/pyyaml.jsonl"
done
for s in 1m 10m; do python3 bench/yaml/pyyaml_roundtrip.py "$OUT/models-$s.json" 3 c-only >> "$OUT/pyyaml.jsonl"; done
.build/release/bench-yaml --repeat "$REPEAT" "$OUT/deep128-200k.yaml" b v2 "$OUT/deep128-2m.yaml" b v2 \
  "$OUT/manifests-100k.yaml" "$PATH_EXPR" s3://x "$OUT/deep100000.yaml" b v2 > "$OUT/bench-yaml-deep.jsonl"
python3 - "$OUT/bench-yaml.jsonl" "$OUT/pyyaml.jsonl" <<'PY'
import json, sys
swift = [json.loads(l) for l in open(sys.argv[1])]
py = {d["file"]: d for d in map(json.loads, open(sys.argv[2]))}
print("best of N runs (medians of the editor: " + ", ".join(f"{s['median_edit_ms']:.1f}ms" for s in swift) + ")")
print(f"{'size':>10} {'docs':>6} {'bare parse':>11} {'editor parse':>13} {'edit':>9} {'edit/bare':>10} {'ms/MB':>7} {'PyYAML C rt':>12} {'rt/edit':>8} {'PyYAML pure rt':>15} {'rt/edit':>8}")
for s in swift:
    p = py[s["file"]]
    mb = s["bytes"] / 1e6
    pure = p.get("pyyaml_pure_ms")
    print(f"{s['bytes']:>10} {s['documents']:>6} {s['bare_parse_ms']:>9.2f}ms {s['editor_parse_ms']:>11.2f}ms {s['edit_ms']:>7.2f}ms "
          f"{s['edit_ms']/s['bare_parse_ms']:>9.2f}x {s['edit_ms']/mb:>7.1f} {p['pyyaml_c_ms']:>10.1f}ms {p['pyyaml_c_ms']/s['edit_ms']:>7.1f}x "
          + (f"{pure:>13.1f}ms {pure/s['edit_ms']:>7.1f}x" if pure else f"{'-':>15} {'-':>8}"))
PY
python3 - "$OUT/bench-yaml-deep.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("nesting depth:")
for r in rows:
    if "refused_ms" in r:
        print(f"{r['bytes']:>10} {r['file'].rsplit('/', 1)[-1]:>22} refused in {r['refused_ms']:.2f}ms ({r['reason']}...)")
    else:
        print(f"{r['bytes']:>10} {r['file'].rsplit('/', 1)[-1]:>22} bare parse {r['bare_parse_ms']:.2f}ms, edit {r['edit_ms']:.2f}ms, "
              f"{r['edit_ms'] / (r['bytes'] / 1e6):.1f} ms/MB, edit/bare {r['edit_ms'] / r['bare_parse_ms']:.2f}x")
PY
