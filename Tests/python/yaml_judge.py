"""Independent judge of `promote spec set` edits: PyYAML (not libyaml's events) decides whether only the target
changed, and a line diff checks that only the target scalar's lines differ.

Used by the test_yaml_*.py tests; also importable for ad-hoc checks of any file.
"""
from __future__ import annotations

import copy
import os
import re
import subprocess
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "Tests" / "Fixtures"
SPECS = FIXTURES / "specs"


def promote_bin() -> str:
    """The promote executable under test: $PROMOTE_BIN, else the debug build scripts/test.sh makes."""
    return os.environ.get("PROMOTE_BIN", str(REPO / ".build" / "debug" / "promote"))


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([promote_bin(), *args], capture_output=True, input=stdin, timeout=60)
    if b"Asynchronous root command needs availability annotation" in result.stdout + result.stderr:
        raise AssertionError(
            "the debug promote binary calls ArgumentParser's synchronous main() on its asynchronous root command; "
            "Sources/promote/main.swift must await PromoteCommand.asyncParseAsRoot() and run the command")
    return result


def split_path(path: str) -> list:
    """Contract path syntax (DESIGN section 2) -> components: str key, int index, or (key, value) selector.
    Keys may be double-quoted (with \\" and \\\\ escapes) or use Helm's backslash escape (image\\.tag); inside [...]
    an unquoted selector value runs to the ']' (so it may hold dots and slashes), a quoted one may hold anything."""
    out: list = []
    i = 0

    def quoted(i: int) -> tuple[str, int]:
        assert path[i] == '"'
        i += 1
        text = ""
        while path[i] != '"':
            if path[i] == "\\":
                assert path[i + 1] in '"\\', f"bad escape in {path!r}"
                i += 1
            text += path[i]
            i += 1
        return text, i + 1

    while i < len(path):
        c = path[i]
        if c == "[":
            i += 1
            if path[i] == '"':
                key, i = quoted(i)
            else:
                j = i
                while path[j] not in "=]":
                    j += 1
                key, i = path[i:j], j
            if path[i] == "]":
                out.append(int(key))
                i += 1
            else:
                i += 1  # '='
                if path[i] == '"':
                    value, i = quoted(i)
                else:
                    j = path.index("]", i)
                    value, i = path[i:j], j
                assert path[i] == "]"
                i += 1
                out.append((key, value))
        elif c == ".":
            i += 1
        elif c == '"':
            key, i = quoted(i)
            out.append(key)
        else:
            key = ""
            while i < len(path) and path[i] not in ".[":
                if path[i] == "\\" and i + 1 < len(path) and path[i + 1] in '.[]="\\':
                    i += 1
                key += path[i]
                i += 1
            out.append(key)
    return out


def _step(node, comp):
    if isinstance(comp, tuple):
        k, v = comp
        matches = [i for i, item in enumerate(node) if isinstance(item, dict) and item.get(k) == v]
        assert len(matches) == 1, f"selector {comp} matches {len(matches)} items"
        return matches[0]
    return comp


def get(data, path: str):
    for comp in split_path(path):
        data = data[_step(data, comp)]
    return data


def assign(data, path: str, value):
    comps = split_path(path)
    for comp in comps[:-1]:
        data = data[_step(data, comp)]
    data[_step(data, comps[-1])] = value


def load_all(raw: bytes):
    return list(yaml.safe_load_all(raw.decode("utf-8-sig")))


def scalar_lines(raw: bytes, document: int, path: str) -> tuple[int, int]:
    """0-based first and last line of the value scalar at `path` (PyYAML's own composer marks)."""
    docs = list(yaml.compose_all(raw.decode("utf-8-sig")))
    node = docs[document]
    for comp in split_path(path):
        if isinstance(node, yaml.MappingNode):
            found = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == comp]
            assert len(found) == 1, f"key {comp!r}"
            node = found[0]
        else:
            if isinstance(comp, tuple):
                k, v = comp
                items = [it for it in node.value if isinstance(it, yaml.MappingNode)
                         and any(isinstance(a, yaml.ScalarNode) and a.value == k and isinstance(b, yaml.ScalarNode)
                                 and b.value == v for a, b in it.value)]
                assert len(items) == 1
                node = items[0]
            else:
                node = node.value[comp]
    assert isinstance(node, yaml.ScalarNode)
    end = node.end_mark.line
    if node.end_mark.column == 0 and end > node.start_mark.line:
        end -= 1
    return node.start_mark.line, end


