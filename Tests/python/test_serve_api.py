"""schemathesis against `promote serve`'s own /openapi.json: generated requests (valid and invalid) to every
operation, authenticated with a bearer token, find no 5xx and no response that breaks the document (status code,
content type, headers, body schema)."""
import shutil
import subprocess
import sys

from serve_world import TOKEN, ServeWorld
from test_release_e2e import FILES

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance"


def test_schemathesis_finds_no_server_error_and_no_response_outside_the_document():
    w = ServeWorld(FILES)
    try:
        w.start()
        cli = shutil.which("schemathesis") or shutil.which("st")
        assert cli, "schemathesis is not installed: run scripts/setup.sh"
        r = subprocess.run(
            [cli, "--no-color", "run", f"http://127.0.0.1:{w.port}/openapi.json", "--checks", CHECKS, "--max-examples", "40",
             "--seed", "20261123", "--header", f"Authorization: Bearer {TOKEN}", "--request-timeout", "20"],
            capture_output=True, text=True, timeout=900, cwd=w.dir)
        output = r.stdout + r.stderr
        assert r.returncode == 0, output[-6000:]
        assert TOKEN not in w.log()
        # The service is still healthy afterwards.
        assert w.json("GET", "/healthz")[0] == 200
    finally:
        w.close()
