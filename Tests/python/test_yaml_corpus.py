"""`promote spec models` / `promote spec set` over every manifest of the spec corpus, judged by PyYAML and a line diff.

- models: exactly the locations of index.json (document, path, value, type), in order.
- set: for every location, a realistic new value and a tricky one change exactly that scalar.
- refuse-*: every file is refused with a message naming the file, line and reason, except
  refuse-helm-templates/...rclone-gs-public.yaml (see test_valid_yaml_template_is_editable) and the two
  tab-indented JSON files of refuse-pyyaml-unparseable/ (valid JSON, edited as JSON: see
  test_tab_indented_json_is_edited_as_json).
"""
from __future__ import annotations

import json
import re

import pytest
import yaml

from yaml_judge import SPECS, index, judge, judge_many, run, scalar_value_paths

ENTRIES = index()
LOCATIONS = [
    (e["file"], d["index"], len(e["documents"]), loc)
    for e in ENTRIES for d in e["documents"] for loc in d["locations"]
]
TRICKY = ["1.10", "yes", "null", "0o17", "a: b", "x #y", "*star", "-dash", "", "multi\nline", "it's \"q\"",
          "ünï ✓", "{brace}", "[x, y]", "~", "tab\there", "@at", "%pct", "2024-01-02", "1e3", "- item", "!tag"]
REFUSE = sorted(p for p in SPECS.glob("refuse-*/*"))
VALID_TEMPLATE = "seldon-core-v2__k8s__helm-charts__seldon-core-v2-runtime__templates__rclone-gs-public.yaml"
TAB_JSON = [p for p in REFUSE if p.parent.name == "refuse-pyyaml-unparseable" and p.suffix == ".json"]


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_models_lists_exactly_the_index(entry):
    p = run("spec", "models", str(SPECS / entry["file"]))
    assert p.returncode == 0, p.stderr.decode()
    got = [json.loads(line) for line in p.stdout.decode().splitlines()]
    want = [(d["index"], loc["path"], loc["value"], loc["type"]) for d in entry["documents"] for loc in d["locations"]]
    assert [(g["document"], g["path"], g["value"], g["type"]) for g in got] == want
    kinds = {d["index"]: (d["kind"], d["name"]) for d in entry["documents"]}
    for g in got:
        assert (g["kind"], g["name"]) == kinds[g["document"]]
    want_index = [loc["path_index"] for d in entry["documents"] for loc in d["locations"]]
    assert [g["pathIndex"] for g in got] == want_index
    assert [g["line"] for g in got] == [loc["line"] for d in entry["documents"] for loc in d["locations"]]


def _new_value(loc) -> str:
    old = loc["value"]
    if loc["type"] in ("modelUri", "storageUri", "env:STORAGE_URI", "helm:model-uri"):
        return "gs://models/jukebox/1.4.2"
    if loc["type"] == "arg:--model_id":
        return "--model_id=org/model-2"
    return (old or "v") + "-2" if isinstance(old, str) else "1.4.2"


@pytest.mark.parametrize("file,document,ndocs,loc", LOCATIONS,
                         ids=[f"{f}:{d}:{l['path']}" for f, d, _, l in LOCATIONS])
def test_set_changes_only_the_target(file, document, ndocs, loc, tmp_path):
    path = SPECS / file
    before = path.read_bytes()
    n = LOCATIONS.index((file, document, ndocs, loc))
    for value in (_new_value(loc), TRICKY[n % len(TRICKY)]):
        args = ["spec", "set", str(path), loc["path"], value]
        if ndocs > 1:
            args += ["--document", str(document)]
        p = run(*args)
        assert p.returncode == 0, p.stderr.decode()
        judge(before, p.stdout, document, loc["path_index"], value)
        if value == _new_value(loc) and loc["path_index"] != loc["path"]:
            # The selector path and the index path name the same scalar.
            q = run("spec", "set", str(path), loc["path_index"], value, *(args[5:]))
            assert q.stdout == p.stdout


@pytest.mark.parametrize("path", [p for p in REFUSE if p.name != VALID_TEMPLATE and p not in TAB_JSON],
                         ids=lambda p: p.name)
