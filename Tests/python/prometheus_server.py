"""A real Prometheus server (Debian's `prometheus` package) on 127.0.0.1 scraping a tiny exporter the test controls.

As a context manager::

    with PrometheusServer() as prom:
        prom.exporter.set("model_error_ratio", 0.002, model="jukebox")
        prom.wait_for('model_error_ratio{model="jukebox"}', 0.002)   # scraped at least once with that value
        prom.url                                                      # http://127.0.0.1:PORT, for promote.yaml

The exporter is a small HTTP server in this process that serves `/metrics` in the text exposition format from values
the test sets (gauges with `set`, counters with `inc`). Prometheus runs with its TSDB in a temporary directory, listens
on a free loopback port, and scrapes the exporter every second (job `exporter`). Start is bounded: `start()` waits
until Prometheus is ready and the exporter target is up (`up{job="exporter"} == 1`), at most ``start_timeout`` seconds.
Prometheus (its process group) is always stopped on exit, SIGTERM then SIGKILL, and the directory removed.

As a pytest fixture: ``prometheus_server`` (module scope) yields a started ``PrometheusServer``; import it into the
test module (``from prometheus_server import prometheus_server``).
"""
import http.server
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request

import pytest

from mlflow_server import free_port

PROMETHEUS = shutil.which("prometheus") or "/usr/bin/prometheus"


class Exporter:
    """Serves `/metrics` from test-set values on a free loopback port (a thread of this process)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._series = {}  # (name, frozenset(labels)) -> (type, value)
        exporter = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path.split("?")[0] != "/metrics":
                    self.send_error(404)
                    return
                body = exporter.exposition().encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def set(self, name, value, **labels):
        """A gauge `name{labels}` = value (NaN and inf allowed)."""
        with self._lock:
            self._series[(name, frozenset(labels.items()))] = ("gauge", float(value))

    def inc(self, name, amount=1, **labels):
        """A counter `name{labels}` += amount."""
        with self._lock:
            key = (name, frozenset(labels.items()))
            self._series[key] = ("counter", self._series.get(key, ("counter", 0.0))[1] + amount)

    def remove(self, name, **labels):
        with self._lock:
            self._series.pop((name, frozenset(labels.items())), None)

    def exposition(self):
        def number(v):
            if v != v:
                return "NaN"
            if v in (float("inf"), float("-inf")):
                return "+Inf" if v > 0 else "-Inf"
            return repr(v)

        with self._lock:
            items = sorted(self._series.items(), key=lambda kv: (kv[0][0], sorted(kv[0][1])))
        lines, typed = [], set()
        for (name, labels), (kind, value) in items:
            if name not in typed:
                lines.append(f"# TYPE {name} {kind}")
                typed.add(name)
            text = ",".join(f'{k}="{v}"' for k, v in sorted(labels))
            lines.append(f"{name}{{{text}}} {number(value)}" if text else f"{name} {number(value)}")
        return "\n".join(lines) + "\n"

    def close(self):
        self._server.shutdown()
        self._server.server_close()


class PrometheusServer:
    def __init__(self, start_timeout=30, stop_timeout=10):
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.dir = tempfile.mkdtemp(prefix="promote-prometheus-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.exporter = None
        self.proc = None
        self._log = None

    def start(self):
        self.exporter = Exporter()
        config = os.path.join(self.dir, "prometheus.yml")
        with open(config, "w") as f:
            f.write(f"""global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: exporter
    scrape_interval: 1s
    scrape_timeout: 1s
    static_configs:
      - targets: ["127.0.0.1:{self.exporter.port}"]
""")
        self._log = open(os.path.join(self.dir, "prometheus.log"), "w")
        self.proc = subprocess.Popen(
            [PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={os.path.join(self.dir, 'data')}",
             f"--web.listen-address=127.0.0.1:{self.port}", "--storage.tsdb.retention.time=1h",
             "--web.enable-lifecycle", "--log.level=warn"],
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"prometheus exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                result = self.query('up{job="exporter"}')
                if any(r["value"][1] == "1" for r in result):
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"prometheus did not scrape the exporter within {self.start_timeout} s:\n{self.log_tail()}")

    def query(self, promql):
        """The result of an instant query (raises on `status: error`)."""
        body = urllib.parse.urlencode({"query": promql}).encode()
        with urllib.request.urlopen(urllib.request.Request(self.url + "/api/v1/query", data=body), timeout=5) as r:
            doc = json.load(r)
        if doc["status"] != "success":
            raise RuntimeError(doc)
        return doc["data"]["result"]

    def wait_for(self, promql, value, timeout=15):
        """Waits until the instant query `promql` returns one series whose value is `value` (after a scrape)."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            last = self.query(promql)
            if last and all(float(r["value"][1]) == value or (value != value and r["value"][1] == "NaN") for r in last):
                return last
            time.sleep(0.2)
        raise AssertionError(f"{promql} did not become {value} within {timeout} s (last: {last})")

    def log_tail(self, n=30):
        try:
            with open(os.path.join(self.dir, "prometheus.log")) as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
            except ProcessLookupError:
                pass
        if self.exporter:
            self.exporter.close()
            self.exporter = None
        if self._log:
            self._log.close()
            self._log = None

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc):
        self.close()


@pytest.fixture(scope="module")
def prometheus_server():
    """A started real Prometheus scraping a test-controlled exporter (``PrometheusServer``), shared by the tests of
    one module (starting it takes seconds); stopped after the module."""
    with PrometheusServer() as prom:
        yield prom
