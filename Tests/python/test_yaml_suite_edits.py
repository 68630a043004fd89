"""Edits in unusual YAML: every yaml-test-suite input that libyaml accepts and PyYAML loads, a few scalars each,
set through the built binary to tricky values and judged by PyYAML and the line diff (as the outside checks do).
The binary may refuse (exit 1 with a message: aliases, tags, implicit keys…); it must never produce a wrong file."""
from __future__ import annotations

import json
import re

import pytest
import yaml

from yaml_judge import FIXTURES, judge, run, scalar_value_paths

SUITE = FIXTURES / "yaml-test-suite"
VERDICTS = json.loads((SUITE / "libyaml-verdicts.json").read_text())
VALUES = ["gs://models/jukebox/1.4.2", "1.10", "yes", "a: b", "x #y", "*s", "-d", "", "multi\nline", "it's",
          "ünï ✓", "[x, y]", "~", "@x", "2024-01-02", "- item", "q\"uote", "tab\tx", "end:", "{b}"]


def cases():
    out = []
    for case, verdict in sorted(VERDICTS.items()):
        if verdict != "accept":
            continue
        raw = (SUITE / case / "in.yaml").read_bytes()
        if b"!!" in raw:
            continue  # explicit standard tags construct non-JSON values (omap, set, binary) the judge cannot assign
        try:
            docs = list(yaml.safe_load_all(raw.decode("utf-8")))
            nodes = scalar_value_paths(raw)
        except Exception:
            continue  # PyYAML cannot judge this input
        if not nodes or any(not isinstance(d, (dict, list)) for d in docs if d is not None):
            continue
        out.append(case)
    return out


CASES = cases()


def test_enough_cases():
    assert len(CASES) > 100


@pytest.mark.parametrize("case", CASES)
def test_edit_is_exact_or_refused(case, tmp_path):
    path = SUITE / case / "in.yaml"
    raw = path.read_bytes()
    nodes = scalar_value_paths(raw)
    counts: dict[int, int] = {}
    for _, _, node in nodes:
        counts[id(node)] = counts.get(id(node), 0) + 1
    ndocs = len(list(yaml.compose_all(raw.decode("utf-8"))))
    for i, (document, p, node) in enumerate(nodes[:: max(1, len(nodes) // 3)]):
        if not re.fullmatch(r"[^\[\]]*(\[\d+\][^\[\]]*)*", p):
            continue
        value = VALUES[(i + len(case) * 7) % len(VALUES)]
        result = run("spec", "set", str(path), p, value, "--document", str(document))
        if result.returncode != 0:
            assert result.returncode == 1 and result.stdout == b"", result.stderr
            assert re.match(rf"error: {re.escape(str(path))}(:\d+:\d+)?: \S", result.stderr.decode()), result.stderr
            continue
        assert counts[id(node)] == 1, f"{p}: an aliased node was edited"
        judge(raw, result.stdout, document, p, value)
