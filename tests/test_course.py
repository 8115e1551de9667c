"The course as a reader finds it: the lessons keep their pictures, stay small, say where their outputs come from, show no warnings or stray lines; the workflows parse."
import json, re
from pathlib import Path
import yaml
from superres_course.core import names_sizes

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT/'nbs').glob('[0-9][0-9]*_*.ipynb'))     # 04b_upscaler sorts after 04_models
MAX_BYTES = 1_500_000
NOTE = '*Outputs shown:*'          # the note bench/lesson_run.py --save keeps under each lesson's title

def _outputs(nb): return [o for c in nb['cells'] if c['cell_type'] == 'code' for o in c.get('outputs', [])]

def test_lessons_keep_pictures_and_stay_small():
    assert len(LESSONS) >= 14
    for p in LESSONS:
        assert p.stat().st_size <= MAX_BYTES, f"{p.name}: {p.stat().st_size / 1e6:.2f} MB, over 1.5 MB"
        nb = json.loads(p.read_text())
        if not ('01' <= p.name[:2] <= '13'): continue
        pictures = [o for o in _outputs(nb) if {'image/png', 'image/jpeg'} & set(o.get('data', {}))]
        assert pictures, f"{p.name}: keeps no picture output (re-record it: python bench/lesson_run.py {p.relative_to(ROOT)} --save)"
        notes = [c for c in nb['cells'] if c['cell_type'] == 'markdown' and ''.join(c['source']).startswith(NOTE)]
        assert len(notes) == 1, f"{p.name}: no note saying which run its outputs come from"

# What a reader should never find in a kept output: an error, a Python warning, a download that the run did not make
# (a loader's progress line), fastai's raw per-epoch lists (a learner without its progress callback or a readable logger)
NOISE = {'a Python warning': re.compile(r'\w+Warning: '), 'a download line': re.compile(r'^Downloading: ', re.M),
         "fastai's raw epoch list": re.compile(r'^\[\d+, [-\d.e]+, ', re.M), 'a traceback': re.compile(r'^Traceback ', re.M),
         "a path of the recording machine": re.compile(r'(?<![\w.$])/(?:tmp|work|root|home)/'),
         'a live widget stored as text': re.compile(r'^(?:VBox|HBox|Tab)\(children=', re.M), 'a terminal control code': re.compile('\x1b\\[')}

def test_lessons_show_no_noise():
    found = []
    for p in LESSONS:
        for o in _outputs(json.loads(p.read_text())):
            if o['output_type'] == 'error': found.append(f"{p.name}: an error output ({o.get('ename')})"); continue
            text = ''.join(o.get('text', '')) + ''.join(o.get('data', {}).get('text/plain', ''))
            found += [f"{p.name}: {what}" for what, pat in NOISE.items() if pat.search(text)]
    assert not found, found

def test_named_sizes_rerun_from_the_note():
    "A lesson with named sizes (`SIZES`, `lesson_size()`) says which one its outputs come from and the command that re-creates them"
    named = 0
    for p in LESSONS:
        nb = json.loads(p.read_text())
        code = [''.join(c['source']) for c in nb['cells'] if c['cell_type'] == 'code']
        if not any(names_sizes(c) for c in code): continue
        named += 1
        note = next(''.join(c['source']) for c in nb['cells'] if c['cell_type'] == 'markdown' and ''.join(c['source']).startswith(NOTE))
        m = re.search(r"`SIZE = '(\w+)'`", note)
        assert m, f"{p.name}: its note names no size"
        sizes = next((c for c in code if 'SIZES = dict(' in c), '')
        assert f"{m.group(1)}=dict(" in sizes and f"--size {m.group(1)}" in note, f"{p.name}: size {m.group(1)!r} is not one of its SIZES, or the note lacks its command"
    assert named >= 7, f"only {named} lessons name their sizes"     # 06-09 and 11-13 train, and keep outputs of a named size

def test_results_hold_no_machine_paths():
    "bench/results (and the experiments' results) record commands a reader can rerun: paths relative to the project, the data folder or $TMPDIR"
    found = [f"{p.name}:{i}" for p in sorted((ROOT/'bench').glob('**/results/*.md'))
             for i, line in enumerate(p.read_text().splitlines(), 1) if NOISE["a path of the recording machine"].search(line)]
    assert not found, found

