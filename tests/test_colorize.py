"End-to-end test of `superres colorize`: a tiny colorization U-Net from `superres train`, then awkward files coloured."
import numpy as np
from PIL import Image
from conftest import run_cli
from test_train_upscale import awkward_folder, make_clip
from superres_course.core import sample_photos
import pytest

pytestmark = pytest.mark.slow      # trains a colorizer end to end

def test_train_colorizer_then_colorize_awkward_files(tmp_path):
    hr = tmp_path/'hr'; hr.mkdir()
    for p in sample_photos():
        im = Image.open(p).convert('RGB').resize((96, 64))
        for k in range(2): im.rotate(180 * k).save(hr/f'{p.stem}_{k}.png')
    run = tmp_path/'run'
    run_cli('train', hr, '--out', run, '--task', 'colorize', '--arch', 'unet', '--encoder', 'resnet18', '--no-pretrained',
            '--loss', 'l1', '--epochs', '1', '--size', '64', '--bs', '4', '--valid-pct', '0.34', '--cpu', '--workers', '0', check=0)
    expected = awkward_folder(tmp_path/'in')                       # sizes there are for x4: colorize keeps the size
    r = run_cli('colorize', tmp_path/'in', '-o', tmp_path/'out', '--model', run/'model.pth', '--render-size', '64',
                '--cpu', '--quiet', check=1)
    errors = [l for l in r.stderr.splitlines() if l.startswith('error:')]
    assert len(errors) == 3, r.stderr                              # zero-byte, truncated, not an image
    assert sorted(p.name for p in (tmp_path/'out').iterdir()) == sorted(expected)
    for name, (size, mode) in expected.items():
        im = Image.open(tmp_path/'out'/name)
        assert im.size == (size[0] // 4, size[1] // 4), (name, im.size)
        assert im.mode == ('RGBA' if mode == 'RGBA' else 'RGB'), (name, im.mode)   # colour out, alpha kept, 16-bit gray -> 8-bit RGB
    gray_in = np.asarray(Image.open(tmp_path/'in'/'gray.png'), dtype=float)
    y_out = np.asarray(Image.open(tmp_path/'out'/'gray.png').convert('YCbCr'))[..., 0].astype(float)
    assert np.abs(y_out - gray_in).max() <= 1.01                    # the luminance is the input's own
    run_cli('colorize', tmp_path/'in'/'rgb.jpg', '-o', tmp_path/'out2', '--model', tmp_path/'missing.pth', check=2)
    # a video: every frame keeps its own luminance and takes the model's colour at the render size, as a photo does
    from superres_course.colorize import Colorizer
    from superres_course.core import SRImage
    import imageio_ffmpeg
    make_clip(tmp_path/'clip.mp4', sound=False)
    r = run_cli('colorize', tmp_path/'clip.mp4', '-o', tmp_path/'vid', '--model', run/'model.pth', '--render-size', '64', '--cpu', '--quiet', check=0)
    def frames(path):
        rd = imageio_ffmpeg.read_frames(str(path), pix_fmt='rgb24'); size = next(rd)['size']
        return [np.frombuffer(f, np.uint8).reshape(size[1], size[0], 3) for f in rd]
    src, out = frames(tmp_path/'clip.mp4'), frames(tmp_path/'vid'/'clip.mp4')
    assert len(out) == len(src) == 8 and out[0].shape == src[0].shape, (len(out), out[0].shape)
    y = lambda a: np.asarray(Image.fromarray(a).convert('YCbCr'))[..., 0].astype(float)
    assert max(np.abs(y(o) - y(s)).mean() for o, s in zip(out, src)) < 4, 'a frame lost its luminance'   # H.264 error only
    c = Colorizer(run/'model.pth', 'cpu', render_size=64)
    ims = [SRImage(f.astype(np.float32) / 255) for f in src[:3]]
    for a, b in zip(c.many(ims), map(c, ims)): assert np.abs(a.pixels - b.pixels).max() < 1e-5   # batched = one by one
    from superres_course.inference import colorize_files             # the Python route to the same files
    rep = colorize_files([tmp_path/'in'/'rgb.jpg', tmp_path/'clip.mp4'], tmp_path/'py', run/'model.pth', render_size=64, device='cpu', progress=False)
    assert (len(rep.done), len(rep.failed)) == (2, 0) and (tmp_path/'py'/'rgb.png').exists() and (tmp_path/'py'/'clip.mp4').exists()
