"One registration is all an architecture needs: a toy network registered here trains with its own option through the CLI, saves, loads, upscales (tiled, through the CLI too) and exports to ONNX; an option it lacks or a second registration of its name is one clear error."
import json
import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from superres_course.cli import main
from superres_course.core import pil_to_srimage, sample_photos
from superres_course.data import get_dataset
from superres_course.upscaler import Upscaler, upscaler_difference
from superres_course.model_files import export_onnx, load_sr_model
from superres_course.models import ARCHS, register_arch
from superres_course.superres import train_sr

class HalfResToy(nn.Module):
    "Works at half the input's resolution (a stride-2 conv), then one pixel shuffle to `scale` x: its input sides must be even"
    def __init__(self, scale:int=2, n_channels:int=3,
                 nf:int=8):      # channels at half resolution
        super().__init__()
        self.scale = scale
        self.down = nn.Conv2d(n_channels, nf, 3, stride=2, padding=1)
        self.up = nn.Sequential(nn.Conv2d(nf, n_channels * (2 * scale) ** 2, 3, padding=1), nn.PixelShuffle(2 * scale))
    def forward(self, x):
        return F.interpolate(x, scale_factor=self.scale, mode='bicubic') + self.up(F.relu(self.down(x)))

@pytest.fixture(scope='module')
def toy():
    arch = register_arch('halfres_toy', HalfResToy, multiple=2, lr=3e-3)    # the one place the project learns of it
    yield arch
    del ARCHS['halfres_toy']

@pytest.mark.slow
def test_toy_architecture_end_to_end(toy, tmp_path, capsys):
    photos = get_dataset('bsds500', split='train', fallback=True)
    assert main(['train', str(photos), '--out', str(tmp_path/'run'), '--task', 'x2', '--arch', 'halfres_toy', '--nf', '12', '--epochs', '2',
                 '--size', '32', '--bs', '4', '--max-images', '6', '--valid-pct', '0.34', '--cpu', '--workers', '0']) == 0   # its own option, by the CLI
    settings = json.loads((tmp_path/'run'/'run.json').read_text())
    assert (settings['lr'], settings['arch_options']) == (3e-3, dict(nf=12))
    model_path = tmp_path/'run'/'model.pth'
    net, spec = load_sr_model(model_path)
    assert (spec.arch, spec.scale, spec.multiple, spec.config) == ('halfres_toy', 2, 2, dict(scale=2, n_channels=3, nf=12))
    assert isinstance(net, HalfResToy) and net.down.out_channels == 12
    img = pil_to_srimage(Image.open(sample_photos()[0]).convert('RGB').crop((0, 0, 75, 51)))   # odd sides: padded to the multiple, cropped back
    whole, tiled = Upscaler(model_path, 'cpu', tile=0), Upscaler(model_path, 'cpu', tile=20, tile_pad=6)
    out = whole(img)
    assert out.size == (150, 102)
    assert upscaler_difference(whole, tiled, img)[0] < 1e-5             # tiles agree with the whole image
    onnx_path = export_onnx(model_path, tmp_path/'toy.onnx')
    assert Upscaler(onnx_path).spec.multiple == 2
    assert upscaler_difference(Upscaler(onnx_path), whole, img)[0] < 1e-3
    Image.open(sample_photos()[0]).convert('RGB').crop((0, 0, 41, 33)).save(tmp_path/'in.png')
    assert main(['upscale', str(tmp_path/'in.png'), '-o', str(tmp_path/'out'), '--model', str(model_path), '--cpu', '--quiet']) == 0
    assert Image.open(tmp_path/'out'/'in.png').size == (82, 66)

def test_cli_train_offers_registered_architectures(toy, tmp_path, capsys):
    with pytest.raises(SystemExit): main(['train', '--help'])
    help = ' '.join(capsys.readouterr().out.split())
    assert ',halfres_toy}' in help and '--nf NF halfres_toy:' in help

def test_an_option_the_architecture_lacks_is_one_clear_line(toy, tmp_path, capsys):
    photos = get_dataset('bsds500', split='train', fallback=True)
    assert main(['train', str(photos), '--out', str(tmp_path/'run'), '--task', 'x2', '--arch', 'halfres_toy', '--n-feats', '99', '--cpu']) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["superres train: error: architecture 'halfres_toy' has no option 'n_feats'; its options: nf"], err
    assert not (tmp_path/'run').exists()                                  # refused before anything was written

def test_a_name_is_registered_once(toy):
    with pytest.raises(ValueError, match="'halfres_toy' is already registered"): register_arch('halfres_toy', nn.Identity)
    assert ARCHS['halfres_toy'].build is HalfResToy                       # the refused registration changed nothing
    again = register_arch('halfres_toy', HalfResToy, multiple=2, lr=3e-3, replace=True)
    assert ARCHS['halfres_toy'] is again and again.multiple == 2
