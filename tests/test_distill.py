"Distillation end to end through the CLI (lesson 14): damaged copies, a teacher's targets, a student trained on the prepared pairs, scored with NIQE."
from pathlib import Path
import json
import numpy as np
from superres_course.model_files import load_sr_model
from PIL import Image
from conftest import run_cli
from superres_course.core import sample_photos
import pytest

pytestmark = pytest.mark.slow      # crappify, targets, training and bench through the CLI

def photos(d:Path, n:int=6) -> Path:
    "`n` distinct 256x192 crops of the sample photos"
    d.mkdir(parents=True)
    for i in range(n):
        img = Image.open(sample_photos()[i % 3]).convert('RGB')
        img.crop((40 * (i // 3), 0, 40 * (i // 3) + 256, 192)).save(d/f'p{i}.png')
    return d

def test_targets_train_bench(tmp_path):
    hr, inputs, targets = photos(tmp_path/'hr'), tmp_path/'inputs', tmp_path/'targets'
    run_cli('crappify', hr, inputs, '--preset', 'real', '--seed', '100', '--workers', '0', '--quiet', check=0)
    (inputs/'p5.png').write_bytes(b'not a png')                       # a damaged copy that cannot be read
    r = run_cli('targets', hr, inputs, targets, '--teacher', 'x4', '--cpu', '--quiet', check=1)
    assert r.stderr.count('error:') == 1 and 'p5.png' in r.stderr, r.stderr          # one line, naming the file
    assert sorted(p.name for p in targets.iterdir()) == [f'p{i}.png' for i in range(5)] + ['provenance.json']
    assert json.loads((targets/'provenance.json').read_text())['teacher'] == 'x4'      # what made them, for the model's record
    t0, photo0 = Image.open(targets/'p0.png'), Image.open(hr/'p0.png')
    assert t0.size == photo0.size
    # the target keeps the photo's low band: closer to the photo than the teacher's own output on the damaged copy
    run_cli('upscale', inputs/'p0.png', '-o', tmp_path/'raw', '--model', 'x4', '--cpu', '--quiet', check=0)
    a, raw, b = (np.asarray(im, np.float32) for im in (t0, Image.open(tmp_path/'raw'/'p0.png'), photo0))
    assert np.abs(a - b).mean() < 0.7 * np.abs(raw - b).mean()
    r = run_cli('targets', hr, inputs, targets, '--teacher', 'x4', '--cpu', '--quiet', '--max-images', '5', check=0)
    assert '0 written, 5 skipped' in r.stdout                          # finished targets are kept
    (inputs/'p5.png').unlink()
    run_cli('train', targets, '--inputs', inputs, '--out', tmp_path/'student', '--task', 'restore', '--init', 'restore',
            '--epochs', '1', '--size', '64', '--bs', '2', '--valid-pct', '0.4', '--workers', '0', '--cpu', check=0)
    assert load_sr_model(tmp_path/'student'/'model.pth')[1].meta['targets']['teacher'] == 'x4'    # the model file credits its teacher
    r = run_cli('bench', hr, '--model', tmp_path/'student'/'model.pth', '--degrade', 'real_test', '--realism', '--cpu', check=0)
    mean = [l for l in r.stdout.splitlines() if l.lstrip().startswith('mean')][0].split()
    assert len(mean) == 2 + 8 and all(np.isfinite(float(v)) for v in mean[2:]), r.stdout   # PSNR, SSIM, HF, NIQE for the model and bicubic
    assert 'NIQE' in r.stdout.splitlines()[-1]
