"""Validates recorded stand-in forge exchanges (JSON lines written by ForgeSim's ExchangeRecorder) against the
official API descriptions copied into Tests/python/forge-api/ (see SOURCES.md there), with openapi-core.

Each exchange is checked on both sides: the request the client sent, and the response the stand-in returned.
Statuses the descriptions omit are allowed only from the explicit ALLOWED_UNDESCRIBED list, and their bodies are
checked by hand. Responses produced by an injected fault that are deliberately malformed (huge, non-JSON) are
exempt on the response side only.

The Swagger 2.0 -> OpenAPI 3.1 converter is taken from forge-api/validate_example.py (Promote's shared test data).
"""
import copy
import functools
import json
import pathlib
import re
from urllib.parse import parse_qsl

from jsonschema.exceptions import best_match
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

HERE = pathlib.Path(__file__).resolve().parent
API = HERE / "forge-api"
FLOWS = {"accessCode": "authorizationCode", "implicit": "implicit", "password": "password",
         "application": "clientCredentials"}

# Statuses real forges send that the descriptions do not list for most operations (GitHub 2020 has no 401/429).
ALLOWED_UNDESCRIBED = {401, 429}
# Injected faults whose responses are not meant to match any description.
MALFORMED_FAULTS = {"hugeBody", "nonJSON", "incompleteJSON"}
# Injected faults whose responses are error statuses (5xx, secondary-limit 403) with a forge-shaped error body.
ERROR_FAULTS = {"status", "tooManyRequests", "secondaryRateLimit", "unauthorized", "lostAnswer"}

SPECS = {
    "github": [("github", "github/api.github.com.trimmed.json", "")],
    "gitlab": [("gitlab", "gitlab/gitlab-mr.derived.openapi.json", "/api/v4")],
    "gitea": [("gitea", "gitea/gitea-swagger.v1.trimmed.json", "/api/v1"),
              ("forgejo", "forgejo/forgejo-swagger.v1.trimmed.json", "/api/v1")],
    "bitbucket": [("bitbucket", "bitbucket/bitbucket-2.0-swagger.trimmed.json", "/2.0")],
}
SERVER = "http://127.0.0.1"


def swagger2_to_oas3(sw, server, go_nullable):
    """Minimal Swagger 2.0 -> OpenAPI 3.1 conversion (from forge-api/validate_example.py, unchanged in substance).
    go_nullable (Gitea/Forgejo): every property may also be null and "format: email" is dropped, because go-swagger
    omits x-nullable for Go pointers and nil slices that real servers send as null."""
    def fix(n):
        if isinstance(n, list):
            return [fix(v) for v in n]
        if not isinstance(n, dict):
            return n
        n = {k: fix(v) for k, v in n.items()}
        if isinstance(n.get("discriminator"), str):
            del n["discriminator"]
        if go_nullable and n.get("format") == "email":
            del n["format"]
        for k, v in (n.get("properties") or {}).items() if go_nullable else ():
            if "$ref" in v:
                n["properties"][k] = {"anyOf": [v, {"type": "null"}]}
            elif isinstance(v.get("type"), str):
                v["type"] = [v["type"], "null"]
        if isinstance(n.get("$ref"), str):
            n["$ref"] = n["$ref"].replace("#/definitions/", "#/components/schemas/").replace(
                "#/responses/", "#/components/responses/")
        if n.pop("x-nullable", False) and isinstance(n.get("type"), str):
            n["type"] = [n["type"], "null"]
        return n

    def resp(r):
        out = r if "$ref" in r else {"description": r.get("description", "")}
        if "schema" in r:
            out["content"] = {"application/json": {"schema": r["schema"]}}
        if "headers" in r:
            out["headers"] = {h: {"schema": v} for h, v in r["headers"].items()}
        return out

    def param(p):
        keep = {k: v for k, v in p.items() if k in ("name", "in", "required", "description", "$ref")}
        return keep if "$ref" in p else {**keep, "schema": {k: p[k] for k in
                                          ("type", "format", "items", "enum", "default") if k in p}}

    sw, paths = fix(copy.deepcopy(sw)), {}
    for path, item in sw["paths"].items():
        out = paths.setdefault(path, {})
        for m, op in item.items():
            if m == "parameters":
                out[m] = [param(x) for x in op]
                continue
            op = {k: v for k, v in op.items() if k not in ("consumes", "produces", "parameters")}
            op["parameters"] = [param(p) for p in item[m].get("parameters", []) if p.get("in") != "body"]
            for p in (p for p in item[m].get("parameters", []) if p.get("in") == "body"):
                op["requestBody"] = {"required": bool(p.get("required")),
                                     "content": {"application/json": {"schema": p["schema"]}}}
            op["responses"] = {c: resp(r) for c, r in op["responses"].items()}
            out[m] = op
    sec = {n: {"type": "http", "scheme": "basic"} if d["type"] == "basic" else
           {"type": "oauth2", "flows": {FLOWS[d["flow"]]: {k: d[k] for k in
            ("authorizationUrl", "tokenUrl", "scopes") if k in d}}} if d["type"] == "oauth2" else
           {k: d[k] for k in ("type", "name", "in")} for n, d in sw.get("securityDefinitions", {}).items()}
    return {"openapi": "3.1.0", "info": sw["info"], "servers": [{"url": server}], "paths": paths,
            "security": sw.get("security", []),
            "components": {"schemas": sw.get("definitions", {}), "securitySchemes": sec,
                           "responses": {n: resp(r) for n, r in sw.get("responses", {}).items()}}}


