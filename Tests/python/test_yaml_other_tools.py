"""`promote spec set` on inputs of the kinds other tools' test suites hold (our own inputs, same kinds), through the
built binary, each judged byte for byte and by PyYAML (or Python's `json` for JSON documents):

- Kargo's `json-update` step: JSON indented with tabs (Go's `json.MarshalIndent(v, "", "\\t")`) is edited as JSON.
- yq's assign (`.a.b = "frog"`) on documents whose root is a flow collection: plain stays plain.
- Argo CD Image Updater's Helm write-back: merge keys (`<<: *app-image`) and literal dotted keys (`image.tag:`).
- Flux's image automation setters and Kargo's `kustomize-set-image`: newName, newTag and digest set together.
"""
from __future__ import annotations

import json

import pytest

from yaml_judge import judge_many, run

DIGEST = "sha256:" + "a" * 64

TABBED_JSON = (b'{\n\t"image": {\n\t\t"repository": "ghcr.io/org/app",\n\t\t"tag": "v1.0.0"\n\t},\n'
               b'\t"replicas": 2,\n\t"annotations": {\n\t\t"serving.kserve.io/deploymentMode": "Serverless"\n\t}\n}\n')

MERGED = b"""# Argo CD Image Updater style values
images:
  app: &app-image
    repository: ghcr.io/org/app
    tag: 1.0.0
  sidecar:
    <<: *app-image
    tag: 2.0.0
"""

HELM_DOTTED = b"""image.name: ghcr.io/org/app
image.tag: 1.0.0   # written by the image updater
image:
  tag: unrelated
"""

KUSTOMIZATION = b"""apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- deployment.yaml
images:
- name: ghcr.io/org/app # {"$imagepolicy": "flux-system:app"}
  newName: ghcr.io/org/app
  newTag: 1.0.0
  digest: sha256:0000000000000000000000000000000000000000000000000000000000000000
"""

CASES = [
    # (mirrors, input, [path, value, ...], expected output, judged as JSON)
    ("kargo json-update, tab-indented JSON", TABBED_JSON, ["image.tag", "v1.1.0"],
     TABBED_JSON.replace(b"v1.0.0", b"v1.1.0"), True),
    ("kargo json-update, a key with dots", TABBED_JSON,
     ['annotations."serving.kserve.io/deploymentMode"', "RawDeployment"],
     TABBED_JSON.replace(b'"Serverless"', b'"RawDeployment"'), True),
    ("kargo json-update, a number set to a string, JSON escapes", TABBED_JSON,
     ["replicas", "3", "image.repository", 'ghcr.io/org/"q"\t\u2028'],
     TABBED_JSON.replace(b"2,", b'"3",').replace(b'"ghcr.io/org/app"', b'"ghcr.io/org/\\"q\\"\\t\\u2028"'), True),
    ("kargo json-update, minified", b'{"a":{"b":"x"},"c":[1,"y"]}', ["a.b", "yes", "c[1]", "1.10"],
     b'{"a":{"b":"yes"},"c":[1,"1.10"]}', True),
    ("yq assign, flow mapping root", b"{a: {b: apple}}\n", ["a.b", "frog"], b"{a: {b: frog}}\n", False),
    ("yq assign, flow sequence root", b"[candy, apple]\n", ["[0]", "bogs"], b"[bogs, apple]\n", False),
    ("yq assign, flow root, value unsafe as plain", b"[candy, apple]\n", ["[1]", "a, b"], b'[candy, "a, b"]\n', False),
    ("argocd-image-updater, anchor overridden by the merge", MERGED, ["images.app.tag", "1.1.0"],
     MERGED.replace(b"tag: 1.0.0", b"tag: 1.1.0"), False),
    ("argocd-image-updater, the alias's own key", MERGED, ["images.sidecar.tag", "2.1.0"],
     MERGED.replace(b"tag: 2.0.0", b"tag: 2.1.0"), False),
    ("argocd-image-updater, an anchor no alias uses", b"a: &cool cat\n", ["a", "dog"], b"a: &cool dog\n", False),
    ("argocd-image-updater, quoted dotted Helm key", HELM_DOTTED, ['"image.tag"', "1.1.0"],
     HELM_DOTTED.replace(b"image.tag: 1.0.0", b"image.tag: 1.1.0"), False),
    ("argocd-image-updater, Helm's escaped dot", HELM_DOTTED, ["image\\.tag", "1.1.0", "image\\.name", "ghcr.io/org/b"],
     HELM_DOTTED.replace(b"image.tag: 1.0.0", b"image.tag: 1.1.0").replace(b"org/app", b"org/b"), False),
    ("flux image automation, newName newTag digest", KUSTOMIZATION,
     ['images[name="ghcr.io/org/app"].newName', "registry.example.com/org/app",
      "images[name=ghcr.io/org/app].newTag", "1.1.0", "images[0].digest", DIGEST],
     KUSTOMIZATION.replace(b"newName: ghcr.io/org/app", b"newName: registry.example.com/org/app")
     .replace(b"1.0.0", b"1.1.0").replace(b"sha256:" + b"0" * 64, DIGEST.encode()), False),
]


