#!/usr/bin/env python3
"""Regenerates the legacy-checkpoint fixture: a checkpoint written by the code BEFORE the stable key hash
(commit 89a790f), whose complete-mode aggregation state has the same key in several state/<p>/ folders.

    python3 generate.py --dll /path/to/src/OrleansStreams.Cli/bin/Debug/net10.0/orleans-streams.dll

1. writes the four drops (drop-1 … drop-4, three JSON-lines files each; deterministic, seeded);
2. under the fixed root /tmp/os-legacy-fixture, copies drop N into input/ and runs
   `orleans-streams run pipeline.sql --trigger available-now --warehouse W --checkpoint-root C` as a new
   process, for N = 1, 2, 3 (each process hashes the keys with its own random seed);
3. copies the root's checkpoints/ and warehouse/ here, under root/ (input/ is not copied: it is drops 1-3).
Drop 4 stays unconsumed for the test to add.
"""
import argparse
import json
import random
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = Path("/tmp/os-legacy-fixture")
KEYS = [f"k{i:02d}" for i in range(20)]
WORDS = [f"w{i:02d}" for i in range(30)]
DROPS, FILES = 4, 3


def row(rng: random.Random, drop: int, file: int, line: int) -> dict:
    """One input row; about 1 in 15 has a NULL (or missing) key, a few have NULL values."""
    roll = rng.random()
    key = None if roll < 0.07 else KEYS[rng.randrange(len(KEYS))]
    r = {"k": key} if roll >= 0.035 else {}  # half of the NULL keys are a missing field
    r["n"] = None if rng.random() < 0.03 else rng.randrange(-50, 1000)
    r["x"] = rng.randrange(-400, 4000) / 4  # quarters: sums and averages stay exact in a double
    cents = rng.randrange(-5000, 100000)
    r["d"] = None if rng.random() < 0.03 else f"{cents // 100}.{cents % 100:02d}" if cents >= 0 else f"-{-cents // 100}.{-cents % 100:02d}"
    r["s"] = None if rng.random() < 0.03 else WORDS[rng.randrange(len(WORDS))]
    r["ts"] = f"2024-03-{drop:02d}T{file:02d}:{line // 60:02d}:{line % 60:02d}Z"
    return r


def write_drops() -> None:
    rng = random.Random(12)
    for drop in range(1, DROPS + 1):
        folder = HERE / f"drop-{drop}"
        folder.mkdir(exist_ok=True)
        for file in range(1, FILES + 1):
            rows = [row(rng, drop, file, line) for line in range(rng.randrange(50, 201))]
            # every key in every drop, so each run routes every key somewhere (a random partition)
            rows += [{"k": k, "n": 1, "x": 0.5, "d": "0.01", "s": "all", "ts": f"2024-03-{drop:02d}T{file:02d}:59:59Z"}
                     for k in KEYS if file == 1]
            lines = []
            for r in rows:
                # d is a JSON number with two decimals (json.dumps would turn a float into 12.3)
                text = json.dumps(r, separators=(",", ":"))
                if r.get("d") is not None:
                    text = text.replace(f'"d":"{r["d"]}"', f'"d":{r["d"]}')
                lines.append(text)
            (folder / f"drop-{drop}-part-{file}.json").write_text("\n".join(lines) + "\n")


def run(dll: str) -> None:
    shutil.rmtree(ROOT, ignore_errors=True)
    (ROOT / "input").mkdir(parents=True)
    shutil.copy(HERE / "pipeline.sql", ROOT / "pipeline.sql")
    for drop in range(1, DROPS):
        for f in sorted((HERE / f"drop-{drop}").glob("*.json")):
            shutil.copy(f, ROOT / "input" / f.name)
        subprocess.run(["dotnet", dll, "run", "pipeline.sql", "--trigger", "available-now",
                        "--warehouse", str(ROOT / "warehouse"), "--checkpoint-root", str(ROOT / "checkpoints")],
                       cwd=ROOT, check=True)
    target = HERE / "root"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    for name in ("checkpoints", "warehouse"):
        shutil.copytree(ROOT / name, target / name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--dll", help="orleans-streams.dll built at commit 89a790f; without it, only the drops are written")
    args = parser.parse_args()
    write_drops()
    if args.dll:
        run(args.dll)
