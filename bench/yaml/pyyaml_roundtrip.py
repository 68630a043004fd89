"""Best time of a PyYAML load+dump round trip of a file (what a CI script doing yaml.safe_load/safe_dump pays),
with the libyaml-accelerated loader/dumper and, optionally, the pure-Python ones. Prints JSON."""
import json
import sys
import time

import yaml


def best(runs, body):
    body()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        body()
        times.append((time.perf_counter() - t) * 1e3)
    return min(times)


path, runs, pure = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "pure"
text = open(path, encoding="utf-8").read()
result = {"file": path}
if path.endswith(".json"):
    # JSON with tabs is not YAML to PyYAML: Python's json module's load+dump round trip instead.
    result["pyyaml_c_ms"] = best(runs, lambda: json.dumps(json.loads(text), indent="\t", ensure_ascii=False))
    print(json.dumps(result))
    sys.exit(0)
result["pyyaml_c_ms"] = best(runs, lambda: yaml.dump_all(yaml.load_all(text, Loader=yaml.CSafeLoader), Dumper=yaml.CSafeDumper))
if pure:
    result["pyyaml_pure_ms"] = best(max(1, runs // 3), lambda: yaml.safe_dump_all(yaml.safe_load_all(text)))
print(json.dumps(result))
