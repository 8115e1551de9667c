"""Tiling: does tiled output equal untiled output, and what is the peak memory of a large upscale?

usage: python bench/tiling.py [PHOTO] [--model PATH] [--big 2000x1500] [--tile 256] [--tile-pad N] [--engines torch,onnx]
              [--out bench/results/tiling_cpu.md]

1. Equality: the model (default: the shipped x4 model) upscales a real photo (default: scikit-learn's china.jpg) whole
   and in tiles of several sizes, each with `--tile-pad` pixels of context (default: what `Upscaler` gives the model,
   enough for its receptive field); reported is the max and mean absolute difference in 8-bit levels after the output is
   quantized as `superres upscale` writes it, and before (float).
2. Memory: `superres upscale` of a `--big` photo (the same photo resized) runs in a child process; its peak resident
   memory (ru_maxrss) and wall time are reported for the automatic tile size (from free memory, the default), for
   `--tile`, and for `--tile 0` (whole image at once), with each engine of `--engines`.
"""
import argparse, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np
from PIL import Image
from superres_course.core import load_pil, pil_to_srimage, sample_photos
from superres_course.upscaler import Upscaler
from _record import header

_WRAP = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)")

def child_peak(cmd) -> tuple[float, float]:
    "(peak RSS in MB, wall seconds) of a command, run under a fresh Python parent so earlier runs do not count"
    t = time.perf_counter()
    r = subprocess.run([sys.executable, '-c', _WRAP, *map(str, cmd)], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if r.returncode: sys.exit(f"{' '.join(map(str, cmd))} failed:\n{r.stderr[-2000:]}")
    return int(r.stdout.split()[-1]) / 1024, wall

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('photo', nargs='?', default=None); ap.add_argument('--model', default=None)
    ap.add_argument('--big', default='2000x1500'); ap.add_argument('--tile', type=int, default=256)
    ap.add_argument('--tile-pad', type=int, default=None); ap.add_argument('--out', default='bench/results/tiling_cpu.md')
    ap.add_argument('--engines', default='torch', help="comma-separated: torch, onnx")
    args = ap.parse_args()
    photo = load_pil(args.photo or sample_photos()[0])
    img = pil_to_srimage(photo)
    whole = Upscaler(args.model, 'cpu', tile=0)(img).pixels
    rows = []
    for tile in (32, 64, 128, args.tile):
        tiler = Upscaler(args.model, 'cpu', tile=tile, tile_pad=args.tile_pad)
        tiled = tiler(img).pixels
        d = np.abs(tiled - whole) * 255
        d8 = np.abs(np.rint(tiled * 255) - np.rint(whole * 255))
        rows.append(f"| {tile} | {tiler.tiling()[1]} | {d.max():.2e} | {d.mean():.2e} | {d8.max():.0f} | {(d8 > 0).mean() * 100:.4f}% |")
    up = Upscaler(args.model, 'cpu')
    w, h = map(int, args.big.lower().split('x'))
    superres = Path(sys.executable).with_name('superres')
    mem = []
    with tempfile.TemporaryDirectory() as d:
        big = Path(d)/'big.png'
        photo.resize((w, h), Image.BICUBIC).save(big)
        runs = [(e, None) for e in args.engines.split(',')] + [('torch', args.tile), ('torch', 0)]
        for i, (engine, tile) in enumerate(runs):
            peak, wall = child_peak([superres, 'upscale', big, '-o', Path(d)/f'out{i}', '--cpu', '--quiet', '--engine', engine] +
                                    ([] if args.tile_pad is None else ['--tile-pad', args.tile_pad]) + ([] if tile is None else ['--tile', tile]) +
                                    (['--model', args.model] if args.model else []))
            # each engine's own automatic tile size: ONNX Runtime plans smaller tiles
            label = f"auto ({Upscaler(args.model, 'cpu', engine=engine).tiling()[0]} px)" if tile is None else tile or 'whole image'
            mem.append(f"| {w}x{h} -> {w * up.scale}x{h * up.scale} | {engine} | {label} | {peak:,.0f} | {wall:.1f} |")
    text = header(f"Tiling: equality and peak memory ({up.spec.arch} x{up.scale})") + \
        f"Model: `{args.model or 'shipped default model'}`; photo: `{args.photo or sample_photos()[0].name}` " \
        f"({photo.width}x{photo.height}).\n\n## Tiled output against whole-image output\n\n" \
        "Differences in 8-bit levels (1 level = 1/255): float output, and the 8-bit output `superres upscale` writes.\n\n" \
        "| tile (input px) | tile pad | max abs (float) | mean abs (float) | max abs (8-bit) | 8-bit pixels that differ |\n" \
        "|---|---|---|---|---|---|\n" + '\n'.join(rows) + \
        "\n\n## Peak memory of `superres upscale` (child process, ru_maxrss)\n\n" \
        "| image | engine | tile | peak RSS (MB) | wall (s) |\n|---|---|---|---|---|\n" + '\n'.join(mem) + '\n'
    Path(args.out).write_text(text); print(text)
