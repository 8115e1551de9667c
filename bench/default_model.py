"""Quality of a model file (default: the shipped x4 model) on a folder of HR photos, next to bicubic, with how it was trained.

usage: python bench/default_model.py HR_DIR [--model PATH] [--name "BSDS500 test"] [--note "how it was made"] [--out bench/results/default_model_x4.md]
Same protocol and numbers as `superres bench HR_DIR --scale S --model PATH`.
"""
import argparse, json
from pathlib import Path
from superres_course.upscaler import Upscaler
from superres_course.inference import bench_model
from _record import header

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('hr'); ap.add_argument('--model', default=None); ap.add_argument('--name', default=None)
    ap.add_argument('--note', default='', help='a paragraph saying how the model was made, when its record alone does not')
    ap.add_argument('--cpu', action='store_true'); ap.add_argument('--out', default='bench/results/default_model_x4.md')
    args = ap.parse_args()
    up = Upscaler(args.model, 'cpu' if args.cpu else None)
    res = bench_model(args.hr, up.scale, up, progress=False)
    s, meta = res.summary(), up.spec.meta
    per = sorted(zip(res.model.rows, res.bicubic.rows), key=lambda rb: rb[0]['psnr'] - rb[1]['psnr'])
    n_params = sum(p.numel() for p in up.net.parameters())
    text = header(f"{up.spec.arch} x{up.scale} ({args.model or 'shipped default model'}) on {args.name or args.hr}") + \
        f"Protocol: as `superres bicubic`: HR cropped to a multiple of {up.scale}, LR by antialiased bicubic (Pillow), " \
        f"output quantized to 8 bits, PSNR/SSIM on BT.601 Y (offset 16) with {up.scale} pixels shaved.\n\n" \
        f"| | PSNR-Y (dB) | SSIM-Y |\n|---|---|---|\n| bicubic | {s['bicubic_psnr']:.3f} | {s['bicubic_ssim']:.4f} |\n" \
        f"| model | **{s['psnr']:.3f}** | **{s['ssim']:.4f}** |\n| gain | **{s['gain_db']:+.3f}** | {s['ssim'] - s['bicubic_ssim']:+.4f} |\n\n" \
        f"{s['n']} images, never seen in training. Gain per image: min {per[0][0]['psnr'] - per[0][1]['psnr']:+.2f} dB " \
        f"({per[0][0]['name']}), median {per[len(per) // 2][0]['psnr'] - per[len(per) // 2][1]['psnr']:+.2f} dB, " \
        f"max {per[-1][0]['psnr'] - per[-1][1]['psnr']:+.2f} dB ({per[-1][0]['name']}); the model is better than bicubic on " \
        f"{sum(r['psnr'] > b['psnr'] for r, b in per)} of {len(per)}.\n\n" \
        f"## The model\n\n" + (f"{args.note}\n\n" if args.note else '') + f"- architecture: `{up.spec.arch}` {up.spec.config}, {n_params:,} parameters, " \
        f"{Path(up.path).stat().st_size / 1e6:.2f} MB file\n" + \
        ''.join(f"- {k}: `{v}`\n" for k, v in meta.items()) + \
        f"\n```json\n{json.dumps(s, indent=1)}\n```\n"
    Path(args.out).write_text(text); print(text)