def test_lessons_import_only_earlier_lessons():
    "A learner goes top to bottom: no lesson (its exported code or its examples) uses a module of a later lesson"
    module_of = {}
    for p in LESSONS:
        m = re.search(r'#\|\s*default_exp\s+(\w+)', p.read_text())
        if m: module_of[m.group(1)] = p
    assert len(module_of) == len(LESSONS)
    uses = re.compile(r'(?:from\s+(?:superres_course)?\.(\w+)\s+import|import\s+superres_course\.(\w+))')
    late = []
    for p in LESSONS:
        if p.name.startswith('9'): continue             # the command line puts every lesson together
        code = '\n'.join(''.join(c['source']) for c in json.loads(p.read_text())['cells'] if c['cell_type'] == 'code')
        for m in uses.finditer(code):
            mod = m.group(1) or m.group(2)
            if mod in module_of and module_of[mod].name > p.name: late.append(f"{p.name} uses {mod} ({module_of[mod].name})")
    assert not late, late

def test_workflows_parse():
    wf = ROOT/'.github'/'workflows'
    docs = {n: yaml.safe_load((wf/f'{n}.yaml').read_text()) for n in ('test', 'deploy', 'gpu')}
    for n, d in docs.items(): assert d['jobs'] and d.get(True, d.get('on')), f"{n}.yaml: no jobs or no trigger"
    steps = lambda d: [s.get('run', '') + s.get('uses', '') for j in d['jobs'].values() for s in j['steps']]
    assert any('.ci/run' in s for s in steps(docs['test']))
    assert any('quarto-ghp' in s for s in steps(docs['deploy']))
    assert any('--flags "slow cuda"' in s for s in steps(docs['gpu']))
    assert 'self-hosted' in docs['gpu']['jobs']['lessons']['runs-on']

def test_ci_runs_the_readme_line():
    line = next(l for l in (ROOT/'README.md').read_text().splitlines() if l.startswith('python3 -m venv .venv && ') and 'pytest' in l)
    ci = [l for l in (ROOT/'.ci'/'run').read_text().splitlines() if l.strip() and not l.startswith(('#', 'set ', 'cd '))]
    assert ci == [line], ci

def test_docs_home_page_sidebar_and_colab_badges():
    "The docs site opens on the README (nbs/index.ipynb, kept identical), lists the lessons in order, and each opens in Colab"
    index = json.loads((ROOT/'nbs'/'index.ipynb').read_text())
    text = ''.join(''.join(c['source']) for c in index['cells'] if c['cell_type'] == 'markdown')
    assert text == (ROOT/'README.md').read_text(), "nbs/index.ipynb differs from README.md: copy the README into its one markdown cell"
    sidebar = yaml.safe_load((ROOT/'nbs'/'sidebar.yml').read_text())['website']['sidebar']['contents']
    listed = [c for item in sidebar for c in ([item] if isinstance(item, str) else item['contents'])]
    assert listed == ['index.ipynb'] + [p.name for p in LESSONS], listed
    for p in LESSONS:
        badge = f"colab.research.google.com/github/superres-course/superres_course/blob/main/nbs/{p.name})"
        assert badge in p.read_text(), f"{p.name}: no 'Open in Colab' badge pointing at itself"

def _command_lines(text:str):
    "(line, argv, whole) of each `superres ...` command of a text: whole lines of code blocks and inline fragments of prose"
    # continuations joined, comments and a synopsis' [brackets] dropped, placeholders of numbers filled
    import shlex
    text = re.sub(r'\\\n\s*', ' ', text)
    for m in re.finditer(r'(?m)^\s*(?:\$ )?(superres [a-z]+[^\n`]*)|`(superres [a-z]+[^`\n]*)`', text):   # in a block, or inline
        line = (m.group(1) or m.group(2)).split('  #')[0].split(' # ')[0].strip()
        line = re.sub(r'\[([^]|]*?)(?: \| [^]]*)?\]', r'\1', line)          # [optional] parts kept, the first of [a | b]
        yield line, [{'K': '1', 'K[:STEP]': '1'}.get(a, a) for a in shlex.split(line)[1:]], m.group(1) is not None

def test_documented_command_lines_parse():
    "Every command line the README and the lessons show is one the CLI accepts, and every option they name inline is one it has"
    import argparse
    from superres_course.cli import build_parser
    texts = {'README.md': (ROOT/'README.md').read_text()}
    for nb in sorted((ROOT/'nbs').glob('*.ipynb')):
        texts[nb.name] = '\n'.join(''.join(c['source']) for c in json.loads(nb.read_text())['cells'] if c['cell_type'] == 'markdown')
    seen, refused = 0, []
    for name, text in texts.items():
        for line, argv, whole in _command_lines(text):
            seen += 1
            parser = build_parser(library_options=argv[0])
            if whole:
                try: parser.parse_args(argv)
                except SystemExit: refused.append(f"{name}: {line}")
            else:       # a fragment in prose: the options it names must exist
                sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[argv[0]]
                refused += [f"{name}: {line} ({a})" for a in argv[1:] if a.startswith('--') and a.split('=')[0] not in sub._option_string_actions]
    assert seen > 40 and not refused, refused
