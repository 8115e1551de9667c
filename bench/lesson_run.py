"""Run a lesson notebook at one of its named sizes, record what it measured, and keep its outputs.

usage: python bench/lesson_run.py nbs/06_superres.ipynb [--save] [--size ci|cpu|gpu] [--knobs "n_images = 50"]
           [--var stage_table] [--out bench/results/lesson_superres.md] [--skip-flagged]

A lesson with named sizes (`SIZE = lesson_size()` picking from its `SIZES`) runs at `--size` (default: as `lesson_size`
decides: 'ci' on a CPU, 'gpu' on a GPU), and its note names that size and this command.
Every cell runs, as Jupyter's Run All runs them (a lesson's `#| cuda` cells included). `--skip-flagged` skips cells flagged `#| slow`
or `#| cuda`, as `nbdev-test` does. `--knobs`, for an experiment, is a line of Python executed right after the cell
that names the lesson's sizes, so it overrides them; a lesson without named sizes runs as it stands.

- `--save` writes the outputs back into the notebook (the inserted knob line is not kept), with large pictures
  re-encoded as JPEG so that a notebook stays under 1.5 MB, and a note under the title that says at which size, on
  which device, with which data and on which day they were made. Paths of this machine in the outputs are written
  portably ($TMPDIR/..., or relative to the project: ../shared/...), and live widgets, which a stored notebook cannot
  show, are left out (a lesson displays a picture of its widget beside it).
- `--var` names a Markdown string the lesson builds; when the lesson sets it and the run is at a recorded or chosen
  size, it goes into the results file with
  the date, device, commit, command and wall time. Every run also appends its wall time to
  bench/results/lesson_runs.md.
"""
import argparse, base64, io, os, re, shutil, subprocess, sys, time
from pathlib import Path
try: from fastcore.nbio import read_nb, write_nb, mk_cell    # where recent fastcore keeps them
except ImportError: from execnb.nbio import read_nb, write_nb, mk_cell
from execnb.shell import CaptureShell
from _record import header, device_name, portable_text
from superres_course.core import LESSON_SIZES, SIZE_ENV, lesson_size, names_sizes

NOTE = '*Outputs shown:*'       # the first words of the note cell `--save` keeps under the title
MAX_NB_BYTES = 1_500_000
JPEG_ABOVE = 60_000             # PNG outputs larger than this (bytes) are stored as JPEG

def flagged(cell): return cell.cell_type == 'code' and any(f'#| {f}' in cell.source for f in ('slow', 'cuda'))

def as_notebook_display():
    "Give fastprogress/fastai the HTML progress bars and result tables they show in Jupyter (execnb is not Jupyter)"
    import fastprogress.fastprogress as fp, fastai.callback.progress as fcp
    fp.IN_NOTEBOOK = True
    if not hasattr(fp, 'HTML'):         # fastprogress 1.0 imports IPython's display only when it is imported in a notebook
        from IPython.display import HTML, display
        fp.HTML, fp.display = HTML, display
    fp.master_bar, fp.progress_bar = fp.NBMasterBar, fp.NBProgressBar
    fcp.master_bar, fcp.progress_bar = fp.NBMasterBar, fp.NBProgressBar

def compress(outputs) -> None:
    "Re-encode large PNG pictures as JPEG, in place"
    from PIL import Image
    for o in outputs:
        data = o.get('data', {})
        png = data.get('image/png')
        if not png or len(png) < JPEG_ABOVE * 4 // 3: continue
        im = Image.open(io.BytesIO(base64.b64decode(png)))
        if im.mode in ('RGBA', 'LA', 'P'):
            im = im.convert('RGBA'); bg = Image.new('RGB', im.size, 'white'); bg.paste(im, mask=im.split()[-1]); im = bg
        buf = io.BytesIO(); im.convert('RGB').save(buf, 'JPEG', quality=80, optimize=True)
        del data['image/png']
        data['image/jpeg'] = base64.b64encode(buf.getvalue()).decode()
        o.get('metadata', {}).pop('image/png', None)

def _html(o) -> str:
    h = o.get('data', {}).get('text/html') if o.get('output_type') == 'display_data' else None
    return None if h is None else ''.join(h) if isinstance(h, list) else h

