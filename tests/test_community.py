"Community models through spandrel: four families, randomly initialised and saved in their original key layouts (no download), upscale through the CLI as our own models do, tile as ours, and export to ONNX where torch's exporter can (ESRGAN, Compact)."
import numpy as np
import pytest
import torch
from PIL import Image
from safetensors.torch import save_file
from spandrel.architectures.Compact import Compact
from spandrel.architectures.ESRGAN import ESRGAN
from spandrel.architectures.SPAN import SPAN
from spandrel.architectures.SwinIR import SwinIR
from superres_course.cli import main
from superres_course.core import pil_to_srimage, sample_photos
from superres_course.upscaler import Upscaler, upscaler_difference
from superres_course.model_files import export_onnx

pytestmark = pytest.mark.slow      # community architectures built, tiled and exported

FAMILIES = dict(   # small instances of each (the published ones are 1-17 M parameters: same keys, more of them)
    ESRGAN=lambda: ESRGAN(num_filters=16, num_blocks=1, scale=4),
    Compact=lambda: Compact(num_feat=16, num_conv=4, upscale=4),
    SwinIR=lambda: SwinIR(img_size=32, embed_dim=24, depths=[2], num_heads=[2], window_size=8, upscale=2, upsampler='pixelshuffle'),
    SPAN=lambda: SPAN(num_in_ch=3, num_out_ch=3, feature_channels=16, upscale=4))

@pytest.fixture(scope='module')
def photo(tmp_path_factory):
    p = tmp_path_factory.mktemp('in')/'photo.png'
    Image.open(sample_photos()[0]).convert('RGB').crop((0, 0, 45, 37)).save(p)     # odd sides, smaller than SwinIR's 16 after tiling edges
    return p

@pytest.mark.parametrize('name', list(FAMILIES))
def test_community_model_upscales_tiles_and_exports(name, photo, tmp_path):
    torch.manual_seed(0)
    net = FAMILIES[name]()
    with torch.no_grad():            # a random init gives near-constant outputs; some spread makes the comparisons mean something
        for p in net.parameters(): p.add_(torch.randn_like(p) * 0.02)
    path = tmp_path/f'{name}.safetensors' if name == 'SPAN' else tmp_path/f'{name}.pth'
    if path.suffix == '.pth': torch.save(net.state_dict(), path)
    else: save_file(net.state_dict(), path)
    assert main(['upscale', str(photo), '-o', str(tmp_path/'out'), '--model', str(path), '--cpu', '--quiet']) == 0
    whole = Upscaler(path, 'cpu', tile=0)
    out = Image.open(tmp_path/'out'/'photo.png')
    assert out.size == (45 * whole.scale, 37 * whole.scale) and whole.spec.arch == f'spandrel:{name}'
    img = pil_to_srimage(Image.open(photo))
    tiled = Upscaler(path, 'cpu', tile=20, tile_pad=8)
    diff = upscaler_difference(whole, tiled, img)[0]
    # convolutional models agree to float rounding; a window-attention model (SwinIR) sees a different context per tile
    assert diff < (0.1 if name == 'SwinIR' else 1e-4), diff
    if name == 'SwinIR':      # so spandrel says it discourages tiling, and automatic tiles leave it whole when memory allows
        assert whole.spec.tiling == 'discouraged' and upscaler_difference(Upscaler(path, 'cpu'), whole, img)[0] == 0
    if name in ('SwinIR', 'SPAN'):   # SwinIR computes its attention mask in Python from the size; torch's exporter crashes on SPAN
        with pytest.raises(ValueError, match='use it with the PyTorch engine'): export_onnx(path, tmp_path/f'{name}.onnx')
        return
    onnx_path = export_onnx(path, tmp_path/f'{name}.onnx')
    assert upscaler_difference(Upscaler(onnx_path), whole, img)[0] < 1e-3

def test_model_files_that_are_not_models(tmp_path):
    torch.save({'conv.weight': torch.rand(3, 3, 3, 3)}, tmp_path/'unknown.pth')
    (tmp_path/'text.safetensors').write_text('not weights')
    torch.save([1, 2, 3], tmp_path/'list.pth')
    for f, message in [('unknown.pth', 'architecture spandrel'), ('text.safetensors', 'not a readable model file'), ('list.pth', 'not a model')]:
        with pytest.raises(ValueError, match=message) as e: Upscaler(tmp_path/f, 'cpu')
        assert f in str(e.value)

def test_a_model_that_discourages_tiling_says_so_when_it_must_be_tiled(tmp_path, monkeypatch):
    import superres_course.upscaler as upscaler
    torch.save(FAMILIES['SwinIR']().state_dict(), tmp_path/'swinir.pth')
    monkeypatch.setattr(upscaler, 'available_memory', lambda device: 8 * 2 ** 20)      # a device with 8 MB free
    up, img = Upscaler(tmp_path/'swinir.pth', 'cpu'), pil_to_srimage(Image.open(sample_photos()[0]).convert('RGB').crop((0, 0, 200, 150)))
    with pytest.warns(UserWarning, match='discourages tiling.*200x150 input does not fit') as record: up(img); up(img)
    assert len([r for r in record if 'discourages tiling' in str(r.message)]) == 1      # once per Upscaler
