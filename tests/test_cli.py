"End-to-end tests of the `superres` command line on temporary folders, broken files included."
import json, re, os, shutil, signal, subprocess, time
from pathlib import Path
import numpy as np, pytest, torch
from PIL import Image
from conftest import run_cli, SUPERRES
from superres_course.core import sample_photos, image_files

GOOD = {'china.png', 'flower.png', 'sub/grace_hopper.png', 'transparent.png'}

def outputs(d): return {p.relative_to(d).as_posix() for p in Path(d).rglob('*') if p.is_file()}

def test_help_lists_every_subcommand():
    r = run_cli('--help', check=0)
    for cmd in ('crappify', 'metrics', 'bicubic', 'demo', 'train', 'upscale', 'bench', 'export', 'nogan', 'colorize'):
        line = next(l for l in r.stdout.splitlines() if l.split()[:1] == [cmd])     # the command's own row, not a wrapped word
        assert len(line.split()) > 2, f"{cmd} has no help text"
    for cmd in ('crappify', 'metrics', 'bicubic', 'demo', 'train', 'upscale', 'bench', 'export', 'nogan', 'colorize'): run_cli(cmd, '--help', check=0)

def test_crappify_broken_files_reported_rest_done(photo_dir, tmp_path):
    r = run_cli('crappify', photo_dir, tmp_path/'lr', '--preset', 'bicubic_x4', '--seed', '0', '--quiet', check=1)
    errors = [l for l in r.stderr.splitlines() if l.startswith('error:')]
    assert len(errors) == 3, r.stderr
    for name in ('zero.jpg', 'truncated.jpg', 'text.png'): assert sum(name in l for l in errors) == 1
    assert outputs(tmp_path/'lr') == GOOD                         # good files done, mirrored, no partial files
    assert Image.open(tmp_path/'lr'/'sub'/'grace_hopper.png').size == (128, 150)
    assert '4 written' in r.stdout and '3 failed' in r.stdout

def test_crappify_same_seed_byte_identical_and_no_overwrite(photo_dir, tmp_path):
    run_cli('crappify', photo_dir, tmp_path/'a', '--seed', '5', '--quiet', '--workers', '2')
    run_cli('crappify', photo_dir, tmp_path/'b', '--seed', '5', '--quiet', '--workers', '0')
    for f in GOOD: assert (tmp_path/'a'/f).read_bytes() == (tmp_path/'b'/f).read_bytes(), f
    before = {f: (tmp_path/'a'/f).read_bytes() for f in GOOD}
    r = run_cli('crappify', photo_dir, tmp_path/'a', '--seed', '6', '--quiet')
    assert '4 skipped' in r.stdout
    assert all((tmp_path/'a'/f).read_bytes() == b for f, b in before.items())    # untouched without --overwrite
    run_cli('crappify', photo_dir, tmp_path/'a', '--seed', '6', '--quiet', '--overwrite')
    assert (tmp_path/'a'/'china.png').read_bytes() != before['china.png']

def test_crappify_usage_errors(tmp_path):
    r = run_cli('crappify', tmp_path/'nope', tmp_path/'out', check=2)
    assert r.stderr.strip().count('\n') == 0 and 'no such' in r.stderr
    r = run_cli('crappify', tmp_path, tmp_path/'out', '--preset', 'nope', check=2)
    assert 'invalid choice' in r.stderr

def test_device_option(photo_dir, tmp_path):
    "`--device` names the device; one that is not a device, or that this machine lacks, is a one-line usage error"
    for bad, says in (('gpu7', 'not a torch device'), ('mps' if not torch.backends.mps.is_available() else 'cuda:99', 'no such device')):
        r = run_cli('upscale', photo_dir/'transparent.png', '-o', tmp_path/bad, '--device', bad, check=2)
        assert r.stderr.strip().count('\n') == 0 and says in r.stderr and not (tmp_path/bad).exists()
    run_cli('upscale', photo_dir/'transparent.png', '-o', tmp_path/'cpu', '--device', 'cpu', '--model', 'x4')
    assert outputs(tmp_path/'cpu') == {'transparent.png'}