@pytest.mark.parametrize("mirrors,before,args,expected,as_json", CASES, ids=[c[0] for c in CASES])
def test_edit_matches_bytes_and_tree(tmp_path, mirrors, before, args, expected, as_json):
    f = tmp_path / ("spec.json" if as_json else "spec.yaml")
    f.write_bytes(before)
    p = run("spec", "set", str(f), *args)
    assert p.returncode == 0, p.stderr.decode()
    assert p.stdout == expected, (p.stdout, expected)
    pairs = list(zip(args[::2], args[1::2]))
    judge_many(before, p.stdout, 0, pairs, as_json=as_json)
    if as_json:
        json.loads(p.stdout)  # still JSON
    # --in-place writes the same bytes once.
    q = run("spec", "set", str(f), *args, "--in-place")
    assert q.returncode == 0 and q.stdout == b"" and f.read_bytes() == expected


def test_a_value_already_equal_is_a_no_op(tmp_path):
    f = tmp_path / "values.yaml"
    text = b"a: &cool cat\nb: *cool\n"
    f.write_bytes(text)
    for args in (["a", "cat"], ["a", "cat", "--in-place"]):
        p = run("spec", "set", str(f), *args)
        assert p.returncode == 0 and p.stderr == b"", p.stderr
        assert f.read_bytes() == text and p.stdout in (text, b"")
    f.write_bytes(MERGED)
    p = run("spec", "set", str(f), "images.app.repository", "ghcr.io/org/app")
    assert p.returncode == 0 and p.stdout == MERGED


@pytest.mark.parametrize("text,path,shown", [
    (MERGED, "images.app.repository", "images.sidecar.repository"),
    (b"a: &cool cat\nb: *cool\n", "a", "b"),
    (b"base: &b {tag: 1}\ncopy: *b\n", "base.tag", "copy.tag"),
])
def test_a_value_an_alias_still_shows_is_refused_naming_the_path(tmp_path, text, path, shown):
    f = tmp_path / "values.yaml"
    f.write_bytes(text)
    p = run("spec", "set", str(f), path, "changed", "--in-place")
    assert p.returncode == 1 and p.stdout == b""
    err = p.stderr.decode()
    assert err.startswith(f"error: {f}:") and f'"{shown}" would change with it' in err, err
    assert f.read_bytes() == text


def test_several_pairs_all_or_nothing(tmp_path):
    f = tmp_path / "kustomization.yaml"
    f.write_bytes(KUSTOMIZATION)
    p = run("spec", "set", str(f), "images[0].newTag", "1.1.0", "images[0].nope", "x", "--in-place")
    assert p.returncode == 1 and p.stdout == b"" and b'no key "nope"' in p.stderr
    assert f.read_bytes() == KUSTOMIZATION
    assert sorted(x.name for x in tmp_path.iterdir()) == ["kustomization.yaml"]
    # A malformed second PATH is a usage error before anything is read.
    p = run("spec", "set", str(f), "images[0].newTag", "1.1.0", 'images[0."x', "y")
    assert p.returncode == 64 and f.read_bytes() == KUSTOMIZATION
    p = run("spec", "set", str(f), "images[0].newTag", "1.1.0", "images[0].digest")
    assert p.returncode == 64


def test_help_says_a_malformed_path_is_a_usage_error():
    p = run("spec", "set", "--help")
    text = p.stdout.decode()
    assert p.returncode == 0 and "PATH VALUE [PATH VALUE ...]" in text and "(exit 64)" in text
    assert '"serving.kserve.io/deploymentMode"' in text and "image\\.tag" in text


def test_tab_indented_yaml_stays_refused(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_bytes(b"{\n\ta: 1 # not JSON\n}\n")
    p = run("spec", "set", str(f), "a", "2")
    assert p.returncode == 1 and b"tab" in p.stderr
