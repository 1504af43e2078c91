"""Import of N generated spreadsheet rows with a mapping, casework beside sqlite-utils.

    python benchmarks/import_sheet.py [--rows 100000]

casework: `casework import rows.csv --mapping rows.toml` into a new SQLite tracker (the real
command: the sheet sniffed and read, each row mapped to a record and validated, the Markdown body
rendered and sanitized, revision history with hashes, FTS5 index). Peer: `sqlite-utils insert
rows.db rows rows.csv --csv` on the same file (plain rows, no validation, no history). Each
command runs in its own process, measured from a process of its own, so each peak memory figure
is that command's alone.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
MAPPING = """\
[record]
external_id = "Case no"

[fields]
title = { template = ["{Event type} in {Village}", "Incident {Case no}"] }
date = { column = "Reported on", formats = ["%Y-%m-%d", "%d/%m/%Y", "%d %B %Y"] }
summary = "{Notes}"
body = "**Witness:** {Witness}\\n\\n{Notes}"
severity = { value = "serious" }
posture = { value = "reported" }
tags = { column = "Tags", split = ";" }
victims = "{Victim}"

[fields.category]
column = "Event type"
map = { shot = "domestic-military", arrest = "civil-liberties" }
otherwise = "rule-of-law"

[[structuredVictims]]
name = "{Victim}"
kind = "person"
count = { column = "Deaths" }
"""


def write_sheet(path: Path, rows: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    places = ["Kerrow", "Dunmere", "Salt road", "Old quarter", "Mérida", "Harbour"]
    kinds = ["shot", "arrest", "shelling", "detention"]
    names = ["Amal Haddou", "N/A", "", "Idris Ben Omar", "Zoé Marchetti", "unknown"]
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("Case no,Reported on,Event type,Village,Victim,Deaths,Tags,Witness,Notes\n")
        for i in range(rows):
            when = date.fromordinal(date(2023, 1, 1).toordinal() + rng.randrange(900))
            shown = rng.choice([when.isoformat(), when.strftime("%d/%m/%Y")])
            out.write(
                f"C-{i:07d},{shown},{rng.choice(kinds)},{rng.choice(places)},"
                f"{rng.choice(names)},{rng.choice(['', '0', '1', '2'])},"
                f"{rng.choice(['night;checkpoint', 'market', ''])},"
                f"{rng.choice(['resident', 'N/A', 'shopkeeper'])},"
                f'"Seen near the {rng.choice(places)} road, ""{rng.randrange(10**6)}"" said."\n'
            )


def measured(command: list[str]) -> dict[str, float]:
    """Run `command` in a child of a fresh process: its wall time and its peak memory."""
    code = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "s = time.perf_counter() - t\n"
        "if done.returncode: sys.exit(done.stderr or done.stdout)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'seconds': s, 'peak_mib': peak}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *command], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="casework-sheet-bench-") as tmp:
        work = Path(tmp)
        sheet, mapping = work / "rows.csv", work / "rows.toml"
        started = time.perf_counter()
        write_sheet(sheet, args.rows)
        mapping.write_text(MAPPING, encoding="utf-8")
        print(
            f"{args.rows:,} rows, {sheet.stat().st_size / 2**20:.1f} MiB CSV "
            f"(made in {time.perf_counter() - started:.1f} s)"
        )
        # This checkout's casework, whatever the venv has installed.
        casework = [sys.executable, "-m", "casework"]
        os.environ["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent / "src")
        subprocess.run(
            [*casework, "init", str(work / "t"), "--url", "https://bench.example.org"],
            check=True,
            capture_output=True,
        )
        ours = measured(
            [
                *casework,
                "--tracker",
                str(work / "t"),
                "import",
                str(sheet),
                "--mapping",
                str(mapping),
            ]
        )
        peer = measured(
            [
                str(VENV_BIN / "sqlite-utils"),
                "insert",
                str(work / "rows.db"),
                "rows",
                str(sheet),
                "--csv",
            ]
        )
    print(f"{'':22}{'seconds':>10}{'rows/s':>10}{'peak MiB':>10}")
    for name, got in (("casework import", ours), ("sqlite-utils insert", peer)):
        rate = args.rows / got["seconds"]
        print(f"{name:22}{got['seconds']:>10.1f}{rate:>10,.0f}{got['peak_mib']:>10.0f}")
    print(
        f"casework takes {ours['seconds'] / peer['seconds']:.1f}x sqlite-utils' time and "
        f"{ours['peak_mib'] / peer['peak_mib']:.1f}x its peak memory"
    )


if __name__ == "__main__":
    main()
