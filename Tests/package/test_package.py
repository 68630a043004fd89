"""The release archive (scripts/package.sh) on a machine without the Swift toolchain: unpacked from dist/, checked
for what it holds (static Swift runtime, stripped, no toolchain RUNPATH, man pages, completions, the Debian package
list), and run with /opt/swift hidden behind an empty folder (`unshare --mount`): `promote --version`, `promote
config validate`, `promote spec set`, and a whole `promote release` against the loopback git server and the
archive's own stand-in forge. With PROMOTE_TEST_DEBOOTSTRAP=1, deploy/Containerfile's instructions are carried
out in a fresh minimal Debian 12 root (debootstrap --variant=minbase, standing in for debian:bookworm-slim: there
is no container engine here), so it gets only the packages of debian-packages.txt, and the same commands run there
as the image's user.

Run by scripts/test-package.sh (which builds the archive first when it is missing); not part of scripts/test.sh,
because the static release build takes many minutes."""
import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests/python"))

from release_world import World  # noqa: E402
from test_release_e2e import FILES, STAGING_PATH  # noqa: E402

TOOLCHAIN = "/opt/swift"
VERSION = re.search(r'static let current = "(.*)"', (ROOT / "Sources/PromoteCLI/PromoteVersion.swift").read_text()).group(1)
ARCH = os.uname().machine
NAME = f"promote-{VERSION}-linux-{ARCH}"
ARCHIVE = ROOT / "dist" / f"{NAME}.tar.gz"
SPEC = """apiVersion: machinelearning.seldon.io/v1
kind: SeldonDeployment
metadata:
  name: jukebox   # the model
spec:
  predictors:
    - name: default
      graph:
        name: classifier
        modelUri: gs://models/jukebox/1.4.1
"""


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory):
    assert ARCHIVE.exists(), f"{ARCHIVE} is missing: run scripts/test-package.sh (it runs scripts/package.sh first)"
    expected = (ARCHIVE.parent / (ARCHIVE.name + ".sha256")).read_text().split()
    assert expected == [hashlib.sha256(ARCHIVE.read_bytes()).hexdigest(), ARCHIVE.name]
    target = tmp_path_factory.mktemp("unpacked")
    with tarfile.open(ARCHIVE) as tar:
        assert all(m.name == NAME or m.name.startswith(NAME + "/") for m in tar.getmembers())
        tar.extractall(target, filter="data")
    return target / NAME


def hidden(*command, cwd=None, env=None, **kwargs):
    """`command` with the toolchain's folder replaced by an empty one, in a mount namespace of its own."""
    empty = pathlib.Path(os.environ.get("TMPDIR", "/tmp")) / "promote-no-toolchain"
    empty.mkdir(exist_ok=True)
    script = f'mount --bind "{empty}" {TOOLCHAIN} && [ -z "$(ls -A {TOOLCHAIN})" ] && exec "$@"'
    return subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", *map(str, command)],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=kwargs.pop("timeout", 120), **kwargs)


def stamped_version(output):
    """Whether `promote --version` printed the version and this checkout's commit, as scripts/package.sh stamps them."""
    head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return re.fullmatch(rf"{re.escape(VERSION)} \(commit {head}(-dirty)?\)", output.strip()) is not None


def test_the_archive_holds_static_stripped_binaries_docs_and_the_package_list(unpacked):
    for tool in ("promote", "promote-forge-sim"):
        path = unpacked / "bin" / tool
        assert os.access(path, os.X_OK)
        dynamic = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True, check=True).stdout
        assert "RUNPATH" not in dynamic and "RPATH" not in dynamic, dynamic
        needed = re.findall(r"Shared library: \[(.*)\]", dynamic)
        assert not [n for n in needed if re.search(r"swift|Foundation|dispatch|BlocksRuntime", n)], needed
        sections = subprocess.run(["readelf", "-S", str(path)], capture_output=True, text=True, check=True).stdout
        assert ".symtab" not in sections, f"{tool} is not stripped"
        ldd = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=True).stdout
        assert TOOLCHAIN not in ldd and "not found" not in ldd, ldd
    packages = (unpacked / "share/doc/promote/debian-packages.txt").read_text().split()
    for wanted in ("libgit2-1.5", "libcurl4", "libyaml-0-2", "libsqlite3-0", "ca-certificates"):
        assert wanted in packages, packages
    man = {p.name for p in (unpacked / "share/man/man1").iterdir()}
    assert {"promote.1", "promote.release.1", "promote.serve.1", "promote.spec.set.1"} <= man, man
    page = (unpacked / "share/man/man1/promote.1").read_text()
    assert ".Dt PROMOTE 1" in page and ".Nm promote" in page, page[:300]
    for path, marker in (("share/zsh/site-functions/_promote", "#compdef promote"),
                         ("share/fish/vendor_completions.d/promote.fish", "complete -c 'promote'")):
        text = (unpacked / path).read_text()
        assert marker in text and "release" in text, path
    # bash completes `promote rel` to `promote release` with the archive's script.
    script = unpacked / "share/bash-completion/completions/promote"
    r = subprocess.run(["bash", "-c", f'source "{script}"; COMP_WORDS=(promote rel); COMP_CWORD=1; '
                        'COMP_LINE="promote rel"; COMP_POINT=${#COMP_LINE}; _promote promote rel promote; '
                        'printf "%s\\n" "${COMPREPLY[@]}"'], capture_output=True, text=True)
    assert r.stdout.split() == ["release"], r.stdout + r.stderr
    for path in ("share/doc/promote/install.md", "share/promote/deploy/Containerfile",
                 "share/promote/deploy/systemd/promote.service", "share/promote/ci/github/action.yml"):
        assert (unpacked / path).is_file(), path


