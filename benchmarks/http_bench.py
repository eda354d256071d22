"""HTTP benchmark: JewelGuard's pages and API under uvicorn, against a bare Django view.

What it does, in order:

1. a temporary data directory in production mode (JEWELGUARD_DEBUG=0, a random secret key,
   allowed host 127.0.0.1), `jewelguard migrate`, the demo data, and an API token for the
   Denver member jeweler (services.api_token_create);
2. `jewelguard serve` (uvicorn) with DJANGO_SETTINGS_MODULE=bench_settings, which is the
   project's settings with one extra URL, /bench/bare, a view returning "ok": the baseline
   passes through the same server process and middleware as the pages;
3. one check request per endpoint (status 200, the API token works), a warm-up, then
   several interleaved wrk runs per endpoint at a fixed number of connections;
4. a table of medians: requests/s, p50/p95/p99 latency, requests/s relative to the bare
   view, and the server's CPU time per request (user + system of the uvicorn process tree,
   from /proc), with the share of the machine other processes used during the runs, since a
   shared machine skews throughput; the raw runs go to benchmarks/results/ as JSON.

All traffic goes to 127.0.0.1. Needs wrk (Debian package `wrk`; scripts/setup installs it).

    .venv/bin/python benchmarks/http_bench.py                 # 3 x 10 s per endpoint
    .venv/bin/python benchmarks/http_bench.py --runs 1 --duration 3   # a quick look
    .venv/bin/python benchmarks/http_bench.py --wait-quiet 60  # on a shared machine
    .venv/bin/python benchmarks/http_bench.py --database-url postgres://u:p@127.0.0.1/db
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LUA = HERE / "latency.lua"
RESULTS = HERE / "results"
BARE = "bare Django view (baseline)"
DEMO_MEMBER = "denver@demo.jewelguard.org"

# Runs inside `jewelguard shell`: demo data and one API token, printed on a marked line.
PREPARE = f"""
from jewelguard import demo
from jewelguard.accounts import services
from jewelguard.accounts.models import User
if not demo.demo_loaded():
    demo.demo_load()
user = User.objects.get(email={DEMO_MEMBER!r})
_, token = services.api_token_create(user=user, name="http benchmark")
print("BENCH_TOKEN=" + token)
"""


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    needs_token: bool = False


ENDPOINTS = [
    Endpoint(BARE, "/bench/bare"),
    Endpoint("home page /", "/"),
    Endpoint("login page /accounts/login/", "/accounts/login/"),
    Endpoint("store-list API /api/stores", "/api/stores", needs_token=True),
]


@dataclass(frozen=True)
class Run:
    endpoint: str
    round: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    bad_status: int
    socket_errors: int
    server_cpu_ms_per_request: float
    others_cpu_percent: float


def _jewelguard() -> list[str]:
    script = Path(sys.executable).with_name("jewelguard")
    return [str(script)] if script.exists() else [sys.executable, "-m", "jewelguard"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(
    data_dir: Path, database_url: str, redis_url: str, settings: str = "bench_settings"
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JEWELGUARD_", "DJANGO_"))}
    env.update(
        JEWELGUARD_DEBUG="0",
        JEWELGUARD_SECRET_KEY=secrets.token_urlsafe(50),
        JEWELGUARD_ALLOWED_HOSTS="127.0.0.1",
        JEWELGUARD_DATA_DIR=str(data_dir),
        JEWELGUARD_MAP_TILES_URL="",
        # Plain HTTP on loopback: production mode would otherwise redirect to HTTPS.
        JEWELGUARD_SSL_REDIRECT="0",
        DJANGO_SETTINGS_MODULE=settings,
        PYTHONPATH=os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH", "")])),
    )
    if database_url:
        env["JEWELGUARD_DATABASE_URL"] = database_url
    if redis_url:
        env["JEWELGUARD_REDIS_URL"] = redis_url
    return env


def _prepare(env: dict[str, str]) -> str:
    """Migrate, load the demo data, and return a fresh API token for the demo member."""
    # Production mode does not create the data directory; an operator makes it. Static files
    # come from the app folders (WhiteNoise finders); an empty STATIC_ROOT keeps it quiet.
    (Path(env["JEWELGUARD_DATA_DIR"]) / "static").mkdir(parents=True, exist_ok=True)
    subprocess.run([*_jewelguard(), "migrate", "--no-input", "-v", "0"], env=env, check=True)
    shell = subprocess.run(
        [*_jewelguard(), "shell", "-c", PREPARE],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    for line in shell.stdout.splitlines():
        if line.startswith("BENCH_TOKEN="):
            return line.removeprefix("BENCH_TOKEN=")
    raise SystemExit(f"no API token came back from jewelguard shell:\n{shell.stderr}")


def _get(url: str, token: str = "") -> tuple[int, bytes]:
    request = urllib.request.Request(url)  # noqa: S310 (always http://127.0.0.1)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


def _wait_until_up(base: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server exited before answering")
        if _get(base + "/healthz")[0] == 200:
            return
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer /healthz within {seconds:.0f} s")


def _check_endpoints(base: str, token: str) -> None:
    for endpoint in ENDPOINTS:
        status, body = _get(base + endpoint.path, token if endpoint.needs_token else "")
        if status != 200:
            raise SystemExit(f"{endpoint.path} answered {status}, not 200: {body[:300]!r}")
        if endpoint.needs_token:
            stores = json.loads(body)
            print(f"  {endpoint.path}: 200, token accepted, {len(stores)} store(s)")
        else:
            print(f"  {endpoint.path}: 200, {len(body)} bytes")
    status, _ = _get(base + "/api/stores")
    if status != 401:
        raise SystemExit(f"/api/stores without a token answered {status}, not 401")


TICKS = os.sysconf("SC_CLK_TCK")


def _process_tree_cpu(root: int) -> float:
    """CPU seconds (user + system) used so far by ``root`` and every live descendant."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
        cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICKS
    tree = {root}
    grown = True
    while grown:
        children = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= children
        grown = bool(children)
    return sum(cpu.get(pid, 0.0) for pid in tree)


