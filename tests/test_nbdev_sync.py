"The notebooks are the source of truth: exporting them must reproduce the library, and they must be clean."
import shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

def _copy_project(dst):
    for name in ('nbs', 'superres_course'): shutil.copytree(ROOT/name, dst/name, ignore=shutil.ignore_patterns('__pycache__'))
    for name in ('pyproject.toml', 'README.md'): shutil.copy(ROOT/name, dst/name)

def _snapshot(d, pattern): return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob(pattern))}

def test_export_leaves_no_diff(tmp_path):
    _copy_project(tmp_path)
    subprocess.run([str(BIN/'nbdev-export')], cwd=tmp_path, check=True, capture_output=True)
    before, after = _snapshot(ROOT/'superres_course', '*.py'), _snapshot(tmp_path/'superres_course', '*.py')
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"nbdev-export changes {changed}: edit the notebooks, export, commit both"

def test_notebooks_are_clean(tmp_path):
    _copy_project(tmp_path)
    subprocess.run([str(BIN/'nbdev-clean')], cwd=tmp_path, check=True, capture_output=True)
    before, after = _snapshot(ROOT/'nbs', '*.ipynb'), _snapshot(tmp_path/'nbs', '*.ipynb')
    changed = sorted(k for k in before if before[k] != after.get(k))
    assert not changed, f"nbdev-clean changes {changed}: run nbdev-clean before committing"