def test_the_man_page_renders(unpacked):
    if not shutil.which("man"):
        pytest.skip("man is not installed")
    r = subprocess.run(["man", "-l", str(unpacked / "share/man/man1/promote.release.1")], capture_output=True, text=True,
                       env={**os.environ, "MANPAGER": "cat", "MANWIDTH": "100"})
    assert r.returncode == 0 and "--uri" in r.stdout, r.stderr


def test_it_runs_with_the_toolchain_hidden(unpacked, tmp_path):
    promote = unpacked / "bin/promote"
    r = hidden(promote, "--version")
    assert r.returncode == 0, r.stderr
    assert stamped_version(r.stdout), r.stdout
    # The same binary with the toolchain hidden but without the static runtime would fail to load: show the check bites.
    r = hidden("ls", TOOLCHAIN)
    assert r.returncode == 0 and r.stdout == ""

    spec = tmp_path / "jukebox.yaml"
    spec.write_text(SPEC)
    r = hidden(promote, "spec", "set", spec, "spec.predictors[name=default].graph.modelUri", "gs://models/jukebox/1.4.2")
    assert r.returncode == 0, r.stderr
    assert r.stdout == SPEC.replace("1.4.1", "1.4.2")
    r = hidden(promote, "spec", "set", spec, "spec.predictors[name=nope].graph.modelUri", "x")
    assert r.returncode == 1 and r.stdout == "" and r.stderr


def test_a_whole_release_runs_from_the_archive_with_the_toolchain_hidden(unpacked):
    promote = unpacked / "bin/promote"
    with World(FILES) as w:
        r = hidden(promote, "config", "validate", env=w.env)
        assert r.returncode == 0, r.stdout + r.stderr
        r = hidden(promote, "release", "jukebox", "1.4.2", "--uri", "gs://models/jukebox/1.4.2", "--metric",
                   "accuracy=0.93", env=w.env)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "gs://models/jukebox/1.4.2" in w.show("main", STAGING_PATH)
        assert len(w.open_pulls()) == 1
        r = hidden(promote, "status", "--json", env=w.env)
        assert r.returncode == 0 and "jukebox" in r.stdout, r.stderr
    r = hidden(unpacked / "bin/promote-forge-sim", "--help")
    assert r.returncode == 0 and "stand-in" in (r.stdout + r.stderr).lower(), r.stdout + r.stderr


# -- a minimal Debian root ------------------------------------------------------------------------------------------

DEBIAN = ROOT / ".build-debian" / "bookworm-minbase"


def chroot(root, *command, env=None, timeout=600):
    """`command` inside the Debian root, with its own /proc, in a mount namespace that ends with it."""
    script = f'mount -t proc proc "{root}/proc" && exec chroot "{root}" "$@"'
    return subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", *map(str, command)],
                          env={**(env or {}), "PATH": "/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}, capture_output=True, text=True,
                          timeout=timeout)


def containerfile_stages():
    """deploy/Containerfile's instructions, stage by stage: [[(instruction, arguments), ...], ...]."""
    text = re.sub(r"\\\n", " ", (ROOT / "deploy/Containerfile").read_text())
    stages = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            op, args = line.split(None, 1)
            if op == "FROM":
                stages.append([])
            stages[-1].append((op, args))
    return stages


