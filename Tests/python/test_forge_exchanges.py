"""Every exchange the Swift forge tests recorded (the Forges clients' requests and the stand-in's responses) must
match the official API descriptions. The Swift tests (ForgesTests) write them to .build/forge-exchanges/;
scripts/test.sh runs `swift test` first."""
import json
import pathlib

import pytest

import forge_validate as fv

ROOT = pathlib.Path(__file__).resolve().parents[2]
LOGS = sorted((ROOT / ".build/forge-exchanges").glob("*.jsonl"))


def test_the_swift_tests_recorded_every_flavour():
    flavours = set()
    for f in LOGS:
        for line in f.read_text().splitlines():
            if line.strip():
                flavours.add(json.loads(line)["flavour"])
    assert {"github", "gitlab", "gitea", "bitbucket"} <= flavours, "run `swift test --filter ForgesTests` first"


@pytest.mark.parametrize("log", LOGS, ids=[f.stem for f in LOGS])
def test_recorded_exchanges_match_the_descriptions(log):
    problems, n = fv.check_file(log)
    assert n > 0
    assert problems == []


def _exchange(**over):
    x = {"flavour": "github", "method": "POST", "path": "/repos/acme/gitops/pulls", "query": "",
         "request_headers": {"authorization": "Bearer ***", "content-type": "application/json"},
         "request_body": None, "request_raw_body": json.dumps({"title": "t", "head": "b", "base": "main", "body": ""}),
         "status": 201, "response_headers": {"content-type": "application/json; charset=utf-8"},
         "response_body": None, "response_is_json": True, "fault": None}
    x.update(over)
    return x


def _github_pr():
    spec = json.loads((fv.API / "github/api.github.com.trimmed.json").read_text())
    return spec["components"]["examples"]["pull-request"]["value"]


def test_a_valid_exchange_passes():
    assert fv.check_exchange(_exchange(response_body=_github_pr())) == []


def test_the_validator_rejects_a_response_of_the_wrong_shape():
    pr = {**_github_pr(), "number": "42"}
    problems = fv.check_exchange(_exchange(response_body=pr))
    assert any("number" in p for p in problems)


def test_the_validator_rejects_a_request_of_the_wrong_shape():
    problems = fv.check_exchange(_exchange(request_raw_body=json.dumps({"title": "t", "base": "main"}),
                                           response_body=_github_pr()))
    assert any("request" in p and "head" in p for p in problems)


def test_an_undescribed_status_outside_the_allow_list_is_rejected():
    problems = fv.check_exchange(_exchange(status=418, response_body={"message": "teapot"}))
    assert problems


def test_allow_listed_statuses_still_need_the_forge_error_shape():
    assert fv.check_exchange(_exchange(status=401, response_body={"message": "Bad credentials"})) == []
    assert fv.check_exchange(_exchange(status=429, response_body={"oops": 1}))


def test_gitea_requests_are_checked_against_gitea_and_forgejo():
    x = _exchange(flavour="gitea", path="/api/v1/repos/acme/gitops/pulls/1/merge",
                  request_raw_body=json.dumps({"do": "merge"}), status=200, response_body=None)
    problems = fv.check_exchange(x)
    assert any(p.startswith("[forgejo] request") and "Do" in p for p in problems)
    x["request_raw_body"] = json.dumps({"do": "merge", "Do": "merge"})
    assert fv.check_exchange(x) == []
