"""Restoration of damaged photos: models on inputs made by a fixed, seeded crappify chain, next to bicubic.

usage: python bench/restore.py HR_DIR [--model NAME=FILE ...] [--degrade real_test] [--seed 0] [--max-images N] [--cpu] [--out FILE]

Each HR photo is cropped to a multiple of 4 and damaged by the preset (default `real_test`: Gaussian blur, x4 bicubic,
noise of sigma 2-8, JPEG 30-70; its parameters differ on purpose from the `real` chain a restoration model trains on),
seeded per file; bicubic and each model upscale the damaged input x4, and the output is scored against the clean photo
(PSNR/SSIM on Y, border shaved, and the high-frequency ratio). Every model shipped in the package is always in the table.
"""
import argparse, json
from pathlib import Path
from superres_course.inference import bench_model
from superres_course.upscaler import Upscaler, pick_device
from superres_course.model_files import SHIPPED_MODELS
from _record import header

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('hr'); ap.add_argument('--model', nargs='*', default=[], help="NAME=FILE of models to score beside the shipped ones")
    ap.add_argument('--degrade', default='real_test'); ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--max-images', type=int, default=None); ap.add_argument('--cpu', action='store_true'); ap.add_argument('--out', default=None)
    args = ap.parse_args()
    device = pick_device(args.cpu)
    models = [(f'shipped `{name}`', name) for name in SHIPPED_MODELS] + [tuple(m.split('=', 1)) for m in args.model]
    rows, summaries = [], {}
    for name, path in models:
        res = bench_model(args.hr, 4, Upscaler(path, device), max_images=args.max_images, degrade=args.degrade, seed=args.seed)
        s = summaries[name] = res.summary()
        if not rows: rows.append(f"| bicubic | {s['bicubic_psnr']:.3f} | {s['bicubic_ssim']:.4f} | {s['bicubic_hf']:.3f} | |")
        rows.append(f"| {name} | {s['psnr']:.3f} | {s['ssim']:.4f} | {s['hf']:.3f} | {s['gain_db']:+.3f} |")
        print(rows[-1], flush=True)
    text = (header(f"Restoration: x4 from photos damaged by `{args.degrade}`") +
            f"{s['n']} photos of `{args.hr}`, each damaged by the crappify preset `{args.degrade}` (seed {args.seed}, per file), "
            f"upscaled x4, scored against the clean photo (PSNR/SSIM on Y with 4 pixels shaved; HF: high-frequency ratio, "
            f"1 = as detailed as the original).\n\n| | PSNR-Y (dB) | SSIM-Y | HF ratio | gain over bicubic (dB) |\n|---|---|---|---|---|\n"
            + '\n'.join(rows) + '\n\n```json\n' + json.dumps(summaries, indent=1) + '\n```\n')
    print(text)
    if args.out: Path(args.out).write_text(text)