def build_as_the_containerfile_says(root):
    """Carries out deploy/Containerfile's instructions in `root` (a debian:bookworm-slim stand-in) the way a
    container build would, both stages in the one root; returns the image's environment and user."""
    args, env, user = {"VERSION": VERSION, "ARCH": ARCH}, {}, "0"
    expand = lambda text: re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], text)  # noqa: E731
    for stage in containerfile_stages():
        for op, rest in stage:
            if op == "ARG":
                name, _, default = rest.partition("=")
                args.setdefault(name, default)
            elif op == "COPY" and rest.startswith("--from="):
                source, target = rest.split()[1:]
                subprocess.run(["cp", "-a", f"{root}{source}.", f"{root}{target}"], check=True)
            elif op == "COPY":
                source, target = expand(rest).split()
                shutil.copy(ROOT / source, f"{root}{target}")
            elif op == "RUN":
                r = chroot(root, "/bin/sh", "-c", expand(rest), env={"DEBIAN_FRONTEND": "noninteractive", **args})
                assert r.returncode == 0, f"RUN {rest}\n{r.stdout}\n{r.stderr}"
            elif op == "ENV":
                env.update(dict(re.findall(r"(\w+)=(\S+)", rest)))
            elif op == "USER":
                user = rest
    return env, user


@pytest.fixture(scope="module")
def debian(unpacked):
    if os.environ.get("PROMOTE_TEST_DEBOOTSTRAP") != "1":
        pytest.skip("the debootstrap root is opt-in: scripts/test-package.sh --debootstrap")
    if not (DEBIAN / "etc/debian_version").exists():
        shutil.rmtree(DEBIAN, ignore_errors=True)
        subprocess.run(["debootstrap", "--variant=minbase", "bookworm", str(DEBIAN), "http://deb.debian.org/debian"],
                       check=True, capture_output=True, timeout=3600)
    # debootstrap can leave its /proc mounted in the root: never copy a mounted file system (/proc/kcore).
    mounted = [line.split()[1] for line in pathlib.Path("/proc/self/mounts").read_text().splitlines()
               if line.split()[1].startswith(str(DEBIAN) + "/")]
    for point in mounted:
        subprocess.run(["umount", point], check=True)
    root = DEBIAN.parent / "debian-test-root"
    shutil.rmtree(root, ignore_errors=True)
    subprocess.run(["cp", "-a", "--one-file-system", str(DEBIAN), str(root)], check=True)
    shutil.copy("/etc/resolv.conf", root / "etc/resolv.conf")
    env, user = build_as_the_containerfile_says(root)
    yield root, env, user
    shutil.rmtree(root, ignore_errors=True)


def test_the_containerfile_steps_run_it_on_a_minimal_debian(debian):
    root, image_env, user = debian
    assert not (root / "opt/swift").exists()
    installed = chroot(root, "dpkg-query", "-W", "-f", "${Package}\n").stdout.split()
    assert "libgit2-1.5" in installed and not [p for p in installed if "swift" in p]
    as_image = ["setpriv", f"--reuid={user.split(':')[0]}", f"--regid={user.split(':')[1]}", "--clear-groups"]
    r = chroot(root, *as_image, "promote", "--version", env=image_env)
    assert r.returncode == 0 and stamped_version(r.stdout), r.stdout + r.stderr
    (root / "tmp/jukebox.yaml").write_text(SPEC)
    r = chroot(root, *as_image, "promote", "spec", "set", "/tmp/jukebox.yaml",
               "spec.predictors[name=default].graph.modelUri", "gs://models/jukebox/1.4.2", env=image_env)
    assert r.returncode == 0 and r.stdout == SPEC.replace("1.4.1", "1.4.2"), r.stderr
    with World(FILES) as w:
        # The loopback servers are shared with the chroot (same network namespace); the config moves in, state and
        # cache go where the image keeps them.
        config = w.config.read_text()
        config = re.sub(r'state: "sqlite://[^"]+"', 'state: "sqlite:///var/lib/promote/promote.db"', config)
        (root / "etc/promote/promote.yaml").write_text(config)
        env = {**image_env, **{k: v for k, v in w.env.items() if k.startswith(("E2E_", "GIT_"))}}
        r = chroot(root, *as_image, "promote", "config", "validate", env=env)
        assert r.returncode == 0, r.stdout + r.stderr
        r = chroot(root, *as_image, "promote", "release", "jukebox", "1.4.2", "--uri", "gs://models/jukebox/1.4.2", env=env)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "gs://models/jukebox/1.4.2" in w.show("main", STAGING_PATH)
        assert len(w.open_pulls()) == 1
        assert (root / "var/lib/promote/promote.db").exists() and any((root / "var/cache/promote").iterdir())
