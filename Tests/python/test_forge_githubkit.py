"""githubkit's typed models for GitHub API version 2022-11-28 parse every answer the GitHub stand-in serves: today's
GitHub, not the 2020 description the exchanges are validated against (see forge-api/README.md)."""
import pytest

import forge_sim
import forge_validate as fv
from forge_sim import BOT_BRANCH, PROJECT, TOKEN


@pytest.fixture
def standin():
    s = forge_sim.StandIn("github")
    yield s
    s.stop()
    problems, n = fv.check_file(s.record)
    s.cleanup()
    assert n > 0
    assert problems == [], "\n".join(problems)


def test_githubkit_models_parse_every_github_answer(standin):
    """Every endpoint the GitHub stand-in serves, through githubkit's typed models for API version 2022-11-28."""
    from githubkit import GitHub, TokenAuthStrategy

    owner, name = PROJECT.split("/")
    with GitHub(TokenAuthStrategy(TOKEN), base_url=standin.api + "/", auto_retry=False) as gh:
        rest = gh.rest("2022-11-28")
        assert rest.users.get_authenticated().parsed_data.login == "promote-bot"
        assert rest.repos.get(owner, name).parsed_data.full_name == PROJECT
        pr = rest.pulls.create(owner, name, title="Promote jukebox 1.4.2", head=BOT_BRANCH, base="main", body="b").parsed_data
        assert pr.number == 1 and pr.head.ref == BOT_BRANCH
        assert [p.number for p in rest.pulls.list(owner, name, state="open").parsed_data] == [1]
        assert rest.pulls.update(owner, name, 1, title="Promote jukebox 1.4.3").parsed_data.title == "Promote jukebox 1.4.3"
        labels = rest.issues.add_labels(owner, name, 1, labels=["promotion"]).parsed_data
        assert [l.name for l in labels] == ["promotion"]
        asked = rest.pulls.request_reviewers(owner, name, 1, reviewers=["alice"], team_reviewers=["platform"]).parsed_data
        assert [u.login for u in asked.requested_reviewers] == ["alice"]
        assert [t.slug for t in asked.requested_teams] == ["platform"]
        listed = rest.pulls.list(owner, name, state="open").parsed_data  # the simple form: labels, teams (Team)
        assert [(p.number, [l.name for l in p.labels], [t.slug for t in p.requested_teams]) for p in listed] == [(1, ["promotion"], ["platform"])]
        assert rest.issues.create_comment(owner, name, 1, body="metrics").parsed_data.body == "metrics"
        assert [c.body for c in rest.issues.list_comments(owner, name, 1).parsed_data] == ["metrics"]
        sha = standin.git("rev-parse", BOT_BRANCH)
        status = rest.repos.create_commit_status(owner, name, sha, state="pending", context="promote", description="verifying").parsed_data
        assert (status.state, status.context) == ("pending", "promote")
        standin.control("POST", "/_sim/statuses", {"project": PROJECT, "ref": sha, "context": "lint", "state": "completed",
                                                    "conclusion": "success", "checkRun": True})
        combined = rest.repos.get_combined_status_for_ref(owner, name, sha).parsed_data
        assert combined.state == "pending" and [s.context for s in combined.statuses] == ["promote"]
        runs = rest.checks.list_for_ref(owner, name, sha).parsed_data
        assert runs.total_count == 1 and (runs.check_runs[0].name, runs.check_runs[0].conclusion) == ("lint", "success")
        got = rest.pulls.get(owner, name, 1).parsed_data  # the full form: labels, teams (TeamSimple)
        assert [l.name for l in got.labels] == ["promotion"] and [t.slug for t in got.requested_teams] == ["platform"]
        assert rest.pulls.merge(owner, name, 1, merge_method="merge").parsed_data.merged
        merged = rest.pulls.get(owner, name, 1).parsed_data
        assert merged.merged and merged.merged_by.login == "promote-bot"
        issue = rest.issues.get(owner, name, 1).parsed_data  # where GitHub says who closed a pull request
        assert issue.state == "closed" and issue.closed_by.login == "promote-bot" and issue.pull_request.merged_at
