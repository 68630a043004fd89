#!/usr/bin/env python3
"""Loopback servers for Promote's git transport tests (started and stopped by Sources/TestSupport).

  git_test_server.py http  --root DIR [--user U --password P] [--tls-cert PEM --tls-key PEM] [--lifetime S]
      git http-backend behind HTTP/1.1 with Basic auth. Reads chunked request bodies (libgit2 sends them).
  git_test_server.py hang  [--no-handshake] [--lifetime S]
      accepts connections and never answers (with --no-handshake: never even completes the TCP handshake).
  git_test_server.py supervise [--lifetime S] -- COMMAND...
      runs COMMAND (git daemon, sshd -D) in its own process group and kills the group with SIGKILL when stdin
      closes, on SIGTERM, or after the lifetime (git daemon inherits a blocked SIGTERM from the test process).

Each binds 127.0.0.1 on a free port, prints "PORT <n>" on stdout, and exits after --lifetime seconds at most.
"""
import argparse
import base64
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BACKEND = "/usr/lib/git-core/git-http-backend"


def make_handler(root, user, password):
    expected = None
    if user is not None:
        expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet
            pass

        def read_body(self):
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                chunks = []
                while True:
                    line = self.rfile.readline().strip()
                    size = int(line.split(b";")[0], 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        break
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                return b"".join(chunks)
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def handle_any(self, method):
            body = self.read_body() if method == "POST" else b""
            if expected is not None and self.headers.get("Authorization") != expected:
                # Empty body: libgit2 1.5.1 resends with credentials on the same connection without consuming a
                # 401 body, then fails with "http parser error: invalid constant string" (measured).
                self.respond(401, [("WWW-Authenticate", 'Basic realm="git"')], b"")
                return
            path, _, query = self.path.partition("?")
            env = {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "GIT_PROJECT_ROOT": root,
                "GIT_HTTP_EXPORT_ALL": "1",
                "GIT_CONFIG_NOSYSTEM": "1",
                "HOME": root,
                "REMOTE_USER": user or "anonymous",
                "REMOTE_ADDR": "127.0.0.1",
                "REQUEST_METHOD": method,
                "PATH_INFO": path,
                "QUERY_STRING": query,
                "CONTENT_TYPE": self.headers.get("Content-Type", ""),
                "CONTENT_LENGTH": str(len(body)),
                "GIT_PROTOCOL": self.headers.get("Git-Protocol", ""),
            }
            if self.headers.get("Content-Encoding"):
                env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
            result = subprocess.run([BACKEND], input=body, env=env, capture_output=True)
            raw = result.stdout
            head, sep, payload = raw.partition(b"\r\n\r\n")
            if not sep:
                head, sep, payload = raw.partition(b"\n\n")
            status = 200
            headers = []
            for line in head.decode("latin-1").splitlines():
                if not line.strip():
                    continue
                name, _, value = line.partition(":")
                if name.lower() == "status":
                    status = int(value.strip().split()[0])
                else:
                    headers.append((name.strip(), value.strip()))
            headers = [(n, v) for n, v in headers if n.lower() not in ("content-length", "transfer-encoding")]
            self.respond(status, headers, payload)

        def respond(self, status, headers, body):
            # Status line, headers and body in one write.
            lines = [f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}"]
            lines += [f"{n}: {v}" for n, v in headers]
            lines.append(f"Content-Length: {len(body)}")
            self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            self.wfile.flush()
            self.log_request(status)

        def do_GET(self):
            self.handle_any("GET")

        def do_POST(self):
            self.handle_any("POST")

    return Handler


def serve_http(args):
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(args.root, args.user, args.password))
    server.daemon_threads = True
    if args.tls_cert:
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(f"PORT {server.server_address[1]}", flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    wait_for_end(args.lifetime)


def serve_hang(args):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    held = []
    if args.no_handshake:
        # Never accept and fill the (tiny) accept queue ourselves: further SYNs are dropped, so a client's
        # connect() never completes.
        listener.listen(0)
        port = listener.getsockname()[1]
        for _ in range(4):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            try:
                filler.connect(("127.0.0.1", port))
            except BlockingIOError:
                pass
            held.append(filler)
        time.sleep(0.2)
        print(f"PORT {port}", flush=True)
        wait_for_end(args.lifetime)
        return
    listener.listen(64)
    print(f"PORT {listener.getsockname()[1]}", flush=True)

    def accept_forever():
        while True:
            conn, _ = listener.accept()
            held.append(conn)  # never read, never answer, never close

    threading.Thread(target=accept_forever, daemon=True).start()
    wait_for_end(args.lifetime)


def supervise(argv):
    import signal
    split = argv.index("--")
    lifetime = float(argv[argv.index("--lifetime") + 1]) if "--lifetime" in argv[:split] else 300.0
    command = argv[split + 1:]
    child = subprocess.Popen(command, start_new_session=True, stdin=subprocess.DEVNULL)

    def end(*_):
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        child.wait()
        os._exit(0)

    signal.signal(signal.SIGTERM, end)
    threading.Thread(target=lambda: (sys.stdin.read(), end()), daemon=True).start()
    deadline = time.monotonic() + lifetime
    while time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.1)
    end()


def wait_for_end(lifetime):
    """Until stdin closes (the test ended) or the lifetime is over."""
    def watch_stdin():
        try:
            sys.stdin.read()
        finally:
            os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    time.sleep(lifetime)
    os._exit(0)


def main():
    if sys.argv[1:2] == ["supervise"]:
        supervise(sys.argv[2:])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["http", "hang"])
    parser.add_argument("--root")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--lifetime", type=float, default=300)
    parser.add_argument("--no-handshake", action="store_true")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    args = parser.parse_args()
    if args.mode == "http":
        serve_http(args)
    else:
        serve_hang(args)


if __name__ == "__main__":
    main()