@functools.lru_cache(maxsize=None)
def load(rel, prefix):
    spec = json.loads((API / rel).read_text())
    server = SERVER + prefix
    if spec.get("swagger") == "2.0":
        go = spec["info"]["title"].startswith(("Gitea", "Forgejo"))
        return OpenAPI.from_dict(swagger2_to_oas3(spec, server, go))
    for schema, field in GITHUB_NULLABLE_SINCE_2020 if rel.startswith("github/") else ():
        spec["components"]["schemas"][schema]["properties"][field]["nullable"] = True
    return OpenAPI.from_dict({**spec, "servers": [{"url": server}]})


def reason(e):
    while e is not None:
        if getattr(e, "schema_errors", None):
            x = best_match(e.schema_errors)
            return f"{'/'.join(map(str, x.absolute_path)) or '<root>'}: {x.message}"[:200]
        e = e.__cause__ or e.__context__
    return ""


def _error_body_ok(flavour, body):
    """Hand check of an error body the descriptions do not cover: the forge's own {"message": ...} shape."""
    if flavour == "bitbucket":
        return isinstance(body, dict) and body.get("type") == "error" and isinstance((body.get("error") or {}).get("message"), str)
    if not isinstance(body, dict) or "message" not in body:
        return False
    msg = body["message"]
    return isinstance(msg, str) or (flavour == "gitlab" and isinstance(msg, (list, dict)))


# Fields the 2020 GitHub description declares non-nullable that API version 2022-11-28 declares nullable (githubkit's
# models, generated from GitHub's current description: Status.target_url and .description are Optional and required);
# github.com sends null for a status set without them.
GITHUB_NULLABLE_SINCE_2020 = [("status", "target_url"), ("status", "description")]
# Error answers the descriptions leave out for one operation: GitHub answers 422 "No commit found for SHA" to a
# status on an unknown commit (its 2020 description lists 201 only). The body is checked as any error body.
UNDESCRIBED_ERRORS = {("github", "POST", re.compile(r"^/repos/[^/]+/[^/]+/statuses/[^/]+$"), 422)}
# Reads the copied descriptions do not describe (the 2020 GitHub file, the trimmed Gitea, GitLab and Bitbucket files):
# their answers are proven through the official clients instead (githubkit's and PyGithub's models for GitHub,
# python-gitlab for GitLab; test_forge_official_clients.py), and checked here for the fields Promote reads.
UNDESCRIBED_READS = {
    ("github", re.compile(r"^/repos/[^/]+/[^/]+/commits/[^/]+/status$")): ("state", "statuses"),
    ("github", re.compile(r"^/repos/[^/]+/[^/]+/commits/[^/]+/check-runs$")): ("total_count", "check_runs"),
    ("github", re.compile(r"^/repos/[^/]+/[^/]+/issues/\d+$")): ("number", "state", "closed_by"),
    ("gitea", re.compile(r"^/api/v1/repos/[^/]+/[^/]+/commits/[^/]+/status$")): ("state", "statuses"),
    ("gitlab", re.compile(r"^/api/v4/projects/[^/]+/repository/commits/[^/]+/statuses$")): None,
    ("bitbucket", re.compile(r"^/2\.0/repositories/[^/]+/[^/]+/commit/[^/]+/statuses$")): ("values",),
}


