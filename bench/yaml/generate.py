"""Writes multi-document SeldonDeployment/KServe manifests of about 100 KB, 1 MB and 10 MB (deterministic)."""
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


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/out")
    out.mkdir(parents=True, exist_ok=True)
    for label, size in (("100k", 100_000), ("1m", 1_000_000), ("10m", 10_000_000)):
        write(out / f"manifests-{label}.yaml", size)
        print(out / f"manifests-{label}.yaml")
