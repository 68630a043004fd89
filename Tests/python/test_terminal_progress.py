"""Clone and push progress on a real terminal: `promote release` against a 50,000-file repository (smart HTTP on
loopback) run under `script`, so that stderr is a TTY, and every byte that reached the terminal counted. Before the
throttle the same release wrote 6.8 MB (150,285 redraws, 50,002 "done." lines); now a few redraws a second and one
final line per transfer. Without a terminal nothing is printed."""
import re
import subprocess
import time

from release_world import World, binary, git_env
from test_release_e2e import FILES

FILE_COUNT = 50_000


def add_many_files(world, count):
    """One commit on main adding `count` small files, written by git fast-import straight into the bare repo."""
    lines = [f"commit refs/heads/main\ncommitter Person <person@example.com> {int(time.time())} +0000\n"
             f"data 10\nbulk files\nfrom refs/heads/main^0\n"]
    for i in range(count):
        data = f"file {i}\n"
        lines.append(f"M 100644 inline bulk/{i % 100:02d}/{i}.txt\ndata {len(data)}\n{data}")
    subprocess.run(["git", "--git-dir", str(world.bare), "fast-import", "--quiet"], input="".join(lines).encode(),
                   check=True, env=git_env(world.home))


def test_a_cold_clone_of_50000_files_writes_a_few_lines_to_the_terminal():
    with World(FILES) as w:
        add_many_files(w, FILE_COUNT)
        command = (f"{binary('promote')} release jukebox 1.4.2 --uri gs://models/jukebox/1.4.2")
        started = time.monotonic()
        r = subprocess.run(["script", "-q", "-e", "-c", command, "/dev/null"], env={**w.env, "PROMOTE_LOG_LEVEL": "warning"},
                           capture_output=True, timeout=300)
        elapsed = time.monotonic() - started
        assert r.returncode == 0, r.stdout.decode(errors="replace")[-3000:]
        terminal = r.stdout.decode(errors="replace")
        print(f"{len(r.stdout)} bytes reached the terminal in {elapsed:.1f} s")
        assert len(r.stdout) < 8_000, terminal[-2000:]
        # One final line per transfer: the clone, then the staging push and the pull request branch's push.
        finals = re.findall(r"(Receiving|Pushing) objects: (\d+)/(\d+), \d+ KiB, done\.", terminal)
        assert [f[0] for f in finals] == ["Receiving", "Pushing", "Pushing"], terminal
        received, total = int(finals[0][1]), int(finals[0][2])
        assert received == total > FILE_COUNT
        redraws = terminal.count("\r") - terminal.count("\r\n")
        assert redraws <= 5 * elapsed + 2 * len(finals), (redraws, elapsed)

        # The same kind of transfer without a terminal prints no progress at all.
        r = subprocess.run([str(binary("promote")), "release", "jukebox", "1.4.3", "--uri", "gs://models/jukebox/1.4.3"],
                           env={**w.env, "PROMOTE_LOG_LEVEL": "warning"}, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        assert "objects:" not in r.stderr and "\r" not in r.stderr
