"""Peak memory and time of a large CSV import and re-import through the real CLI.

Writes a reproducible CSV of ``--rows`` vacant buildings (default 1,000,000, about 40 MB)
inside the Ruhr, imports it into a fresh SQLite database with
``python -m heimatruhr_geo import``, then imports it again (every row unchanged), each in a
child process whose peak resident memory is read from ``getrusage``.

    .venv/bin/python benchmarks/bench_import_memory.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parents[1]
CENTRES = [(51.455, 7.011), (51.481, 7.216), (51.514, 7.466), (51.434, 6.762), (51.517, 7.101)]


def write_csv(path: Path, rows: int, seed: int = 1) -> None:
    """Write ``rows`` valid vacant-building rows near five city centres."""
    rng = np.random.default_rng(seed)
    centre = rng.integers(0, len(CENTRES), rows)
    lat = np.array([c[0] for c in CENTRES])[centre] + rng.uniform(-0.01, 0.01, rows)
    lon = np.array([c[1] for c in CENTRES])[centre] + rng.uniform(-0.01, 0.01, rows)
    with path.open("w", encoding="utf-8") as out:
        out.write("title,lat,lon,building_type,status\n")
        for start in range(0, rows, 100_000):
            stop = min(rows, start + 100_000)
            out.writelines(
                f"Halle {i},{lat[i]:.5f},{lon[i]:.5f},commercial,vacant\n"
                for i in range(start, stop)
            )


def run_import(csv_path: Path, db: Path) -> tuple[float, float, str]:
    """Import in a child process; return seconds, the child's peak RSS in MB, and its output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEIMATRUHR_")}
    env |= {"HEIMATRUHR_DATABASE_URL": f"sqlite:///{db}", "HEIMATRUHR_OFFLINE": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "heimatruhr_geo", "import", str(csv_path), "--layer", "vacant"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak <= before:
        raise RuntimeError(
            "a later child did not exceed an earlier peak: run one import per process"
        )
    return seconds, peak / 1024, (done.stdout + done.stderr).strip().splitlines()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        csv_path, db = Path(folder) / "vacant.csv", Path(folder) / "bench.sqlite"
        write_csv(csv_path, args.rows)
        size = csv_path.stat().st_size / 1e6
        print(f"{args.rows:,} rows, {size:.0f} MB CSV")
        seconds, peak, line = run_import(csv_path, db)
        print(f"import:    {seconds:6.1f} s, peak {peak:,.0f} MB  ({line})")
        # RUSAGE_CHILDREN keeps the largest child's peak: measure the re-import on its own.
        code = (
            "import sys; sys.path.insert(0, 'benchmarks'); from pathlib import Path; "
            "from bench_import_memory import run_import; "
            f"s, p, line = run_import(Path({str(csv_path)!r}), Path({str(db)!r})); "
            "print(f're-import: {s:6.1f} s, peak {p:,.0f} MB  ({line})')"
        )
        subprocess.run([sys.executable, "-c", code], cwd=PROJECT, check=True)


if __name__ == "__main__":
    main()
