"""Benchmark: the full stack (Rasa, action server, SQL tracker store, the answer library) under
realistic conversations, and the same load against Rasa's stock `rasa init` configuration
trained on our data with our answers as `faq/<key>` retrieval intents (bench/stock_project.py),
for 5 epochs unless --stock-epochs says otherwise: the cost of a message depends on the layers and
the vocabulary, not on how long they were trained.

The load (bench/load.py): conversations of 1 to 30 turns made from questions written apart from
the training data, across the whole library, in bokmål, nynorsk and English. Every message goes
over the REST channel on a new connection, as behind a load balancer that spreads requests over
the Rasa processes. For each configuration it starts the stack and plays them one at a time, then
N at a time where each citizen sends the next message as soon as the answer is there (the
server's saturation), then N at a time with pauses to read and type; and one citizen asking 105
questions in a row (the questions of turns 1-6 asked again at turns 25-30 and 100-105), six
times, for the cost of a message at turns 1-5, 25-30 and 100-105. It prints messages/s,
p50/p95/p99 latency, CPU time per message, time from start to first answer and resident memory
per Rasa process; then the ratio of the two configurations, the time of ticket
creation, and (with --profile) where the Rasa server spends its time under load, from py-spy.
With --workers 2 the Rasa server runs two processes with the Redis lock store, as production on
one machine would. The rate limit is off: these citizens type faster than people.

Run with `make bench` (or `.venv/bin/python bench/conversations.py --help`). Targets on a 2-core
machine: one at a time p95 < 60 ms; the cost at turns 100-105 within 25 % of turns 1-5; 20 at a
time with two Rasa processes p95 < 400 ms and at least twice the stock messages/s; ticket
creation p95 < 50 ms; start to first answer < 25 s.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import stock_project  # noqa: E402
from bench.load import Citizens  # noqa: E402
from bot.answers import catalogue  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402
from tests.live import RASA, Chat, free_port, rasa_env, start_actions, start_rasa, wait_for  # noqa: E402

MODEL = ROOT / "models" / "servicekontor.tar.gz"
STOCK_MODEL = ROOT / "models" / "stock.tar.gz"
STOCK_EPOCHS = ROOT / "models" / "stock-epochs.txt"
PROFILE_FILE = Path(tempfile.gettempdir()) / "servicekontor-rasa-profile.txt"  # py-spy's raw stacks
HANDLER = "handle_message (rasa/core/agent.py)"
PROFILE_KEYS = ("rasa/", "bot/", "sqlalchemy", "tensorflow/python/eager", "sklearn", "langdetect")
TRAINING_INPUTS = [ROOT / "domain.yml", *sorted((ROOT / "data").rglob("*.yml"))]
LONG_TURNS = 105
TURN_BUCKETS = ((1, 5), (25, 30), (100, 105))
LONG_ROUNDS = 6
CITIZENS = Citizens()

# The turn that submits the ticket form is marked: its latency is the citizen's wait for a ticket.
SUBMIT = "ja"
TICKET_CONVERSATION = [
    "jeg vil snakke med en person",
    "Jeg har spørsmål om eiendomsskatten min",
    "Kari Nordmann",
    "912 34 567",
    SUBMIT,
    "takk",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def process_tree(pid: int) -> list[int]:
    """The process and its children (Sanic's workers)."""
    children: dict[int, list[int]] = collections.defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        children[int(fields[1])].append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used; stable under other load, unlike wall time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Load:
    latencies: list[float]
    submits: list[float]  # latencies of the turns that submit a ticket
    elapsed: float
    cpu_ms: float = 0.0  # the Rasa server's CPU time per message
    client_ms: float = 0.0  # this script's own CPU time per message: it shares the machine

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed

    def line(self, name: str) -> str:
        values = self.latencies
        return (
            f"  {name:18} {len(values):5d} msgs  {self.rate:6.1f} msg/s  p50 {statistics.median(values):6.1f} ms  "
            f"p95 {percentile(values, 95):6.1f} ms  p99 {percentile(values, 99):6.1f} ms  "
            f"CPU per msg: Rasa {self.cpu_ms:4.1f} ms, load client {self.client_ms:3.1f} ms"
        )


def play(port: int, turns: list[str], pause: float = 0.0) -> tuple[list[float], list[float]]:
    """One citizen's conversation; with `pause`, they read and type for about that many seconds."""
    chat = Chat(port, f"bench-{uuid.uuid4().hex[:10]}")
    reading = random.Random(chat.sender)
    latencies, submits = [], []
    for index, text in enumerate(turns):
        if pause and index:
            time.sleep(reading.uniform(0.5 * pause, 1.5 * pause))
        start = time.perf_counter()
        chat.say(text)
        ms = (time.perf_counter() - start) * 1000
        latencies.append(ms)
        if turns == TICKET_CONVERSATION and text == SUBMIT:
            submits.append(ms)
    return latencies, submits


def run_load(port: int, scripts: list[list[str]], concurrency: int, pids: list[int], pause: float = 0.0) -> Load:
    cpu_before = sum(cpu_seconds(pid) for pid in pids)
    client_before = time.process_time()
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda turns: play(port, turns, pause), scripts))
    elapsed = time.perf_counter() - start
    latencies = [ms for conversation, _ in results for ms in conversation]
    cpu_ms = (sum(cpu_seconds(pid) for pid in pids) - cpu_before) * 1000 / len(latencies)
    client_ms = (time.process_time() - client_before) * 1000 / len(latencies)
    return Load(latencies, [ms for _, submits in results for ms in submits], elapsed, cpu_ms, client_ms)


