"""Run a lesson notebook at a size of your choice and record what it measured.

usage: python bench/lesson_run.py nbs/12_unet_from_scratch.ipynb --knobs "nfs, n_train = (32, 64, 128, 256), 4096" \
           [--var stage_table] [--out bench/results/unet_from_scratch.md]

The notebook runs as `nbdev-test` runs it (cells flagged `#| slow` or `#| cuda` are skipped); the `--knobs` line is
executed right after the lesson's size-knob cell (the first cell whose source contains "# size knobs"), so it overrides
them. The variable named by `--var` (a Markdown string the lesson builds) goes into the results file with the date,
device, commit, command and wall time.
"""
import argparse, os, sys, time
from pathlib import Path
try: from fastcore.nbio import read_nb, mk_cell         # where recent fastcore keeps them
except ImportError: from execnb.nbio import read_nb, mk_cell
from execnb.shell import CaptureShell
from _record import header

def skipped(cell): return cell.cell_type == 'code' and any(f'#| {f}' in cell.source for f in ('slow', 'cuda'))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('notebook'); ap.add_argument('--knobs', required=True, help='Python line that sets the size knobs')
    ap.add_argument('--var', default='stage_table', help="the lesson's Markdown result variable")
    ap.add_argument('--out', default=None, help='results file (default: bench/results/<notebook topic>.md)')
    args = ap.parse_args()
    nb_path = Path(args.notebook)
    nb = read_nb(nb_path)
    at = next((i for i, c in enumerate(nb.cells) if c.cell_type == 'code' and '# size knobs' in c.source), None)
    if at is None: sys.exit(f"{nb_path}: no cell with a '# size knobs' comment")
    nb.cells.insert(at + 1, mk_cell(args.knobs))
    os.chdir(nb_path.parent)                                # lessons run from nbs/, as nbdev-test runs them
    t = time.time()
    shell = CaptureShell()
    shell.run_all(nb, exc_stop=True, preproc=skipped)
    minutes = (time.time() - t) / 60
    table = shell.user_ns.get(args.var)
    if table is None: sys.exit(f"{nb_path}: ran, but set no variable {args.var!r}")
    out = Path(args.out or Path(__file__).parent/'results'/(nb_path.stem.split('_', 1)[1] + '.md'))
    text = header(f"{nb_path.name} at a chosen size") + \
        f"Knobs: `{args.knobs}`; data: `SUPERRES_DATA={os.environ.get('SUPERRES_DATA', '')}`; wall time {minutes:.1f} min.\n\n{table}\n"
    out.write_text(text); print(text)
