"End-to-end tests of `superres train`, `superres upscale` and `superres bench` on real photos and awkward files."
import json, os, signal, subprocess, time
from pathlib import Path
import numpy as np
from PIL import Image
from conftest import run_cli, SUPERRES
from superres_course.core import sample_photos
import pytest

pytestmark = pytest.mark.slow      # training, upscaling and export through the CLI

def awkward_folder(d:Path) -> dict:
    "Images in every mode people meet, plus broken files; returns {output name: (expected size, expected mode)}"
    d.mkdir(parents=True)
    photo = Image.open(sample_photos()[1]).convert('RGB').resize((48, 32))
    photo.save(d/'rgb.jpg', quality=95)
    rgba = photo.convert('RGBA'); rgba.putalpha(Image.linear_gradient('L').resize((48, 32))); rgba.save(d/'alpha.png')
    Image.fromarray((np.asarray(photo.convert('L'), dtype=np.uint16) * 257)).save(d/'deep16.png')
    photo.convert('L').save(d/'gray.png')
    photo.convert('P', palette=Image.ADAPTIVE, colors=16).save(d/'palette.png')
    photo.convert('CMYK').save(d/'cmyk.jpg')
    exif = Image.Exif(); exif[0x0112] = 6                          # "rotate 90 CW to display": shown as 32 x 48
    photo.save(d/'rotated.jpg', exif=exif)
    (d/'zero.png').write_bytes(b'')
    (d/'truncated.jpg').write_bytes((d/'rgb.jpg').read_bytes()[:300])
    (d/'notimage.png').write_text('hello')
    big = (192, 128)
    return {'rgb.png': (big, 'RGB'), 'alpha.png': (big, 'RGBA'), 'deep16.png': (big, 'I;16'), 'gray.png': (big, 'L'),
            'palette.png': (big, 'RGB'), 'cmyk.png': (big, 'RGB'), 'rotated.png': ((128, 192), 'RGB')}

def read_lines(p:Path) -> list[str]: return p.read_text().splitlines() if p.exists() else []

def test_upscale_awkward_files_default_model(tmp_path):
    expected = awkward_folder(tmp_path/'in')
    r = run_cli('upscale', tmp_path/'in', '-o', tmp_path/'out', '--cpu', '--quiet', check=1)
    errors = [l for l in r.stderr.splitlines() if l.startswith('error:')]
    assert len(errors) == 3 and all(any(n in l for n in ('zero.png', 'truncated.jpg', 'notimage.png')) for l in errors), r.stderr
    assert sorted(p.name for p in (tmp_path/'out').iterdir()) == sorted(expected), 'missing, extra or partial outputs'
    for name, (size, mode) in expected.items():
        im = Image.open(tmp_path/'out'/name)
        assert (im.size, im.mode) == (size, mode), (name, im.size, im.mode)
    alpha = np.asarray(Image.open(tmp_path/'out'/'alpha.png'))[..., 3]
    assert alpha[:20].mean() < 60 and alpha[-20:].mean() > 190                 # the vertical gradient survived
    before = (tmp_path/'out'/'rgb.png').stat().st_mtime_ns
    r = run_cli('upscale', tmp_path/'in'/'rgb.jpg', '-o', tmp_path/'out', '--cpu', '--quiet', check=0)
    assert '1 skipped' in r.stdout and (tmp_path/'out'/'rgb.png').stat().st_mtime_ns == before   # no --overwrite: kept
    run_cli('upscale', tmp_path/'in'/'rgb.jpg', '-o', tmp_path/'out', '--cpu', '--quiet', '--overwrite', check=0)
    assert (tmp_path/'out'/'rgb.png').stat().st_mtime_ns != before