def _is_progress(html) -> bool:
    "A progress display: a bar, its styles, a training table, or what a finished bar leaves behind (nothing visible)"
    if html is None: return False
    blank = not re.sub(r'<[^>]+>', '', html).strip() and '<img' not in html
    training_table = re.search(r'<thead>\s*<tr[^>]*>\s*<th>epoch</th>', html) is not None   # fastprogress 1.0 leaves no other mark
    return blank or training_table or '<progress' in html or 'fastprogress' in html or html.lstrip().startswith('<style')

def _table(html):
    i = html.find('<table')
    return None if i < 0 else html[i:html.find('</table>', i) + len('</table>')]

TERMINAL_CODE = re.compile(r'\x1b\[[0-9;]*[A-Za-z]')   # a console progress bar's erase-line and cursor codes

def collapse_progress(outputs) -> list:
    "Progress bars as a notebook finally shows them: each training table once, in its last state; bars themselves dropped"
    # execnb appends every update of a progress display as a new output; a table is final when the next one does not extend it
    tables = [(i, _table(h)) for i, o in enumerate(outputs) if _is_progress(h := _html(o))]
    tables = [(i, t) for i, t in tables if t]
    keep = {}
    for k, (i, t) in enumerate(tables):
        nxt = tables[k + 1][1] if k + 1 < len(tables) else None
        if nxt is None or not nxt.startswith(re.sub(r'\s*</tbody>\s*</table>\s*$', '', t)): keep[i] = t
    out = []
    for i, o in enumerate(outputs):
        if o.get('output_type') == 'stream' and not TERMINAL_CODE.sub('', ''.join(o.get('text', ''))).strip(' █\r\n'): continue   # a console bar's tick
        if not _is_progress(_html(o)): out.append(o)
        elif i in keep: out.append(dict(output_type='display_data', metadata={}, data={'text/html': keep[i], 'text/plain': 'training table'}))
    return out

def data_name(nb=None) -> str:
    "Which photos the lessons find here (a notebook that loads no dataset: the sample photos the dependencies ship)"
    if nb is not None and not any('get_dataset(' in c.source for c in nb.cells if c.cell_type == 'code'):
        return "the sample photos scikit-image ships"
    d = os.environ.get('SUPERRES_DATA')
    if d and (Path(d).expanduser()/'bsds500').is_dir(): return 'the BSDS500 photos'
    return 'the offline sample photos (no BSDS500 at hand)'

def note_text(knobs, minutes, full:bool=False, nb=None, named:str=None, nb_name:str='LESSON.ipynb') -> str:
    "The note under a lesson's title: which run its outputs come from (`full`: its `#| cuda` cells ran; `named`: its named size)"
    import datetime
    if named and not knobs:
        return (f"{NOTE} from a run on {device_name()} on {datetime.date.today().isoformat()} ({minutes:.1f} min), with "
                f"{data_name(nb)}, at the lesson's `{named}` size (`SIZE = '{named}'`); `python bench/lesson_run.py "
                f"nbs/{nb_name} --size {named} --save` re-creates them. As it stands, the notebook runs at the `ci` size on a CPU "
                "and at the `gpu` size on a GPU.")
    size = f", at the lesson's `{named}` size changed by `{knobs}`" if named and knobs else \
           ", with its `#| cuda` cells run on a GPU" if full else ""
    return (f"{NOTE} from a run on {device_name()} on {datetime.date.today().isoformat()} ({minutes:.1f} min), with "
            f"{data_name(nb)}{size}.")

WIDGET = 'application/vnd.jupyter.widget-view+json'   # a live ipywidgets display (a lesson shows a picture of it beside)

def portable_outputs(o):
    "An output's text with no path of the recording machine (temp folders as $TMPDIR, others relative to the project)"
    fix = lambda t: portable_text(''.join(t)) if isinstance(t, (list, str)) else t
    if 'text' in o: o['text'] = fix(o['text'])
    for k, v in o.get('data', {}).items():
        if k.startswith('text/'): o['data'][k] = fix(v)

