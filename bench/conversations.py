"""Benchmark: starts the trained bot (Rasa + action server, SQL tracker store) and plays realistic
6-turn conversations over the REST channel, one at a time and 20 at a time.

Prints messages/s, p50/p95/p99 latency, time from start to first answer and resident memory.
Run with `make bench`. Targets (2-core machine): single p95 < 100 ms; 20 at a time p95 < 500 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.db.migrate import upgrade  # noqa: E402
from tests.live import Chat, free_port, start_actions, start_rasa, wait_for  # noqa: E402

CONVERSATIONS = [
    ["hei", "når er dere åpne?", "hvor er servicetorget", "må jeg søke for å bygge en terrasse", "takk", "ha det"],
    [
        "hallo",
        "søpla ble ikke hentet i dag",
        "hvor leverer jeg gamle møbler",
        "kan jeg betale regningen i avdrag",
        "tusen takk",
        "ha en fin dag",
    ],
    [
        "jeg vil snakke med en person",
        "Jeg har spørsmål om eiendomsskatten min",
        "Kari Nordmann",
        "912 34 567",
        "ja",
        "takk",
    ],
    ["god morgen", "korleis søkjer eg barnehageplass", "kva kostar sfo", "er du en robot", "takk for hjelpa", "ha det"],
    [
        "hvordan forhåndsstemmer jeg",
        "hva må jeg ha med for å stemme",
        "kan jeg få tolk",
        "hva er status på saken min",
        "avbryt",
        "ha det",
    ],
    ["hei", "hvem vinner fotball-VM", "kan du lage en vits", "nei", "hvordan klager jeg på et vedtak", "takk"],
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


def play(port: int, turns: list[str]) -> list[float]:
    chat = Chat(port, f"bench-{uuid.uuid4().hex[:10]}")
    latencies = []
    for text in turns:
        start = time.perf_counter()
        chat.say(text)
        latencies.append((time.perf_counter() - start) * 1000)
    return latencies


def run_load(port: int, conversations: int, concurrency: int) -> tuple[list[float], float]:
    scripts = [CONVERSATIONS[i % len(CONVERSATIONS)] for i in range(conversations)]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda turns: play(port, turns), scripts))
    elapsed = time.perf_counter() - start
    return [ms for conversation in results for ms in conversation], elapsed


def report(name: str, latencies: list[float], elapsed: float) -> None:
    print(
        f"{name:24} {len(latencies):5d} msgs  {len(latencies) / elapsed:7.1f} msg/s  "
        f"p50 {statistics.median(latencies):6.1f} ms  p95 {percentile(latencies, 95):6.1f} ms  "
        f"p99 {percentile(latencies, 99):6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    model = ROOT / "models" / "servicekontor.tar.gz"
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        database_url = f"sqlite:///{tmp_dir / 'bench.db'}"
        upgrade(database_url)
        action_port, rasa_port = free_port(), free_port()
        started = time.perf_counter()
        actions = start_actions(action_port, database_url, tmp_dir)
        rasa = start_rasa(rasa_port, action_port, database_url, model, tmp_dir)
        try:
            wait_for(f"http://127.0.0.1:{action_port}/health", actions)
            wait_for(f"http://127.0.0.1:{rasa_port}/webhooks/rest/", rasa)
            Chat(rasa_port, "bench-first").say("hei")
            first_answer = time.perf_counter() - started
            play(rasa_port, CONVERSATIONS[0])  # warm-up
            training = ROOT / "models" / "training-seconds.txt"
            seconds = training.read_text().strip() if training.exists() else "?"
            print(f"Model: {model.name}; the last `make train` took {seconds} s (Rasa reuses unchanged parts)")
            print(f"Time from start to first answer: {first_answer:.1f} s")
            single, elapsed = run_load(rasa_port, max(6, args.conversations // 4), 1)
            report("one at a time", single, elapsed)
            many, elapsed = run_load(rasa_port, args.conversations, args.concurrency)
            report(f"{args.concurrency} at a time", many, elapsed)
            print(f"Resident memory: Rasa {rss_mb(rasa.popen.pid):.0f} MB, actions {rss_mb(actions.popen.pid):.0f} MB")
        finally:
            rasa.stop()
            actions.stop()


if __name__ == "__main__":
    main()
