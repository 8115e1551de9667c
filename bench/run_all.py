"""Jupyter's Run All, timed: each lesson executed top to bottom in a real Jupyter kernel, flagged cells included.

usage: python bench/run_all.py [nbs/06_superres.ipynb ...] [--offline]

This is what a learner gets who opens a lesson and presses Run All: the `#| cuda` cells run too, and a lesson with named
sizes runs at `ci` on a CPU (at `gpu` on a GPU). The notebooks are executed in a temporary copy; nothing in nbs/
changes. `--offline` unsets SUPERRES_DATA, so the lessons use the photos shipped with the dependencies, as on a fresh
machine. Wall times go to bench/results/run_all_cpu.md. Needs: pip install nbclient ipykernel.
"""
import argparse, os, sys, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient
from _record import header, device_name

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('notebooks', nargs='*')
    ap.add_argument('--offline', action='store_true', help='unset SUPERRES_DATA: the offline sample photos')
    ap.add_argument('--out', default=str(Path(__file__).resolve().parent/'results'/'run_all_cpu.md'))
    args = ap.parse_args()
    if args.offline: os.environ.pop('SUPERRES_DATA', None)
    nbs = [Path(p).resolve() for p in args.notebooks] or sorted((Path(__file__).resolve().parents[1]/'nbs').glob('[0-9][0-9]*_*.ipynb'))
    data = 'BSDS500 (SUPERRES_DATA)' if os.environ.get('SUPERRES_DATA') else 'the offline sample photos'
    rows, failed = [], []
    for p in nbs:
        nb = nbformat.read(p, as_version=4)
        t = time.time()
        try:
            NotebookClient(nb, timeout=1800, kernel_name='python3', resources={'metadata': {'path': str(p.parent)}}).execute()
            status = 'ok'
        except Exception as e:
            status = f"failed: {type(e).__name__}: {str(e).strip().splitlines()[-1][:120] if str(e).strip() else ''}"
            failed.append(p.name)
        minutes = (time.time() - t) / 60
        rows.append(f"| {p.name} | {minutes:.1f} | {status} |")
        print(rows[-1], flush=True)
    text = header(f"Run All in a Jupyter kernel, {device_name()}") + f"Data: {data}.\n\n| notebook | minutes | result |\n|---|---|---|\n" + '\n'.join(rows) + '\n'
    Path(args.out).write_text(text); print(text)
    sys.exit(1 if failed else 0)