def _undescribed_read(x):
    """Violations of an exchange the descriptions do not describe, or None when they describe it."""
    if x["method"] != "GET":
        return None
    for (flavour, pattern), keys in UNDESCRIBED_READS.items():
        if flavour == x["flavour"] and pattern.match(x["path"]):
            body, status = x["response_body"], x["status"]
            if status >= 400 or x.get("fault"):
                return [] if _error_body_ok(flavour, body) or x.get("fault") in MALFORMED_FAULTS else [f"{x['path']}: error body {str(body)[:200]}"]
            if keys is None:
                return [] if isinstance(body, list) and all("status" in s and "name" in s for s in body) else [f"{x['path']}: not a list of statuses"]
            return [] if isinstance(body, dict) and all(k in body for k in keys) else [f"{x['path']}: lacks {keys}"]
    return None


def check_exchange(x):
    """Returns a list of violations (strings) for one recorded exchange."""
    undescribed = _undescribed_read(x)
    if undescribed is not None:
        return undescribed
    problems = []
    flavour = x["flavour"]
    fault = x.get("fault")
    status = x["status"]
    label = f'{x["method"]} {x["path"]}{"?" + x["query"] if x["query"] else ""} -> {status}'
    raw = x.get("request_raw_body")
    headers = {k: v for k, v in x["request_headers"].items()}
    args = dict(parse_qsl(x["query"], keep_blank_values=True))
    for name, rel, prefix in SPECS[flavour]:
        api = load(rel, prefix)
        req = MockRequest(SERVER, x["method"].lower(), x["path"], headers=headers, args=args,
                          data=raw.encode() if raw else None, content_type=headers.get("content-type", "application/json").split(";")[0])
        try:
            api.validate_request(req)
        except Exception as e:  # openapi-core's typed validation errors
            problems.append(f"[{name}] request {label}: {type(e).__name__}: {reason(e) or str(e)[:200]}")
            continue
        if fault in MALFORMED_FAULTS:
            continue  # deliberately not a valid answer; the request side was still checked
        undescribed_error = any(f == flavour and m == x["method"] and p.match(x["path"]) and s == status
                                for f, m, p, s in UNDESCRIBED_ERRORS)
        if status in ALLOWED_UNDESCRIBED or fault in ERROR_FAULTS or undescribed_error:
            if not _error_body_ok(flavour, x["response_body"]):
                problems.append(f"[{name}] {label}: error body is not the forge's message shape: {str(x['response_body'])[:200]}")
            if status in ALLOWED_UNDESCRIBED or fault or undescribed_error:
                continue
        body = x["response_body"]
        if isinstance(body, dict) and body.get("truncated"):
            continue
        if not x.get("response_is_json", True):
            problems.append(f"[{name}] response {label}: body is not JSON")
            continue
        rheaders = x["response_headers"]
        ctype = rheaders.get("content-type", "application/json").split(";")[0]
        data = b"" if body is None else json.dumps(body).encode()
        res = MockResponse(data, status_code=status, headers={k: v for k, v in rheaders.items() if k != "content-type"},
                           content_type=ctype if data else None)
        try:
            api.validate_response(req, res)
        except Exception as e:
            problems.append(f"[{name}] response {label}: {type(e).__name__}: {reason(e) or str(e)[:200]}")
    return problems


def check_file(path):
    """Violations of every exchange in a JSON-lines file, and how many exchanges it held."""
    problems, n = [], 0
    for line in pathlib.Path(path).read_text().splitlines():
        if not line.strip():
            continue
        n += 1
        problems += check_exchange(json.loads(line))
    return problems, n


if __name__ == "__main__":
    import sys
    total = []
    for f in sys.argv[1:]:
        p, n = check_file(f)
        print(f"{f}: {n} exchanges, {len(p)} violations")
        total += p
    for p in total:
        print("  " + p)
    sys.exit(1 if total else 0)