def test_refuse_files_are_refused_with_file_line_and_reason(path, tmp_path):
    before = path.read_bytes()
    for args in (["spec", "models", str(path)], ["spec", "set", str(path), "metadata.name", "x"]):
        p = run(*args)
        assert p.returncode == 1
        assert p.stdout == b""
        message = p.stderr.decode()
        assert re.match(rf"error: {re.escape(str(path))}:\d+:\d+: \S", message), message
    if "helm-templates" in str(path):
        assert "Helm template" in run("spec", "models", str(path)).stderr.decode()
    # --in-place on a refusal writes nothing.
    copy = tmp_path / path.name
    copy.write_bytes(before)
    p = run("spec", "set", str(copy), "metadata.name", "x", "--in-place")
    assert p.returncode == 1 and copy.read_bytes() == before
    assert [f.name for f in tmp_path.iterdir()] == [path.name]


def test_valid_yaml_template_is_editable():
    """rclone-gs-public.yaml sits in a chart's templates/ folder, but its only template action is inside a
    single-quoted string ('{{ .Release.Namespace }}'): the bytes are valid YAML in which the braces are data, as in
    an Argo CD ApplicationSet. Editing another scalar is safe because the splice touches only that scalar and the
    re-parse check (and this judge) prove the quoted template text is unchanged."""
    path = SPECS / "refuse-helm-templates" / VALID_TEMPLATE
    before = path.read_bytes()
    p = run("spec", "set", str(path), "metadata.name", "seldon-rclone-gs-private")
    assert p.returncode == 0, p.stderr.decode()
    judge(before, p.stdout, 0, "metadata.name", "seldon-rclone-gs-private")
    assert b"'{{ .Release.Namespace }}'" in p.stdout


EDITABLE = [e["file"] for e in ENTRIES]


@pytest.mark.parametrize("file", EDITABLE)
def test_set_any_scalar_of_any_corpus_file(file):
    """Beyond model locations: a sample of every other scalar of each file, with tricky values."""
    path = SPECS / file
    before = path.read_bytes()
    ndocs = len(list(yaml.compose_all(before.decode("utf-8-sig"))))
    nodes = scalar_value_paths(before)
    seen: dict[int, int] = {}
    for d, p, node in nodes:
        seen[id(node)] = seen.get(id(node), 0) + 1
    sample = nodes[:: max(1, len(nodes) // 6)]
    for i, (document, p, node) in enumerate(sample):
        value = TRICKY[(i + len(file)) % len(TRICKY)]
        args = ["spec", "set", str(path), p, value] + (["--document", str(document)] if ndocs > 1 else [])
        result = run(*args)
        if seen[id(node)] > 1:  # an aliased node: refused
            assert result.returncode == 1
            continue
        assert result.returncode == 0, (p, result.stderr.decode())
        judge(before, result.stdout, document, p, value)


@pytest.mark.parametrize("path", TAB_JSON, ids=lambda p: p.name)
def test_tab_indented_json_is_edited_as_json(path):
    """Valid JSON indented with tabs (PyYAML cannot read it): every model location and metadata.name are set, the
    result judged by Python's json (only the target changed, still JSON) and by a line diff (one line changed)."""
    before = path.read_bytes()
    assert "\t" in before.decode()
    p = run("spec", "models", str(path))
    assert p.returncode == 0, p.stderr.decode()
    locations = [json.loads(line) for line in p.stdout.decode().splitlines()]
    assert locations, "no model location found"
    for loc in locations:
        value = "registry.example.com/org/model:2.0" if loc["type"] == "image" else "gs://models/m/2"
        q = run("spec", "set", str(path), loc["path"], value)
        assert q.returncode == 0, q.stderr.decode()
        judge_many(before, q.stdout, 0, [(loc["pathIndex"], value)], as_json=True)
    q = run("spec", "set", str(path), "metadata.name", 'it\'s "new"\t')
    assert q.returncode == 0, q.stderr.decode()
    judge_many(before, q.stdout, 0, [("metadata.name", 'it\'s "new"\t')], as_json=True)
    assert b'"it\'s \\"new\\"\\t"' in q.stdout
