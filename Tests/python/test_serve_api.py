"""schemathesis against `promote serve`'s own /openapi.json with every check (`--checks all`): generated requests
(valid and invalid) to every operation, authenticated with a bearer token, find no 5xx, no response outside the
document (status, content type, headers, body), no schema-valid request refused, no schema-invalid one accepted, and
405 with `Allow` for wrong methods. The one allowance (schemathesis.toml beside this file) is explained there, and a
second run on the document without its CloudEvents forms shows that every schema-valid native event is accepted."""
import json
import pathlib
import shutil
import subprocess

from serve_world import TOKEN, ServeWorld
from test_release_e2e import FILES

HERE = pathlib.Path(__file__).parent


def schemathesis(world, location, *options, config=None, cwd=None):
    cli = shutil.which("schemathesis") or shutil.which("st")
    assert cli, "schemathesis is not installed: run scripts/setup.sh"
    return subprocess.run(
        [cli, "--no-color", *(["--config-file", str(config)] if config else []), "run", location, *options, "--checks", "all",
         "--max-examples", "40", "--seed", "20261123", "--generation-database", "none",
         "--header", f"Authorization: Bearer {TOKEN}", "--request-timeout", "20"],
        capture_output=True, text=True, timeout=900, cwd=cwd or world.dir)


def test_schemathesis_all_checks_pass_against_the_served_document():
    w = ServeWorld(FILES)
    try:
        w.start()
        r = schemathesis(w, f"http://127.0.0.1:{w.port}/openapi.json", config=HERE / "schemathesis.toml")
        assert r.returncode == 0, (r.stdout + r.stderr)[-6000:]

        # The native event alone, with no allowance: every schema-valid event is accepted, every invalid one refused.
        doc = w.json("GET", "/openapi.json")[2]
        events = doc["paths"]["/v1/events"]["post"]
        del events["requestBody"]["content"]["application/cloudevents+json"]
        events["parameters"] = [p for p in events["parameters"] if not p["name"].startswith("ce-")]
        second = w.dir / "native"
        second.mkdir()
        native = second / "openapi-native.json"
        native.write_text(json.dumps(doc))
        r = schemathesis(w, str(native), "--url", f"http://127.0.0.1:{w.port}", cwd=second)
        assert r.returncode == 0, (r.stdout + r.stderr)[-6000:]

        assert TOKEN not in w.log()
        assert w.json("GET", "/healthz")[0] == 200
    finally:
        w.close()