def train_stock_model(epochs: int) -> None:
    """Trains the stock configuration with our answers as `faq/<key>` (bench/stock_project.py)
    when the model is missing, older than the data, or trained for other epochs."""
    newest_input = max(path.stat().st_mtime for path in [Path(stock_project.__file__), *TRAINING_INPUTS])
    if (
        STOCK_MODEL.exists()
        and STOCK_MODEL.stat().st_mtime >= newest_input
        and STOCK_EPOCHS.exists()
        and STOCK_EPOCHS.read_text().strip() == str(epochs)
    ):
        return
    print(f"Training the stock `rasa init` configuration on our data, {epochs} epochs ...", flush=True)
    with tempfile.TemporaryDirectory() as project_name:
        project = Path(project_name)
        config = stock_project.build(project, epochs)
        start = time.perf_counter()
        subprocess.run(
            [
                *RASA,
                "train",
                "--config",
                str(config),
                "--domain",
                str(project / "domain.yml"),
                "--data",
                str(project / "data"),
                "--out",
                str(STOCK_MODEL.parent),
                "--fixed-model-name",
                STOCK_MODEL.name.removesuffix(".tar.gz"),
                "--quiet",
            ],
            cwd=ROOT,
            env=rasa_env(),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    seconds = time.perf_counter() - start
    (STOCK_MODEL.parent / "stock-training-seconds.txt").write_text(f"{seconds:.0f}\n")
    STOCK_EPOCHS.write_text(f"{epochs}\n")


def profile_top(pid: int, seconds: int, during: Callable[[], Load]) -> tuple[Load, list[str]]:
    """Runs `during` while py-spy samples the Rasa server; returns its top functions by total time."""
    out = PROFILE_FILE
    spy = subprocess.Popen(
        [str(Path(sys.executable).with_name("py-spy")), "record", "--subprocesses", "--pid", str(pid)]
        + ["--duration", str(seconds)]
        + ["--format", "raw", "--nonblocking", "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    load = during()
    spy.wait()
    # Shares of the time spent handling messages: below Rasa's `Agent.handle_message` (which
    # takes the conversation's lock and runs the processor), not the server's idle time.
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [_frame_name(frame) for frame in stack.split(";")]
        if HANDLER not in frames:
            continue
        total += int(count)
        for name in set(frames[frames.index(HANDLER) + 1 :]):
            inclusive[name] += int(count)
    interesting = [
        (name, samples)
        for name, samples in inclusive.most_common(400)
        if any(key in name for key in PROFILE_KEYS)
        and samples < 0.97 * total  # the wrappers every message passes through
        and not name.startswith(("run (", "_run (", "__call__", "retrying_async", "<listcomp>", "<lambda>"))
    ]
    return load, [f"{100 * samples / max(total, 1):5.1f} %  {name}" for name, samples in interesting[:15]]


def _frame_name(frame: str) -> str:
    """«function (package/module.py)» from py-spy's «function (/path/to/module.py:line)»."""
    function, _, where = frame.partition(" (")
    return f"{function} ({where.split(':')[0].split('site-packages/')[-1].rstrip(')')})"


def bench_model(name: str, model: Path, database_url: str, tmp: Path, args: argparse.Namespace) -> dict:
    action_port, rasa_port = free_port(), free_port()
    started = time.perf_counter()
    actions = start_actions(action_port, database_url, tmp)
    rasa = start_rasa(rasa_port, action_port, database_url, model, tmp)
    try:
        wait_for(f"http://127.0.0.1:{action_port}/health", actions)
        wait_for(f"http://127.0.0.1:{rasa_port}/webhooks/rest/", rasa)
        Chat(rasa_port, f"bench-first-{uuid.uuid4().hex[:6]}").say("hei")
        first_answer = time.perf_counter() - started
        for turns in CITIZENS.conversations(10, seed=0):  # warm-up
            play(rasa_port, turns)
        print(f"{name}: {model.name}")
        print(f"  time from start to first answer: {first_answer:.1f} s")
        pids = process_tree(rasa.popen.pid)
        single = run_load(rasa_port, CITIZENS.conversations(max(10, args.conversations // 3), seed=1), 1, pids)
        print(single.line("one at a time"))
        costs = turn_costs(rasa_port)
        print("  " + "  ".join(f"turns {a}-{b}: {ms:5.1f} ms" for (a, b), ms in costs.items()), end="")
        first, last = costs[TURN_BUCKETS[0]], costs[TURN_BUCKETS[-1]]
        print(
            f"  (median, {LONG_TURNS} questions in a row, turns 1-6 asked again at each bucket, {LONG_ROUNDS} times; "
            f"{100 * (last / first - 1):+.0f} %)"
        )
        profile: list[str] = []
        scripts = CITIZENS.conversations(args.conversations, seed=2)
        scripts[::15] = [TICKET_CONVERSATION] * len(scripts[::15])  # some citizens ask for a person
        if args.profile:
            many, profile = profile_top(
                rasa.popen.pid, args.profile, lambda: run_load(rasa_port, scripts, args.concurrency, pids)
            )
        else:
            many = run_load(rasa_port, scripts, args.concurrency, pids)
        print(many.line(f"{args.concurrency} at a time"))
        if args.pause:
            paused = CITIZENS.conversations(2 * args.concurrency, seed=3)
            print(
                run_load(rasa_port, paused, args.concurrency, pids, pause=args.pause).line(
                    f"{args.concurrency} reading ~{args.pause:g} s"
                )
            )
        tickets = run_load(rasa_port, [TICKET_CONVERSATION] * 30, 1, pids)
        per_process = [rss_mb(pid) for pid in pids]
        print(
            f"  resident memory: Rasa {sum(per_process):.0f} MB in {len(pids)} process(es) "
            f"({' + '.join(f'{mb:.0f}' for mb in per_process)}), action server {rss_mb(actions.popen.pid):.0f} MB"
        )
        if profile:
            print(f"  where Rasa's time per message goes at {args.concurrency} at a time (py-spy, {PROFILE_FILE}):")
            for line in profile:
                print(f"    {line}")
        return {"single": single, "many": many, "tickets": tickets, "first_answer": first_answer}
    finally:
        rasa.stop()
        actions.stop()


def turn_costs(port: int, rounds: int = LONG_ROUNDS) -> dict[tuple[int, int], float]:
    """The median time of a message at each of TURN_BUCKETS, over `rounds` long conversations.

    Each later bucket asks the questions of turns 1-6 again (`questions_in_a_row`), so that what
    differs between the buckets is the history before them, not the questions.
    """
    found: dict[tuple[int, int], list[float]] = {bucket: [] for bucket in TURN_BUCKETS}
    again_at = tuple(first for first, _ in TURN_BUCKETS[1:])
    for round_ in range(rounds):
        latencies, _ = play(port, CITIZENS.questions_in_a_row(LONG_TURNS, seed=100 + round_, again_at=again_at))
        for first, last in TURN_BUCKETS:
            found[(first, last)] += latencies[first - 1 : last]
    return {bucket: statistics.median(values) for bucket, values in found.items()}


def ticket_line(result: dict, concurrency: int) -> None:
    for name, load in (("one at a time", result["tickets"]), (f"{concurrency} at a time", result["many"])):
        print(
            f"  ticket creation, the citizen's «ja» turn, {name}: p50 {statistics.median(load.submits):5.1f} ms  "
            f"p95 {percentile(load.submits, 95):5.1f} ms ({len(load.submits)} tickets)"
        )


def bench_case_queue(database_url: str, concurrency: int, tickets: int = 200) -> list[float]:
    """Milliseconds per ticket written through bot/cases, from `concurrency` threads at once."""
    os.environ["DATABASE_URL"] = database_url
    from bot import cases

    def create(index: int) -> float:
        start = time.perf_counter()
        cases.create_ticket(
            cases.NewTicket(
                idempotency_key=f"bench-{uuid.uuid4().hex}",
                conversation_id=f"bench-{index}",
                channel="rest",
                topic="eiendomsskatt",
                summary="Spørsmål om eiendomsskatten",
                language="nb",
                contact_name="Kari Nordmann",
                contact="912 34 567",
            )
        )
        return (time.perf_counter() - start) * 1000

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(create, range(tickets)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=140, help="conversations in the concurrent run")
    parser.add_argument("--concurrency", type=int, default=20, help="conversations at a time")
    parser.add_argument("--database", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--no-stock", action="store_true", help="skip the stock configuration")
    parser.add_argument(
        "--stock-epochs",
        type=int,
        default=5,
        help="epochs of the stock configuration's DIET, ResponseSelector, TED and UnexpecTED (default 5; Rasa's "
        "is 100, hours of training here): the time a message costs does not depend on them, only its answers do",
    )
    parser.add_argument("--profile", type=int, default=0, metavar="SECONDS", help="py-spy the concurrent run")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="Rasa server processes (SANIC_WORKERS); more than 1 keeps conversation locks in Redis",
    )
    parser.add_argument(
        "--pause",
        type=float,
        default=3.0,
        help="also run the concurrent load with citizens who read and type about this many seconds (0: skip)",
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/1", help="LOCK_STORE_URL when --workers > 1")
    args = parser.parse_args()
    os.environ["RATE_LIMIT_MESSAGES"] = "0"  # the bench's citizens type faster than people
    if args.workers > 1:
        os.environ.update(SANIC_WORKERS=str(args.workers), LOCK_STORE_URL=args.redis)
    if not args.no_stock:
        train_stock_model(args.stock_epochs)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        database_url = args.database or f"sqlite:///{tmp / 'bench.db'}"
        upgrade(database_url)
        catalogue.load(url=database_url)  # the answers the bot gives, as `make run` loads them
        print(f"Database: {database_url.split('@')[-1]}; Rasa server processes: {args.workers}")
        training = ROOT / "models" / "training-seconds.txt"
        print(f"Training (the last make train): {training.read_text().strip() if training.exists() else '?'}")
        ours = bench_model("Our configuration", MODEL, database_url, tmp, args)
        ticket_line(ours, args.concurrency)
        one_by_one, at_once = bench_case_queue(database_url, 1), bench_case_queue(database_url, args.concurrency)
        for threads, writes in ((1, one_by_one), (args.concurrency, at_once)):
            print(
                f"  ticket write in bot/cases, {threads:2d} at a time: p50 {statistics.median(writes):5.1f} ms  "
                f"p95 {percentile(writes, 95):5.1f} ms ({len(writes)} tickets)"
            )
        if args.no_stock:
            return
        stock_training = ROOT / "models" / "stock-training-seconds.txt"
        seconds = stock_training.read_text().strip() if stock_training.exists() else "?"
        epochs = STOCK_EPOCHS.read_text().strip() if STOCK_EPOCHS.exists() else "?"
        print(f"Stock training: {seconds} s, {epochs} epochs, our answers as faq/<key> for its ResponseSelector")
        stock = bench_model("Stock `rasa init` configuration", STOCK_MODEL, database_url, tmp, args)
        print(
            f"Ratio ours/stock, messages/s: one at a time {ours['single'].rate / stock['single'].rate:.2f}, "
            f"{args.concurrency} at a time {ours['many'].rate / stock['many'].rate:.2f}"
        )


if __name__ == "__main__":
    main()
