"""The container (Containerfile, compose.yaml, deploy/entrypoint.sh).

What runs everywhere: the files parse and say what the README promises
(non-root, health check, data volume, PostgreSQL in compose), and the
entry point starts the dashboard from this checkout and refuses a bad
setting. Building and running the image needs a container engine with a
running service (Docker or Podman); without one that test skips and says why.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from learn_core.settings import read_settings

ROOT = Path(__file__).resolve().parents[2]
CONTAINERFILE = (ROOT / "Containerfile").read_text("utf-8")


def _instructions() -> list[tuple[str, str]]:
    """The Containerfile's instructions (continuation lines joined), comments dropped."""
    text = re.sub(r"\\\n\s*", " ", CONTAINERFILE)
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            rows.append((word.upper(), rest.strip()))
    return rows


def test_the_containerfile_takes_its_base_image_as_an_argument():
    rows = _instructions()
    assert rows[0][0] == "ARG" and rows[0][1].startswith("PYTHON_IMAGE=")
    assert rows[1] == ("FROM", "${PYTHON_IMAGE}")


def test_the_image_runs_as_a_user_other_than_root_with_a_health_check_and_a_data_volume():
    rows = _instructions()
    users = [rest for word, rest in rows if word == "USER"]
    assert users and users[-1] not in ("0", "root")
    entry = [i for i, (word, _) in enumerate(rows) if word == "ENTRYPOINT"][0]
    assert [i for i, (word, _) in enumerate(rows) if word == "USER"][-1] < entry
    assert any(word == "HEALTHCHECK" and "/_stcore/health" in rest for word, rest in rows)
    assert ("VOLUME", '["/data"]') in rows and any(w == "ENV" and "LEARN_DATA_DIR=/data" in r for w, r in rows)
    assert ("EXPOSE", "8501") in rows


def test_everything_the_containerfile_copies_exists_and_every_requirement_file_is_installed():
    rows = _instructions()
    copied = []
    for word, rest in rows:
        if word == "COPY":
            copied += rest.split()[:-1]
    for source in copied:
        assert (ROOT / source).exists(), source
    installs = " ".join(rest for word, rest in rows if word == "RUN" and "pip install" in rest)
    for req in ("requirements.txt", "requirements-postgres.txt", "requirements-oidc.txt"):
        assert req in copied and f"-r {req}" in installs, req


def test_the_ignore_files_keep_secrets_and_tests_out_of_the_image():
    for name in (".containerignore", ".dockerignore"):
        lines = (ROOT / name).read_text("utf-8").split()
        assert {".git", "tests", "data", ".streamlit/secrets.toml"} <= set(lines), name


def test_compose_runs_the_app_on_postgresql_with_volumes():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text("utf-8"))
    db, app = compose["services"]["db"], compose["services"]["app"]
    assert "postgres" in db["image"] and "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert app["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert app["build"]["dockerfile"] == "Containerfile" and "PYTHON_IMAGE" in app["build"]["args"]
    env = app["environment"]
    assert env["LEARN_DATABASE_URL"].startswith("postgresql+psycopg://learn:") and "@db:5432/learn" in env["LEARN_DATABASE_URL"]
    assert "data:/data" in app["volumes"] and any(v.startswith("db:") for v in db["volumes"])
    mounted = [v for v in app["volumes"] if v.startswith("./")]
    for volume in mounted:
        assert (ROOT / volume.split(":")[0]).is_file(), volume
    assert set(compose["volumes"]) == {"db", "data"}