def test_bench_default_model_beats_bicubic(tmp_path):
    d = tmp_path/'hr'; d.mkdir()
    for p in sample_photos(): Image.open(p).convert('RGB').resize((240, 180)).save(d/f'{p.stem}.png')
    r = run_cli('bench', d, '--scale', '4', '--cpu', '--json', check=0)
    s = json.loads(r.stdout)['summary']
    assert s['n'] == 3 and s['psnr'] > s['bicubic_psnr'] and s['hf'] > s['bicubic_hf'], s      # sharper than bicubic
    named = json.loads(run_cli('bench', d, '--scale', '4', '--model', 'x4', '--cpu', '--json', check=0).stdout)['summary']
    assert named['psnr'] == s['psnr'], (named, s)                               # the shipped model by its name
    run_cli('bench', d, '--scale', '2', '--cpu', check=2)                      # the model is x4: a usage error

def test_train_kill_resume_then_upscale_and_bench(tmp_path):
    hr = tmp_path/'hr'; hr.mkdir()
    for i, p in enumerate(sample_photos()):
        im = Image.open(p).convert('RGB').resize((160, 120))
        for k in range(2): im.rotate(180 * k).save(hr/f'{p.stem}_{k}.png')
    run = tmp_path/'run'
    cmd = ['train', hr, '--out', run, '--task', 'x2', '--arch', 'edsr', '--n-feats', '8', '--n-blocks', '1', '--epochs', '40',
           '--size', '32', '--bs', '4', '--repeats', '16', '--valid-pct', '0.34', '--cpu', '--workers', '0']
    # 16 steps an epoch, so that the 40 epochs take far longer than the polling interval: the kill lands mid-run
    p = subprocess.Popen([str(SUPERRES), *map(str, cmd)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 300
    while time.time() < deadline and len(read_lines(run/'history.csv')) < 2: time.sleep(0.02)
    os.killpg(p.pid, signal.SIGKILL); p.wait(timeout=60)                      # killed hard, right after the first epoch
    rows = (run/'history.csv').read_text().splitlines()
    done = len(rows) - 1
    assert 1 <= done < 40, f"{done} epochs finished before the kill"
    assert not (run/'model.pth').exists()
    run_cli(*cmd, check=2)                                                    # a run is there: no silent restart
    r = run_cli('train', hr, '--out', run, '--resume', '--cpu', '--workers', '0', check=0)
    epochs = [int(l.split(',')[1]) for l in (run/'history.csv').read_text().splitlines()[1:]]
    assert epochs == list(range(1, 41)), epochs                               # continued, not restarted, nothing repeated
    assert '\r' not in r.stdout + r.stderr                                    # in a pipe: lines, not redrawn progress bars
    ks = [int(l.split()[1].split('/')[0]) for l in r.stdout.splitlines() if l.startswith('epoch ')]
    assert ks and ks == list(range(ks[0], 41)) and ks[0] <= done + 1, r.stdout   # a line per epoch trained (from the checkpoint's)
    assert not list(run.glob('.*.part*'))                                     # a temp file the kill left is gone
    assert (run/'loss.png').exists() and (run/'samples.png').exists()
    small = tmp_path/'small'; small.mkdir()
    Image.open(sample_photos()[0]).convert('RGB').resize((50, 30)).save(small/'x.png')
    run_cli('upscale', small, '-o', tmp_path/'up', '--model', run/'model.pth', '--cpu', '--quiet', check=0)
    assert Image.open(tmp_path/'up'/'x.png').size == (100, 60)
    r = run_cli('bench', hr, '--scale', '2', '--model', run/'model.pth', '--cpu', check=0)
    assert 'gain over bicubic' in r.stdout

def test_train_espcn_then_upscale_keeps_colour(tmp_path):
    "`superres train --arch espcn`: a Y-only x3 model with the lesson-11 recipe, usable by `superres upscale` on colour photos"
    hr = tmp_path/'hr'; hr.mkdir()
    for p in sample_photos(): Image.open(p).convert('RGB').resize((150, 111)).save(hr/f'{p.stem}.png')
    run = tmp_path/'run'
    run_cli('train', hr, '--out', run, '--task', 'x3', '--arch', 'espcn', '--epochs', '2', '--size', '48', '--bs', '2',
            '--valid-pct', '0.34', '--cpu', '--workers', '0', check=0)
    settings = json.loads((run/'run.json').read_text())
    assert (settings['loss'], settings['lr']) == ('mse', 1e-2)                  # the paper's loss and peak learning rate
    rows = (run/'history.csv').read_text().splitlines()
    assert len(rows) == 3 and 'psnr_y' in rows[0]
    photo = Image.open(sample_photos()[1]).convert('RGB').resize((60, 40))
    photo.save(tmp_path/'small.png')
    run_cli('upscale', tmp_path/'small.png', '-o', tmp_path/'up', '--model', run/'model.pth', '--cpu', '--quiet', check=0)
    out = Image.open(tmp_path/'up'/'small.png')
    assert (out.size, out.mode) == ((180, 120), 'RGB')
    # the colour comes from bicubic: the output is as colourful as the input (a barely trained Y moves it a little
    # through gamut clipping), not gray
    c_in, c_out = (np.asarray(im.convert('YCbCr'), dtype=float)[..., 1:] for im in (photo, out))
    assert np.abs(c_in.mean((0, 1)) - c_out.mean((0, 1))).max() < 6, (c_in.mean((0, 1)), c_out.mean((0, 1)))
    assert (c_out.std((0, 1)) > 0.7 * c_in.std((0, 1))).all(), (c_in.std((0, 1)), c_out.std((0, 1)))

def test_train_multiframe_microscopy_then_restore_movie(tmp_path):
    "`superres train --task microscopy --frames 3` on movie folders; `superres upscale` restores each folder as a movie"
    from superres_course.microscopy import write_fluorescence
    write_fluorescence(tmp_path/'movies', n_movies=3, n_frames=3, size=(64, 64), seed=0)
    run = tmp_path/'run'
    run_cli('train', tmp_path/'movies', '--out', run, '--task', 'microscopy', '--arch', 'unet', '--frames', '3',
            '--encoder', 'resnet18', '--no-pretrained', '--epochs', '1', '--size', '64', '--bs', '2', '--valid-pct', '0.34',
            '--cpu', '--workers', '0', check=0)
    assert json.loads((run/'run.json').read_text())['frames'] == 3
    lr = tmp_path/'lr'/'movie_a'; lr.mkdir(parents=True)
    for t, f in enumerate(sorted((tmp_path/'movies'/'movie_000').iterdir())): Image.open(f).resize((16, 16)).save(lr/f't{t}.png')
    (lr/'t9.png').write_text('not a frame')                   # a broken frame: its own output and its neighbour's fail
    r = run_cli('upscale', tmp_path/'lr', '-o', tmp_path/'out', '--model', run/'model.pth', '--cpu', '--quiet', check=1)
    assert 't9.png' in r.stderr
    outs = sorted(p.name for p in (tmp_path/'out'/'movie_a').iterdir())
    assert outs == ['t0.png', 't1.png'], outs                 # t2's stack holds the broken t9: reported, not written
    assert all((im.size, im.mode) == ((64, 64), 'L') for im in map(Image.open, (tmp_path/'out'/'movie_a').iterdir()))
    r = run_cli('train', tmp_path/'movies', '--out', tmp_path/'bad', '--task', 'x4', '--frames', '3', '--cpu', check=None)
    assert r.returncode != 0 and 'multi-frame' in r.stderr

def make_clip(path:Path, n:int=8, size=(40, 30), fps:int=8, sound:bool=True):
    "A short pan across a real photo, with a 440 Hz tone when `sound`"
    import imageio_ffmpeg
    photo = Image.open(sample_photos()[0]).convert('RGB').resize((160, 120))
    silent = path.with_name(path.stem + '_silent.mp4')
    w = imageio_ffmpeg.write_frames(str(silent), size, fps=fps, quality=9, macro_block_size=1, ffmpeg_log_level='error')
    w.send(None)
    for i in range(n): w.send(np.asarray(photo.crop((4 * i, 20, 4 * i + size[0], 20 + size[1]))).tobytes())
    w.close()
    if not sound: silent.rename(path); return
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), '-loglevel', 'error', '-i', str(silent), '-f', 'lavfi', '-i',
                    f'sine=frequency=440:duration={n / fps}', '-c:v', 'copy', '-c:a', 'aac', '-shortest', str(path)], check=True)
    silent.unlink()