def _machine_busy_cpu() -> float:
    """CPU seconds spent by the whole machine so far, from /proc/stat (idle and iowait left out)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / TICKS


def _wait_for_quiet(server_pid: int, *, limit: float, threshold: float = 25.0) -> float:
    """Wait (at most ``limit`` seconds) until other processes use < threshold % of the machine.

    Returns the other processes' share seen last. A shared machine otherwise skews a run.
    """
    cpus = os.cpu_count() or 1
    deadline = time.monotonic() + limit
    while True:
        machine_before, server_before = _machine_busy_cpu(), _process_tree_cpu(server_pid)
        time.sleep(1)
        others = (_machine_busy_cpu() - machine_before) - (
            _process_tree_cpu(server_pid) - server_before
        )
        share = max(0.0, 100 * others / cpus)
        if share < threshold or time.monotonic() >= deadline:
            return share
        time.sleep(1)


def _wrk(url: str, *, token: str, threads: int, connections: int, seconds: int) -> dict[str, float]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "-s", str(LUA)]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    result = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return dict(json.loads(line.removeprefix("BENCH_JSON ")))
    raise SystemExit(f"wrk printed no result:\n{result.stdout}\n{result.stderr}")


def _machine() -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    versions = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, uvicorn; print(django.get_version(), uvicorn.__version__)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    wrk_banner = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": str(os.cpu_count()),
        "cpu_model": cpu,
        "memory": f"{memory_kib / 1024 / 1024:.1f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": versions[0],
        "uvicorn": versions[1],
        "wrk": (wrk_banner.stdout or wrk_banner.stderr).split("[")[0].strip(),
    }


def _table(runs: list[Run]) -> tuple[list[dict[str, float | str]], str]:
    rows: list[dict[str, float | str]] = []
    for endpoint in ENDPOINTS:
        mine = [r for r in runs if r.endpoint == endpoint.name]
        rows.append(
            {
                "endpoint": endpoint.name,
                "rps": statistics.median(r.rps for r in mine),
                "p50_ms": statistics.median(r.p50_ms for r in mine),
                "p95_ms": statistics.median(r.p95_ms for r in mine),
                "p99_ms": statistics.median(r.p99_ms for r in mine),
                "server_cpu_ms": statistics.median(r.server_cpu_ms_per_request for r in mine),
                "others_cpu_percent": max(r.others_cpu_percent for r in mine),
                "errors": sum(r.bad_status + r.socket_errors for r in mine),
            }
        )
    bare_rps = float(rows[0]["rps"])
    lines = [
        "| endpoint | req/s | p50 ms | p95 ms | p99 ms | req/s vs bare "
        "| server CPU ms/req | other load (max) | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        row["ratio"] = float(row["rps"]) / bare_rps
        lines.append(
            f"| {row['endpoint']} | {row['rps']:.0f} | {row['p50_ms']:.1f} | "
            f"{row['p95_ms']:.1f} | {row['p99_ms']:.1f} | {row['ratio']:.2f} | "
            f"{row['server_cpu_ms']:.2f} | {row['others_cpu_percent']:.0f}% | {row['errors']} |"
        )
    return rows, "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--runs", type=int, default=3, help="runs per endpoint (median kept)")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up seconds per endpoint")
    parser.add_argument("--database-url", default="", help="default: SQLite in the temp dir")
    parser.add_argument("--redis-url", default="")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0,
        help="before each run, wait up to this many seconds for other processes to calm down",
    )
    parser.add_argument(
        "--settings",
        default="bench_settings",
        help="settings module under benchmarks/ (default: the project's, plus /bench/bare)",
    )
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: run scripts/setup (Debian package wrk)")

    machine = _machine()
    with tempfile.TemporaryDirectory(prefix="jewelguard-bench-") as temp:
        env = _environment(
            Path(temp) / "data", options.database_url, options.redis_url, options.settings
        )
        print("preparing: migrate, demo data, API token (production settings)")
        token = _prepare(env)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [*_jewelguard(), "serve", "--port", str(port), "--workers", str(options.workers)],
            env=env,
            stdin=subprocess.DEVNULL,
        )
        try:
            _wait_until_up(base, server)
            print(f"serving on {base} with {options.workers} uvicorn worker(s); checking:")
            _check_endpoints(base, token)

            def measure(endpoint: Endpoint, seconds: int) -> dict[str, float]:
                """One wrk run, plus what it cost the server and what else the machine did."""
                if options.wait_quiet:
                    _wait_for_quiet(server.pid, limit=options.wait_quiet)
                server_before = _process_tree_cpu(server.pid)
                machine_before = _machine_busy_cpu()
                wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
                result = _wrk(
                    base + endpoint.path,
                    token=token if endpoint.needs_token else "",
                    threads=options.threads,
                    connections=options.connections,
                    seconds=seconds,
                )
                wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
                server_cpu = _process_tree_cpu(server.pid) - server_before
                wrk_cpu = (wrk_after.ru_utime - wrk_before.ru_utime) + (
                    wrk_after.ru_stime - wrk_before.ru_stime
                )
                others = _machine_busy_cpu() - machine_before - server_cpu - wrk_cpu
                cpus = os.cpu_count() or 1
                result["server_cpu_ms_per_request"] = 1000 * server_cpu / max(result["requests"], 1)
                result["others_cpu_percent"] = max(0.0, 100 * others / (cpus * result["seconds"]))
                return result

            print(f"warm-up: {options.warmup} s per endpoint")
            for endpoint in ENDPOINTS:
                measure(endpoint, options.warmup)

            runs: list[Run] = []
            # Rounds interleave the endpoints so that any drift in the machine hits all alike.
            for round_number in range(1, options.runs + 1):
                for endpoint in ENDPOINTS:
                    result = measure(endpoint, options.duration)
                    run = Run(endpoint=endpoint.name, round=round_number, **result)  # type: ignore[arg-type]
                    runs.append(run)
                    print(
                        f"  round {round_number} {endpoint.path:18} {run.rps:8.0f} req/s  "
                        f"p50 {run.p50_ms:6.1f}  p95 {run.p95_ms:6.1f}  p99 {run.p99_ms:6.1f} ms  "
                        f"server CPU {run.server_cpu_ms_per_request:5.2f} ms/req  "
                        f"other load {run.others_cpu_percent:3.0f}%"
                        + (
                            f"  errors {run.bad_status + run.socket_errors}"
                            if run.bad_status or run.socket_errors
                            else ""
                        )
                    )
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

    rows, table = _table(runs)
    database = "PostgreSQL" if options.database_url else "SQLite (WAL)"
    method = (
        f"uvicorn --workers {options.workers} (jewelguard serve, production settings, "
        f"{database}{', Redis' if options.redis_url else ''}, {options.settings}); "
        f"wrk -t{options.threads} "
        f"-c{options.connections}, keep-alive; {options.warmup} s warm-up per endpoint, then "
        f"{options.runs} interleaved runs x {options.duration} s per endpoint, median of runs"
    )
    print()
    print("machine: " + ", ".join(f"{k} {v}" for k, v in machine.items()))
    print("method:  " + method)
    print()
    print(table)

    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"http_bench-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "machine": machine,
                "method": method,
                "medians": rows,
                "runs": [asdict(r) for r in runs],
            },
            indent=2,
        )
    )
    print(f"\nraw runs: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
