"""The official client libraries (PyGithub, python-gitlab, githubkit's typed models for API version 2022-11-28) drive
the stand-in forge, to show it answers as today's forges do; every exchange they make is then validated against the
API descriptions too."""
import github
import gitlab
import pytest

import forge_sim
import forge_validate as fv
from forge_sim import BOT_BRANCH, PROJECT, TOKEN


@pytest.fixture
def standin(request):
    s = forge_sim.StandIn(request.param)
    yield s
    s.stop()
    problems, n = fv.check_file(s.record)
    s.cleanup()
    assert n > 0
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("standin", ["github"], indirect=True)
def test_pygithub_drives_the_github_stand_in(standin):
    g = github.Github(base_url=standin.api, auth=github.Auth.Token(TOKEN), retry=None)
    repo = g.get_repo(PROJECT)
    assert repo.full_name == PROJECT
    pr = repo.create_pull(title="Promote jukebox 1.4.2", body="model jukebox", head=BOT_BRANCH, base="main")
    assert pr.number == 1 and pr.state == "open" and pr.head.ref == BOT_BRANCH
    assert pr.head.sha == standin.git("rev-parse", BOT_BRANCH)

    with pytest.raises(github.GithubException) as exists:
        repo.create_pull(title="again", body="", head=BOT_BRANCH, base="main")
    assert exists.value.status == 422
    assert "A pull request already exists" in str(exists.value.data)

    standin.seed(150)
    pulls = list(repo.get_pulls(state="open"))  # 30 per page: six pages through Link headers
    assert len(pulls) == 151
    assert [p.number for p in pulls if p.head.ref == BOT_BRANCH] == [1]

    pr.edit(title="Promote jukebox 1.4.3", body="new body")
    pr = repo.get_pull(1)
    assert (pr.title, pr.body) == ("Promote jukebox 1.4.3", "new body")
    assert pr.mergeable is True
    pr.create_issue_comment("metrics: accuracy 0.93")
    assert [c.body for c in pr.get_issue_comments()] == ["metrics: accuracy 0.93"]
    pr.create_review_request(reviewers=["alice"])
    assert [u.login for u in repo.get_pull(1).requested_reviewers] == ["alice"]

    status = pr.merge(merge_method="merge")
    assert status.merged
    assert status.sha == standin.git("rev-parse", "main")
    assert repo.get_pull(1).merged

    bad = github.Github(base_url=standin.api, auth=github.Auth.Token("wrong"), retry=None)
    with pytest.raises(github.BadCredentialsException):
        bad.get_repo(PROJECT)


@pytest.mark.parametrize("standin", ["gitlab"], indirect=True)
def test_python_gitlab_drives_the_gitlab_stand_in(standin):
    gl = gitlab.Gitlab(url=standin.origin, private_token=TOKEN, retry_transient_errors=False)
    project = gl.projects.get(PROJECT)
    assert project.path_with_namespace == PROJECT
    mr = project.mergerequests.create({"source_branch": BOT_BRANCH, "target_branch": "main",
                                       "title": "Promote jukebox 1.4.2", "description": "model jukebox"})
    assert mr.iid == 1 and mr.state == "opened"
    assert mr.sha == standin.git("rev-parse", BOT_BRANCH)

    with pytest.raises(gitlab.exceptions.GitlabCreateError) as exists:
        project.mergerequests.create({"source_branch": BOT_BRANCH, "target_branch": "main", "title": "again"})
    assert exists.value.response_code == 409
    assert "Another open merge request already exists for this source branch: !1" in str(exists.value)

    standin.seed(150)
    mrs = project.mergerequests.list(state="opened", get_all=True)  # 20 per page, Link / X-Next-Page
    assert len(mrs) == 151
    assert [m.iid for m in mrs if m.source_branch == BOT_BRANCH] == [1]
    mrs = project.mergerequests.list(state="opened", source_branch=BOT_BRANCH, get_all=True)
    assert [m.iid for m in mrs] == [1]

    mr.description = "new body"
    mr.save()
    mr = project.mergerequests.get(1)
    assert mr.description == "new body"
    assert mr.detailed_merge_status == "mergeable"
    mr.notes.create({"body": "metrics: accuracy 0.93"})
    assert [n.body for n in mr.notes.list(get_all=True)] == ["metrics: accuracy 0.93"]

    mr.merge()
    mr = project.mergerequests.get(1)
    assert mr.state == "merged"
    assert mr.merge_commit_sha == standin.git("rev-parse", "main")

    bad = gitlab.Gitlab(url=standin.origin, private_token="wrong", retry_transient_errors=False)
    with pytest.raises(gitlab.exceptions.GitlabAuthenticationError):
        bad.projects.get(PROJECT)


@pytest.mark.parametrize("standin", ["github"], indirect=True)
def test_pygithub_sets_and_reads_commit_statuses_and_check_runs(standin):
    g = github.Github(base_url=standin.api, auth=github.Auth.Token(TOKEN), retry=None, lazy=True)
    sha = standin.git("rev-parse", BOT_BRANCH)
    commit = g.get_repo(PROJECT).get_commit(sha)  # lazy: the stand-in serves the commit's statuses, not the commit
    created = commit.create_status(state="pending", target_url="http://promote.example/s", description="verifying",
                                   context="promote")
    assert (created.state, created.context, created.creator.login) == ("pending", "promote", "promote-bot")
    standin.control("POST", "/_sim/statuses", {"project": PROJECT, "ref": sha, "context": "ci/build", "state": "failure"})
    standin.control("POST", "/_sim/statuses", {"project": PROJECT, "ref": sha, "context": "lint", "state": "in_progress",
                                                "checkRun": True})
    commit.create_status(state="success", description="verified", context="promote")
    combined = commit.get_combined_status()
    assert combined.state == "failure" and combined.sha == sha and combined.total_count == 2
    assert sorted((s.context, s.state) for s in combined.statuses) == [("ci/build", "failure"), ("promote", "success")]
    runs = list(commit.get_check_runs())
    assert [(r.name, r.status, r.conclusion) for r in runs] == [("lint", "in_progress", None)]


@pytest.mark.parametrize("standin", ["gitlab"], indirect=True)
def test_python_gitlab_sets_and_reads_commit_statuses(standin):
    gl = gitlab.Gitlab(url=standin.origin, private_token=TOKEN, retry_transient_errors=False)
    commit = gl.projects.get(PROJECT).commits.get(standin.git("rev-parse", BOT_BRANCH), lazy=True)
    created = commit.statuses.create({"state": "running", "name": "promote", "description": "verifying",
                                      "target_url": "http://promote.example/s"})
    assert (created.status, created.name) == ("running", "promote")
    with pytest.raises(gitlab.exceptions.GitlabCreateError) as again:  # GitLab's state machine refuses running -> running
        commit.statuses.create({"state": "running", "name": "promote"})
    assert again.value.response_code == 400 and "Cannot transition status" in str(again.value)
    standin.control("POST", "/_sim/statuses", {"project": PROJECT, "ref": BOT_BRANCH, "context": "ci/build", "state": "pending"})
    commit.statuses.create({"state": "success", "name": "promote", "description": "verified"})
    statuses = commit.statuses.list(get_all=True)
    assert sorted((s.name, s.status) for s in statuses) == [("ci/build", "pending"), ("promote", "success")]
    assert len(standin.control("GET", f"/_sim/statuses?project={PROJECT}&ref={BOT_BRANCH}")) == 3  # every one kept


@pytest.mark.parametrize("standin", ["github"], indirect=True)
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
