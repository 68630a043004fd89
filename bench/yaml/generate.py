"""Writes multi-document SeldonDeployment/KServe manifests of about 100 KB, 1 MB and 10 MB, tab-indented JSON
manifests of about 1 MB and 10 MB, and flow collections nested 128 deep (the limit) in 200 KB and 2 MB, plus one
nested 100,000 deep (refused) (deterministic)."""
import json
import sys
from pathlib import Path

DOC = """---
# {i}: model {name}, promoted by CI
apiVersion: machinelearning.seldon.io/v1
kind: SeldonDeployment
metadata:
  name: {name}
  labels: {{team: ml, tier: "{tier}"}}
spec:
  predictors:
  - name: default
    traffic: 100
    graph:
      name: {name}
      implementation: SKLEARN_SERVER
      modelUri: gs://models/{name}/1.{i}.0   # version {i}
      parameters:
      - {{name: threshold, type: FLOAT, value: "0.{i}"}}
    componentSpecs:
    - spec:
        containers:
        - name: {name}
          image: "registry.example.com/ml/{name}:1.{i}.0"
          env:
          - name: NOTE
            value: 'café ✓ {i}'
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: {name}-kserve
spec:
  predictor:
    model:
      modelFormat: {{name: sklearn}}
      storageUri: "s3://bucket/{name}/{i}"
"""


def write(path: Path, size: int) -> None:
    parts = []
    total = 0
    i = 0
    while total < size:
        text = DOC.format(i=i, name=f"model-{i:06d}", tier="gold" if i % 2 else "silver")
        parts.append(text)
        total += len(text.encode())
        i += 1
    path.write_text("".join(parts))


def write_json(path: Path, size: int) -> None:
    """One JSON document (a List of InferenceServices, as `json.MarshalIndent(v, "", "\\t")` writes it) whose last key
    holds the edited storageUri."""
    items = []
    total = 0
    i = 0
    while total < size:
        item = {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
                "metadata": {"name": f"model-{i:06d}", "annotations": {"serving.kserve.io/deploymentMode": "Serverless",
                                                                      "note": f"caf\u00e9 \u2713 {i}"}},
                "spec": {"predictor": {"minReplicas": i % 3, "model": {"modelFormat": {"name": "sklearn"},
                                                                     "storageUri": f"s3://bucket/model-{i:06d}/{i}"}}}}
        items.append(item)
        total += len(json.dumps(item, indent="\t", ensure_ascii=False).encode()) + 4
        i += 1
    doc = {"apiVersion": "v1", "kind": "List", "items": items,
           "promoted": {"spec": {"predictor": {"model": {"storageUri": "s3://bucket/promoted/1.0.0"}}}}}
    path.write_text(json.dumps(doc, indent="\t", ensure_ascii=False) + "\n")


def write_deep(path: Path, size: int, depth: int) -> None:
    """A list of flow sequences nested `depth` deep, then the edited key `b`."""
    block = "[" * depth + "x" + "]" * depth
    parts = ["a:\n"]
    total = 3
    while total < size:
        parts.append(f"- {block}\n")
        total += len(block) + 3
    parts.append("b: tag\n")
    path.write_text("".join(parts))


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/out")
    out.mkdir(parents=True, exist_ok=True)
    for label, size in (("100k", 100_000), ("1m", 1_000_000), ("10m", 10_000_000)):
        write(out / f"manifests-{label}.yaml", size)
        print(out / f"manifests-{label}.yaml")
    for label, size in (("1m", 1_000_000), ("10m", 10_000_000)):
        write_json(out / f"models-{label}.json", size)
    for label, size in (("200k", 200_000), ("2m", 2_000_000)):
        write_deep(out / f"deep128-{label}.yaml", size, 128)
    (out / "deep100000.yaml").write_text("a: " + "[" * 100_000 + "x" + "]" * 100_000 + "\nb: tag\n")