def keep_outputs(nb, knob_at, knobs, minutes, named=None, nb_name='LESSON.ipynb'):
    "The run's outputs in the notebook as stored: the inserted knob cell dropped, pictures compressed, the note updated"
    if knob_at is not None: del nb.cells[knob_at + 1]
    for c in nb.cells:
        if c.cell_type == 'code':
            c['outputs'] = [o for o in collapse_progress(c.get('outputs', []))   # a live widget cannot be stored: its text repr is noise
                            if WIDGET not in o.get('data', {})]
            compress(c['outputs'])
            for o in c['outputs']: portable_outputs(o)
    title = next(i for i, c in enumerate(nb.cells) if c.cell_type == 'markdown' and c.source.lstrip().startswith('# '))
    at = next((i for i, c in enumerate(nb.cells) if c.cell_type == 'markdown' and c.source.startswith(NOTE)), None)
    import torch
    full = torch.cuda.is_available() and any(flagged(c) and '#| cuda' in c.source for c in nb.cells)     # its `#| cuda` cells ran on a GPU
    text = note_text(knobs, minutes, full, nb, named, nb_name)
    if at is None: nb.cells.insert(title + 1, mk_cell(text, 'markdown'))
    else: nb.cells[at].source = text

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('notebook')
    ap.add_argument('--size', default=None, choices=LESSON_SIZES, help="a lesson with named sizes (`SIZE = lesson_size()`): the one to run")
    ap.add_argument('--knobs', default=None, help="for an experiment: a line of Python run after the cell that names the lesson's sizes")
    ap.add_argument('--save', action='store_true', help='write the outputs back into the notebook')
    ap.add_argument('--skip-flagged', action='store_true', help="skip the `#| slow` and `#| cuda` cells, as nbdev-test does")
    ap.add_argument('--var', default='stage_table', help="the lesson's Markdown result variable")
    ap.add_argument('--out', default=None, help='results file (default: bench/results/<notebook topic>.md)')
    args = ap.parse_args()
    nb_path = Path(args.notebook).resolve()
    if args.out: args.out = Path(args.out).resolve()       # before the chdir below
    nb = read_nb(nb_path)
    nb_name = nb_path.name
    named = any(c.cell_type == 'code' and names_sizes(c.source) for c in nb.cells)     # its sizes are named in the notebook
    if args.size: os.environ[SIZE_ENV] = args.size
    size = lesson_size() if named else None
    knobs, knob_at = args.knobs, None
    if knobs:
        knob_at = next((i for i, c in enumerate(nb.cells) if c.cell_type == 'code' and names_sizes(c.source)), None)
        if knob_at is None: sys.exit(f"{nb_path}: --knobs needs a lesson with named sizes (a cell with 'SIZE = lesson_size()')")
        nb.cells.insert(knob_at + 1, mk_cell(knobs))
    os.chdir(nb_path.parent)                                # lessons run from nbs/, as nbdev-test runs them
    if args.save: as_notebook_display()
    import warnings
    warnings.filterwarnings('ignore', category=FutureWarning)    # library deprecation notices: noise in a lesson's outputs
    t = time.time()
    shell = CaptureShell()
    shell.run_all(nb, exc_stop=True, preproc=flagged if args.skip_flagged else (lambda c: False))
    minutes = (time.time() - t) / 60
    results = Path(__file__).resolve().parent/'results'
    how = f"{'flagged cells skipped' if args.skip_flagged else 'Run All'}, {device_name()}"
    line = f"| {nb_path.name} | {how} | `{knobs or (f'SIZE = {size!r}' if size else 'its own size')}` | {data_name()} | {minutes:.1f} min |\n"
    log = results/'lesson_runs.md'
    if not log.exists(): log.write_text(header("Lesson runs: wall time") + "| notebook | how | knobs | data | wall time |\n|---|---|---|---|---|\n")
    with open(log, 'a') as f: f.write(line)
    print(line, end='')
    if args.save:
        keep_outputs(nb, knob_at, knobs, minutes, size, nb_name)
        write_nb(nb, nb_path)
        clean = shutil.which('nbdev-clean', path=str(Path(sys.executable).parent)) or shutil.which('nbdev-clean')
        if clean: subprocess.run([clean, '--fname', str(nb_path)], check=True)
        else: print(f"no nbdev-clean here: run `nbdev-clean --fname {nb_path.name}` where nbdev is installed before committing")
        n = nb_path.stat().st_size
        print(f"{nb_path.name}: outputs kept, {n / 1e6:.2f} MB" + ("  (over the 1.5 MB limit)" if n > MAX_NB_BYTES else ""))
    table = shell.user_ns.get(args.var)
    if table is not None and (knobs or size not in (None, 'ci')):   # a table at the notebook's own small size means little
        out = args.out or results/f"lesson_{nb_path.stem.split('_', 1)[1]}.md"
        text = header(f"{nb_path.name} at a chosen size") + \
            f"Knobs: `{knobs or f'SIZE = {size!r}'}`; data: {data_name()}; wall time {minutes:.1f} min.\n\n{table}\n"
        out.write_text(text); print(text)