@pytest.mark.slow
def test_crappify_interrupted_leaves_no_partial_files(tmp_path):
    src = tmp_path/'many'; src.mkdir()
    data = sample_photos()[0].read_bytes()
    for i in range(600): (src/f'{i:03d}.jpg').write_bytes(data)     # seconds of work: the kill lands mid-run on a busy machine
    # A shell started in the background (nohup, `&`, some CI runners) hands its children SIGINT ignored, and Python keeps it
    # so: the command must hear Ctrl-C as a user's terminal would send it, so its handling is restored in the child.
    p = subprocess.Popen([str(SUPERRES), 'crappify', str(src), str(tmp_path/'out'), '--preset', 'real', '--quiet'],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 60
    while time.time() < deadline and len(list((tmp_path/'out').glob('*.png'))) < 5: time.sleep(0.05)
    os.killpg(p.pid, signal.SIGINT)
    p.wait(timeout=60)
    written = list((tmp_path/'out').iterdir())
    assert not [f for f in written if f.name.startswith('.') or f.suffix != '.png'], 'temporary files left behind'
    for f in written: Image.open(f).load()                       # every file that exists is complete
    assert 0 < len(written) < 600, len(written)
    r = run_cli('crappify', src, tmp_path/'out', '--preset', 'real', '--quiet', check=0)   # re-run finishes the job
    assert len(list((tmp_path/'out').glob('*.png'))) == 600

def test_bicubic_and_metrics_agree(tmp_path):
    hr = tmp_path/'hr'; hr.mkdir()
    for p in sample_photos(): Image.open(p).convert('RGB').save(hr/(p.stem + '.png'))
    b = json.loads(run_cli('bicubic', hr, '--scale', '4', '--json', check=0).stdout)
    assert b['mean']['n'] == 3 and 20 < b['mean']['psnr'] < 35 and 0.5 < b['mean']['ssim'] < 1
    assert 0 < b['mean']['hf'] < 1                     # bicubic has less fine detail than the photos
    # SR images made by the same protocol through the crappify command and Pillow score the same
    run_cli('crappify', hr, tmp_path/'lr', '--preset', 'bicubic_x4', '--quiet', check=0)
    sr = tmp_path/'sr'; sr.mkdir()
    for f in image_files(tmp_path/'lr'):
        im = Image.open(f); im.resize((im.width * 4, im.height * 4), Image.BICUBIC).save(sr/f.name)
    m = json.loads(run_cli('metrics', sr, hr, '--scale', '4', '--json', check=0).stdout)
    assert abs(m['mean']['psnr'] - b['mean']['psnr']) < 1e-9 and abs(m['mean']['ssim'] - b['mean']['ssim']) < 1e-12
    assert abs(m['mean']['hf'] - b['mean']['hf']) < 1e-9
    table = run_cli('metrics', sr, hr, '--scale', '4', check=0).stdout
    assert 'mean (3)' in table and 'PSNR-Y' in table

def test_metrics_reports_unmatched_and_broken(tmp_path):
    hr = tmp_path/'hr'; sr = tmp_path/'sr'; hr.mkdir(); sr.mkdir()
    Image.open(sample_photos()[0]).save(hr/'a.png'); Image.open(sample_photos()[0]).save(sr/'a.png')
    (sr/'orphan.png').write_bytes(Image.open(sample_photos()[1]).tobytes()[:10])
    (sr/'small.png').write_bytes(b''); Image.new('RGB', (10, 10)).save(hr/'small.png')
    r = run_cli('metrics', sr, hr, '--json', check=1)
    assert len([l for l in r.stderr.splitlines() if l.startswith('error:')]) == 2
    assert json.loads(r.stdout)['mean']['n'] == 1

@pytest.mark.slow
def test_demo_writes_grid(tmp_path):
    r = run_cli('demo', '-o', tmp_path/'demo', '--presets', 'lesson7,bicubic_x4', check=0)
    grid = Image.open(tmp_path/'demo'/'before_after.png')
    assert 4 * 200 <= grid.width < 5 * 200 and 3 * 200 <= grid.height < 4 * 200   # 4 columns, 3 photos, 200 px cells
    assert Image.open(tmp_path/'demo'/'crappify.png').height > 400
    assert len(list((tmp_path/'demo'/'upscaled').glob('*.png'))) == 3
    assert len(list((tmp_path/'demo'/'jpeg').glob('*.jpg'))) == 3 and Image.open(tmp_path/'demo'/'jpeg_before_after.png').height > 400
    assert r.stdout.count('quality-30 JPEG') == 3                              # a PSNR line per photo from its JPEG
    clean = re.findall(r'bicubic ([\d.]+) dB, model ([\d.]+) dB', r.stdout)     # a PSNR line per photo, from its clean x4 downscale
    assert len(clean) == 3 and all(float(m) > float(b) for b, m in clean), clean    # the shipped x4 model beats bicubic on each
    assert len(list((tmp_path/'demo'/'lesson7').glob('*.png'))) == 3
    run_cli('demo', '-o', tmp_path/'demo', check=2)                            # refuses to overwrite

@pytest.mark.slow
def test_upscale_folder_shared_by_two_processes(tmp_path):
    "As under `accelerate launch` or `torchrun`, which set RANK and WORLD_SIZE: each process takes its share, each output written once"
    (tmp_path/'in').mkdir()
    for i, p in enumerate(sample_photos()):
        for j in range(2): Image.open(p).convert('RGB').resize((48 + 8 * j, 40)).save(tmp_path/'in'/f'{p.stem}_{j}.png')
    procs = [subprocess.Popen([str(SUPERRES), 'upscale', tmp_path/'in', '-o', tmp_path/'out', '--cpu', '--quiet'], text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, 'RANK': str(k), 'WORLD_SIZE': '2'})
             for k in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert outputs(tmp_path/'out') == {f'{p.stem}_{j}.png' for p in sample_photos() for j in range(2)}
    assert all('3 written' in o for o, _ in outs), outs          # six files, three each

def test_targets_published_teacher_by_name(tmp_path):
    "`--teacher realesrgan-x4plus` is a name, not a file: converted once into the cache folder, then found there (no network here)"
    from superres_course.model_files import shipped_model_path
    hr, inputs = tmp_path/'hr', tmp_path/'inputs'
    hr.mkdir()
    Image.open(sample_photos()[0]).convert('RGB').crop((0, 0, 128, 96)).save(hr/'a.png')
    run_cli('crappify', hr, inputs, '--preset', 'real', '--workers', '0', '--quiet', check=0)
    cache = tmp_path/'cache'/'superres_course'/'realesrgan'
    cache.mkdir(parents=True)
    shutil.copy(shipped_model_path('x4'), cache/'realesrgan-x4plus.pth')     # stands in for the converted published file
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path/'cache'))
    run_cli('targets', hr, inputs, tmp_path/'targets', '--teacher', 'realesrgan-x4plus', '--detail-gain', '0.6', '--cpu', '--quiet', check=0, env=env)
    assert (tmp_path/'targets'/'a.png').is_file()
    made = json.loads((tmp_path/'targets'/'provenance.json').read_text())
    assert 'Real-ESRGAN realesrgan-x4plus' in made['source'] and made['detail_gain'] == 0.6, made
    r = run_cli('targets', hr, inputs, tmp_path/'t2', '--teacher', 'no-such-teacher', '--cpu', check=2, env=env)
    assert 'no-such-teacher' in r.stderr and r.stderr.count('\n') == 1, r.stderr     # anything else must be a file: one line
