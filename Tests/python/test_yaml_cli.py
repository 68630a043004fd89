"""The `promote spec` CLI contract: --in-place, exit codes, stdout/stderr discipline, JSON lines."""
from __future__ import annotations

import json
import os
import stat

from yaml_judge import judge, run

MANIFEST = b"""# jukebox in staging
apiVersion: machinelearning.seldon.io/v1
kind: SeldonDeployment
metadata:
  name: jukebox
spec:
  predictors:
  - name: default
    graph:
      name: jukebox
      implementation: SKLEARN_SERVER
      modelUri: gs://models/jukebox/1.4.1   # promoted by CI
    replicas: 1
"""


def test_in_place_replaces_atomically_and_keeps_mode(tmp_path):
    f = tmp_path / "jukebox.yaml"
    f.write_bytes(MANIFEST)
    os.chmod(f, 0o640)
    printed = run("spec", "set", str(f), "spec.predictors[name=default].graph.modelUri", "gs://models/jukebox/1.4.2")
    assert printed.returncode == 0
    p = run("spec", "set", str(f), "spec.predictors[name=default].graph.modelUri", "gs://models/jukebox/1.4.2",
            "--in-place")
    assert p.returncode == 0 and p.stdout == b"" and p.stderr == b""
    assert f.read_bytes() == printed.stdout
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    assert sorted(x.name for x in tmp_path.iterdir()) == ["jukebox.yaml"]
    judge(MANIFEST, f.read_bytes(), 0, "spec.predictors[0].graph.modelUri", "gs://models/jukebox/1.4.2")
    assert b"gs://models/jukebox/1.4.2   # promoted by CI\n" in f.read_bytes()


def test_models_json_lines(tmp_path):
    f = tmp_path / "m.yaml"
    f.write_bytes(MANIFEST)
    p = run("spec", "models", str(f))
    assert p.returncode == 0
    [line] = [json.loads(x) for x in p.stdout.decode().splitlines()]
    assert line["document"] == 0 and line["kind"] == "SeldonDeployment" and line["name"] == "jukebox"
    assert line["path"] == "spec.predictors[name=default].graph.modelUri"
    assert line["value"] == "gs://models/jukebox/1.4.1" and line["type"] == "modelUri" and line["line"] == 12


def test_usage_errors_exit_64(tmp_path):
    f = tmp_path / "m.yaml"
    f.write_bytes(MANIFEST)
    assert run("spec", "set", str(f)).returncode == 64
    assert run("spec", "set", str(f), "spec[", "x").returncode == 64
    assert run("spec", "set", str(f), "a", "x", "--document", "-1").returncode == 64
    assert run("spec", "frobnicate").returncode == 64


def test_refusals_exit_1_with_message_and_no_output(tmp_path):
    f = tmp_path / "m.yaml"
    f.write_bytes(MANIFEST)
    cases = {
        "spec.predictors[name=canary].graph.modelUri": "no item with name=canary",
        "spec.predictors": "is a sequence",
        "metadata.labels": 'no key "labels"',
    }
    for path, reason in cases.items():
        p = run("spec", "set", str(f), path, "x")
        assert p.returncode == 1 and p.stdout == b""
        assert str(f) in p.stderr.decode() and reason in p.stderr.decode(), p.stderr.decode()
    missing = run("spec", "set", str(tmp_path / "nope.yaml"), "a", "b")
    assert missing.returncode == 1 and b"no such file" in missing.stderr
    assert f.read_bytes() == MANIFEST


def test_in_place_through_a_symlink_replaces_the_target(tmp_path):
    real = tmp_path / "real.yaml"
    real.write_bytes(MANIFEST)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    p = run("spec", "set", str(link), "spec.predictors[0].graph.modelUri", "gs://models/jukebox/1.4.2", "--in-place")
    assert p.returncode == 0, p.stderr
    assert link.is_symlink()
    judge(MANIFEST, real.read_bytes(), 0, "spec.predictors[0].graph.modelUri", "gs://models/jukebox/1.4.2")


def test_deeply_nested_input_does_not_crash(tmp_path):
    f = tmp_path / "deep.yaml"
    f.write_bytes(b"a: " + b"[" * 5000 + b"x" + b"]" * 5000 + b"\nb: 1\n")
    p = run("spec", "models", str(f))
    assert p.returncode == 0 and p.stdout == b""
    p = run("spec", "set", str(f), "b", "2")
    assert p.returncode == 0  # (too deep for PyYAML's recursive judge: compare the bytes)
    assert p.stdout == f.read_bytes().replace(b"\nb: 1\n", b'\nb: "2"\n')
