"""benchmarks/evidence_links.py at a tiny size: both sides measured, what the checker found,
and the ratio printed. No timing is asserted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "evidence_links.py"


def test_a_tiny_run_prints_both_sides_and_the_ratio(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARK), "--sources", "40", "--hosts", "4", "--rounds", "1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "Link-checking 40 sources over 4 hosts" in out
    # Every 20th page answers a rewritten text: pages 0 and 20 have drifted, the rest are ok.
    assert "'drifted': 2" in out and "'ok': 38" in out
    assert "(0 fetched)" in out  # the second check came from the cache
    assert "40 answered 200" in out
    assert re.search(r"ratio casework / floor: \d+\.\d\d", out)