def test_export_onnx_then_upscale_videos_and_images(tmp_path):
    from superres_course.inference import video_info
    d = tmp_path/'in'; (d/'sub').mkdir(parents=True)
    make_clip(d/'clip.mp4'); make_clip(d/'sub'/'quiet.mov', sound=False)
    (d/'broken.mp4').write_bytes(b'\x00' * 100)
    Image.open(sample_photos()[1]).convert('RGB').resize((48, 32)).save(d/'photo.jpg')
    r = run_cli('export', '--onnx', tmp_path/'x4.onnx', check=0)
    assert 'max difference' in r.stdout, r.stdout
    run_cli('export', '--onnx', tmp_path/'x4.onnx', check=2)                   # exists: not overwritten
    r = run_cli('upscale', d, '-o', tmp_path/'out', '--model', tmp_path/'x4.onnx', '--stats', '--quiet', check=1)
    errors = [l for l in r.stderr.splitlines() if l.startswith('error:')]
    assert len(errors) == 1 and 'broken.mp4' in errors[0] and 'not a readable video' in errors[0], r.stderr
    assert sorted(p.relative_to(tmp_path/'out').as_posix() for p in (tmp_path/'out').rglob('*') if p.is_file()) == \
        ['clip.mp4', 'photo.png', 'sub/quiet.mp4'], 'missing, extra or partial outputs'
    clip, quiet = video_info(tmp_path/'out'/'clip.mp4'), video_info(tmp_path/'out'/'sub'/'quiet.mp4')
    assert (clip['size'], clip['fps'], 'audio_codec' in clip) == ((160, 120), 8.0, True), clip
    assert (quiet['size'], 'audio_codec' in quiet) == ((160, 120), False), quiet
    assert r.stdout.count('flicker') == 2 and 'ONNX Runtime' in r.stdout, r.stdout
    assert Image.open(tmp_path/'out'/'photo.png').size == (192, 128)
    r = run_cli('upscale', d/'clip.mp4', '-o', tmp_path/'one', '--quiet', check=0)   # one video named on its own
    assert '1 written' in r.stdout and '0 failed' in r.stdout and (tmp_path/'one'/'clip.mp4').exists(), r.stdout + r.stderr