def judge(before: bytes, after: bytes, document: int, path: str, value: str) -> None:
    """Assert that `after` is `before` with the scalar at (document, path) set to the string `value`, and
    nothing else: the whole PyYAML tree and a line diff."""
    old_docs = load_all(before)
    new_docs = load_all(after)
    assert len(old_docs) == len(new_docs), "document count changed"
    expected = copy.deepcopy(old_docs)
    assign(expected[document], path, value)
    got = get(new_docs[document], path)
    assert got == value and type(got) is str, f"target reads back as {got!r}, not {value!r}"
    assert new_docs == expected, "something besides the target changed"
    # Line diff: only the scalar's lines may differ.
    first, last = scalar_lines(before, document, path)
    old_lines = before.splitlines(keepends=True)
    new_lines = after.splitlines(keepends=True)
    assert old_lines[:first] == new_lines[:first], "a line before the target changed"
    tail = len(old_lines) - last - 1
    assert tail <= len(new_lines) - first
    if tail:
        assert old_lines[-tail:] == new_lines[-tail:], "a line after the target changed"
    changed = len(new_lines) - first - tail
    assert changed >= 1


def index() -> list[dict]:
    import json
    return json.loads((SPECS / "index.json").read_text())


def path_key(key: str) -> str:
    """A mapping key as a path step: in double quotes (with \\" and \\\\ escapes) when it is empty or holds
    . [ ] = " or a backslash (DESIGN section 2)."""
    if key and not re.search(r'[.\[\]="\\]', key):
        return key
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def scalar_value_paths(raw: bytes):
    """Every (document, path_index) of a mapping-value or sequence-item scalar whose path the syntax can express."""
    out = []
    for d, root in enumerate(yaml.compose_all(raw.decode("utf-8-sig"))):
        stack = [(root, "")]
        while stack:
            node, path = stack.pop()
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if not isinstance(k, yaml.ScalarNode):
                        continue
                    key = path_key(k.value)
                    p = f"{path}.{key}" if path else key
                    stack.append((v, p))
            elif isinstance(node, yaml.SequenceNode):
                for i, v in enumerate(node.value):
                    stack.append((v, f"{path}[{i}]"))
            elif isinstance(node, yaml.ScalarNode) and path:
                out.append((d, path, node))
    return out


def judge_many(before: bytes, after: bytes, document: int, edits: list[tuple[str, str]], *, as_json: bool = False) -> None:
    """Assert that `after` is `before` with every (path, value) of `edits` set to its string and nothing else: the
    whole tree (PyYAML, or Python's `json` for a JSON document) and a line diff (only the targets' lines differ)."""
    import json
    if as_json:
        old_docs, new_docs = [json.loads(before.decode("utf-8-sig"))], [json.loads(after.decode("utf-8-sig"))]
    else:
        old_docs, new_docs = load_all(before), load_all(after)
    assert len(old_docs) == len(new_docs), "document count changed"
    expected = copy.deepcopy(old_docs)
    for path, value in edits:
        assign(expected[document], path, value)
        got = get(new_docs[document], path)
        assert got == value and type(got) is str, f"{path} reads back as {got!r}, not {value!r}"
    assert new_docs == expected, "something besides the targets changed"
    old_lines, new_lines = before.splitlines(keepends=True), after.splitlines(keepends=True)
    if as_json:
        # Single-line JSON values: the same lines, at most one changed per edit.
        assert len(old_lines) == len(new_lines)
        assert sum(a != b for a, b in zip(old_lines, new_lines)) <= len(edits)
        return
    allowed = set()
    for path, _ in edits:
        first, last = scalar_lines(before, document, path)
        allowed.update(range(first, last + 1))
    assert len(old_lines) == len(new_lines), "the number of lines changed"
    for n, (a, b) in enumerate(zip(old_lines, new_lines)):
        assert a == b or n in allowed, f"line {n + 1} changed: {a!r} -> {b!r}"
