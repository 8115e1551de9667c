"Shared fixtures: the `superres` command, and folders of real photos with broken files among them."
import shutil, subprocess, sys
from pathlib import Path
import pytest
from PIL import Image
from superres_course.core import sample_photos

SUPERRES = Path(sys.executable).parent/'superres'

def run_cli(*args, check=None, **kw):
    "Run `superres ARGS...`; return the CompletedProcess (text mode)"
    r = subprocess.run([str(SUPERRES), *map(str, args)], capture_output=True, text=True, timeout=600, **kw)
    if check is not None: assert r.returncode == check, f"exit {r.returncode}\nstdout:\n{r.stdout}\nstderr:\n{r.stderr}"
    return r

@pytest.fixture
def photo_dir(tmp_path):
    "A folder with the three sample photos (one in a sub-folder), an RGBA PNG and three broken files"
    src = tmp_path/'hr'
    (src/'sub').mkdir(parents=True)
    p = sample_photos()
    shutil.copy(p[0], src/p[0].name); shutil.copy(p[1], src/p[1].name); shutil.copy(p[2], src/'sub'/p[2].name)
    Image.open(p[1]).convert('RGBA').resize((160, 107)).save(src/'transparent.png')
    (src/'zero.jpg').write_bytes(b'')
    (src/'truncated.jpg').write_bytes(p[0].read_bytes()[:4000])
    (src/'text.png').write_text('this is not an image')
    (src/'readme.txt').write_text('ignored: not an image by name')
    return src