def test_lesson7_unet_starts_from_installed_imagenet_weights_and_benches_against_its_input(tmp_path):
    "Offline, the default U-Net's encoder and feature loss are ImageNet's; `bench --degrade lesson7` scores it beside its own input"
    hr = tmp_path/'hr'; hr.mkdir()
    for p in sample_photos(): Image.open(p).convert('RGB').resize((240, 180)).save(hr/f'{p.stem}.png')
    run = tmp_path/'run'
    r = run_cli('train', hr, '--out', run, '--task', 'lesson7', '--arch', 'unet', '--loss', 'feature', '--epochs', '1',
                '--freeze-epochs', '0', '--size', '64', '--bs', '2', '--valid-pct', '0.34', '--cpu', '--workers', '0', check=0)
    assert 'pretrained weights: encoder efficientnet_lite0 (ImageNet), feature loss EfficientNet-Lite0 (ImageNet)' in r.stdout, r.stdout
    assert 'random init' not in r.stderr and 'randomly init' not in r.stderr, r.stderr     # no fallback to random weights
    s = json.loads(run_cli('bench', hr, '--model', run/'model.pth', '--degrade', 'lesson7', '--cpu', '--json', check=0).stdout)['summary']
    # 'bicubic' is the crappified input resized back: a residual U-Net starts as that input, and one epoch moves it little
    assert s['n'] == 3 and 15 < s['bicubic_psnr'] < 35 and abs(s['psnr'] - s['bicubic_psnr']) < 1.0, s
