"End-to-end test of `superres nogan`: two cycles on tiny photos, killed after cycle 1 and resumed, then the model used."
import csv, os, signal, subprocess, time
from pathlib import Path
from PIL import Image
from conftest import run_cli, SUPERRES
from superres_course.core import sample_photos
import pytest

pytestmark = pytest.mark.slow      # NoGAN cycles, killed and resumed

def cycle_rows(run:Path) -> list[int]:
    p = run/'cycles.csv'
    if not p.exists(): return []
    with open(p) as f: return [int(float(r['cycle'])) for r in csv.DictReader(f)]

def test_nogan_kill_resume_then_upscale(tmp_path):
    hr = tmp_path/'hr'; hr.mkdir()
    for p in sample_photos():                                   # 8 small real photos
        im = Image.open(p).convert('RGB').resize((128, 96))
        for k, op in enumerate([None, Image.FLIP_LEFT_RIGHT, Image.FLIP_TOP_BOTTOM]):
            (im if op is None else im.transpose(op)).save(hr/f'{p.stem}_{k}.png')
    (hr/'grace_hopper_2.png').unlink()
    run = tmp_path/'run'
    cmd = ['nogan', hr, '--out', run, '--cycles', '2', '--size', '64', '--bs', '4', '--max-images', '8', '--valid-pct', '0.25',
           '--encoder', 'resnet18', '--no-pretrained', '--critic-nf', '16', '--epochs', '1', '--critic-epochs', '1',
           '--critic-finetune-epochs', '1',
           '--gan-steps', '2', '--checkpoint-every', '1', '--cpu', '--workers', '0',
           '--switch-thresh', '10']    # a one-epoch critic on near-bicubic fakes may never reach 0.65: one critic step per generator step
    p = subprocess.Popen([str(SUPERRES), *map(str, cmd)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 400
    while time.time() < deadline and 1 not in cycle_rows(run) and p.poll() is None: time.sleep(0.05)
    os.killpg(p.pid, signal.SIGKILL); p.wait(timeout=60)        # killed hard once cycle 1 is in the table
    assert cycle_rows(run) == [0, 1], cycle_rows(run)
    kept = (run/'cycle_1'/'generator.pth').stat().st_mtime_ns
    run_cli(*cmd, check=2)                                      # a run is there: no silent restart
    r = run_cli('nogan', hr, '--out', run, '--resume', '--cycles', '2', '--cpu', '--workers', '0', check=0)
    assert cycle_rows(run) == [0, 1, 2], cycle_rows(run)         # continued from cycle 1, not restarted
    assert (run/'cycle_1'/'generator.pth').stat().st_mtime_ns == kept
    assert not list(run.glob('cycle_*.partial'))
    for k in (1, 2):
        names = {f.name for f in (run/f'cycle_{k}').iterdir()}
        assert {'generator.pth', 'critic.pth', 'grid.png', 'gan_log.csv', 'gan_iter_00001.pth', 'gan_iter_00002.pth'} <= names, names
    assert 'critic iterations before each generator step' in r.stdout     # the threshold at work, in the log
    assert 'cycles.png' in r.stdout and 5 * 160 <= Image.open(run/'cycles.png').width < 6 * 160   # input, cycles 0-2, target: five 160 px columns
    small = tmp_path/'small'; small.mkdir()
    Image.open(sample_photos()[0]).convert('RGB').resize((40, 24)).save(small/'x.png')
    run_cli('upscale', small, '-o', tmp_path/'up', '--model', run/'model.pth', '--cpu', '--quiet', check=0)
    assert Image.open(tmp_path/'up'/'x.png').size == (160, 96)
    r = run_cli('nogan', hr, '--out', run, '--resume', '--rollback', '1', '--cycles', '1', '--cpu', check=0)
    assert cycle_rows(run) == [0, 1] and (run/'rolled_back'/'cycle_2').is_dir()
    run_cli('nogan', hr, '--out', run, '--resume', '--rollback', '1:1', '--cycles', '1', '--cpu', check=0)   # a checkpoint
    assert (run/'model.pth').read_bytes() == (run/'cycle_1'/'gan_iter_00001.pth').read_bytes()
    assert (run/'cycle_1'/'generator_end.pth').is_file()
    with open(run/'cycles.csv') as f: rows = list(csv.DictReader(f))
    assert float(rows[-1]['gen_steps']) == 1 and 0 < float(rows[-1]['hf']) and 0 <= float(rows[-1]['adv_share']) < 1
    r = run_cli('nogan', hr, '--out', run, '--resume', '--rollback', '1:7', '--cpu', check=2)
    assert 'no checkpoint at generator step 7' in r.stderr