def test_the_example_configuration_file_is_valid(tmp_path):
    s = read_settings({"LEARN_CONFIG_FILE": str(ROOT / "deploy" / "learn.toml")})
    assert s.k_floor == 5 and s.min_group_size == 5 and s.locked == frozenset()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _entrypoint_env(tmp_path: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEARN_")}
    python_dir = str(Path(sys.executable).parent)
    env.update(PATH=f"{python_dir}{os.pathsep}{env.get('PATH', '')}", LEARN_APP_DIR=str(ROOT),
               LEARN_DATA_DIR=str(tmp_path / "data"), STREAMLIT_SERVER_ADDRESS="127.0.0.1",
               STREAMLIT_SERVER_HEADLESS="true", **extra)
    return env


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.status, response.read().decode("utf-8", "replace")


def test_the_entrypoint_serves_the_dashboard_from_this_checkout(tmp_path):
    port = _free_port()
    env = _entrypoint_env(tmp_path, STREAMLIT_SERVER_PORT=str(port))
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.pop(name, None)  # the entry point's own default is checked below
    proc = subprocess.Popen(["sh", str(ROOT / "deploy" / "entrypoint.sh")], env=env, cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        health = None
        for _ in range(300):  # a bounded wait for the start, not a speed check
            try:
                health = _get(f"http://127.0.0.1:{port}/_stcore/health")
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"the entry point ended: {proc.stderr.read().decode()}")
                time.sleep(0.2)
        assert health == (200, "ok")
        status, page = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and '<div id="root">' in page  # Streamlit's page, which then opens its websocket
        environ = Path(f"/proc/{proc.pid}/environ")  # the entry point execs the server: the same process
        if environ.exists():
            variables = dict(v.split("=", 1) for v in environ.read_text().split("\0") if "=" in v)
            assert variables["OPENBLAS_NUM_THREADS"] == "1" and variables["OMP_NUM_THREADS"] == "1"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_entrypoint_refuses_a_bad_setting_before_starting(tmp_path):
    env = _entrypoint_env(tmp_path, STREAMLIT_SERVER_PORT=str(_free_port()), LEARN_MIN_GROUP_SIZE_FLOOR="2")
    out = subprocess.run(["sh", str(ROOT / "deploy" / "entrypoint.sh")], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.strip() == ("Fehler: Die Einstellung LEARN_MIN_GROUP_SIZE_FLOOR muss eine ganze Zahl von 3 "
                                  "bis 50 sein (angegeben in der Umgebung: '2').")


def _engine() -> str:
    """A container engine whose service answers, or skip with the reason."""
    reasons = []
    for engine in ("podman", "docker"):
        if not shutil.which(engine):
            reasons.append(f"{engine}: not installed")
            continue
        info = subprocess.run([engine, "info"], capture_output=True, text=True, timeout=60)
        if info.returncode == 0:
            return engine
        reasons.append(f"{engine}: {(info.stderr.strip().splitlines() or ['no answer'])[-1]}")
    pytest.skip("no container engine runs here (" + "; ".join(reasons) + ")")


def _base_image(engine: str) -> str:
    """The base image to build on: ``LEARN_TEST_PYTHON_IMAGE``, else the
    Containerfile's default when the registry answers, else one made from
    Debian packages by deploy/debian-base.sh (kept for later runs), else skip."""
    if os.environ.get("LEARN_TEST_PYTHON_IMAGE"):
        return os.environ["LEARN_TEST_PYTHON_IMAGE"]
    default = "docker.io/library/python:3.11-slim-bookworm"
    pulled = subprocess.run([engine, "pull", "-q", default], capture_output=True, text=True, timeout=300)
    if pulled.returncode == 0:
        return default
    local = "localhost/learn-python-base:bookworm"
    if subprocess.run([engine, "image", "exists", local], capture_output=True, timeout=60).returncode == 0:
        return local
    if not shutil.which("debootstrap") or os.geteuid() != 0:
        pytest.skip(f"the base image {default} cannot be pulled here and debootstrap (as root) is missing "
                    "to make one from Debian packages")
    made = subprocess.run(["sh", str(ROOT / "deploy" / "debian-base.sh"), local], capture_output=True, text=True,
                          timeout=1800, env={**os.environ, "ENGINE": engine})  # fmt: skip
    if made.returncode != 0:
        pytest.skip(f"no base image: {default} cannot be pulled and deploy/debian-base.sh failed: "
                    f"{(made.stderr.strip().splitlines() or ['?'])[-1]}")
    return local


@pytest.mark.container
def test_the_image_builds_serves_and_stores_in_postgresql(tmp_path):
    """Build the image, run it as the README says (health check, non-root, a
    page served, the phones' page) and, with the CI's PostgreSQL, store one
    workshop answer sent to the container's phone page in that database."""
    engine = _engine()
    base = _base_image(engine)
    tag = "localhost/learn-dashboard:test"
    extra = []
    # the certificates this machine trusts (e.g. a TLS-inspecting proxy's CA): the build's pip needs them too
    cert = next((c for c in (os.environ.get("PIP_CERT"), os.environ.get("SSL_CERT_FILE"),
                             "/etc/ssl/certs/ca-certificates.crt") if c and Path(c).is_file()), None)  # fmt: skip
    if cert and engine == "podman":
        extra = ["-v", f"{cert}:{cert}:ro", "--build-arg", f"PIP_CERT={cert}"]
    build = subprocess.run([engine, "build", "--build-arg", f"PYTHON_IMAGE={base}", *extra, "-t", tag, "-f",
                            "Containerfile", "."], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    unreachable = ("No matching distribution", "SSLError", "Temporary failure in name resolution",
                   "Failed to establish a new connection", "Max retries exceeded")  # fmt: skip
    if build.returncode != 0 and any(text in build.stderr for text in unreachable):
        # the pins installed on this machine a moment ago (.ci/run): the package index is out of reach from the build
        pytest.skip("the image's build cannot reach the package index here: "
                    + next(line for line in build.stderr.splitlines() if any(t in line for t in unreachable)))
    assert build.returncode == 0, build.stderr[-2000:]
    port = _free_port()
    name = f"learn-test-{port}"
    pg = os.environ.get("LEARN_TEST_POSTGRES_URL")  # .ci/postgres: a server on the host's loopback
    run = [engine, "run", "-d", "--rm", "--name", name]
    if engine == "podman":  # Podman's default limits can exceed a host's own (runc: "error setting rlimit")
        import resource

        files = min(resource.getrlimit(resource.RLIMIT_NOFILE)[1], 65536)
        run += ["--ulimit", f"nofile={files}:{files}", "--ulimit", "nproc=4096:4096"]
    if pg:  # the host's network, so that the container reaches the host's PostgreSQL on 127.0.0.1
        run += ["--network", "host", "-e", f"STREAMLIT_SERVER_PORT={port}", "-e", "STREAMLIT_SERVER_ADDRESS=127.0.0.1",
                "-e", f"LEARN_DATABASE_URL={pg}"]  # fmt: skip
    else:
        run += ["-p", f"127.0.0.1:{port}:8501"]
    subprocess.run([*run, tag], check=True, capture_output=True, timeout=120)
    try:
        health = None
        for _ in range(300):
            try:
                health = _get(f"http://127.0.0.1:{port}/_stcore/health")
                break
            except OSError:
                time.sleep(0.2)
        assert health == (200, "ok")
        user = subprocess.run([engine, "exec", name, "id", "-u"], capture_output=True, text=True, timeout=60)
        assert user.stdout.strip() == "10001"
        status, page = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and "<noscript>" in page  # Streamlit's page
        if pg:
            from learn_core.workshop import WorkshopStore
            from tests.workshop.test_store import answers_of

            with WorkshopStore(pg) as store:
                made = store.create_workshop("Container")
                status, phone = _get(f"http://127.0.0.1:{port}/?join={made.code}")
                assert status == 200 and "phone.js" in phone  # the phones' page from the image
                opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
                for action, body in (("join", {"code": made.code}),
                                     ("submit", {"code": made.code, "answers": answers_of(4)})):
                    request = urllib.request.Request(f"http://127.0.0.1:{port}/mitmachen/api/{action}",
                                                     data=json.dumps(body).encode(), method="POST",
                                                     headers={"Content-Type": "application/json"})  # fmt: skip
                    assert opener.open(request, timeout=30).status == 200
                assert store.count(made.code) == 1  # stored by the container, in PostgreSQL
    finally:
        subprocess.run([engine, "stop", name], capture_output=True, timeout=120)
