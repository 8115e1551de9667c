"""Bicubic baseline (benchmark protocol) on a folder of HR photos, at x2, x3 and x4.

usage: python bench/bicubic_baseline.py HR_DIR [--name bsds500_test] [--out bench/results/bicubic_baseline.md]
Same numbers as `superres bicubic HR_DIR --scale S`.
"""
import argparse, json
from pathlib import Path
from superres_course.metrics import bicubic_scores
from _record import header

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('hr'); ap.add_argument('--name', default=None); ap.add_argument('--out', default='bench/results/bicubic_baseline.md')
    args = ap.parse_args()
    rows, data = ["| scale | photos | PSNR-Y (dB) | SSIM-Y |", "|---|---|---|---|"], {}
    for s in (2, 3, 4):
        m = bicubic_scores(args.hr, s).mean
        rows.append(f"| x{s} | {m['n']} | {m['psnr']:.2f} | {m['ssim']:.4f} |"); data[f'x{s}'] = m
    text = header(f"Bicubic baseline: {args.name or args.hr}") + \
        "Protocol: HR cropped to a multiple of the scale, LR by antialiased bicubic (Pillow), bicubic upsampling, " \
        "PSNR/SSIM on BT.601 Y (offset 16) with `scale` pixels shaved, SSIM 11x11 Gaussian sigma 1.5.\n" \
        "For reference, this protocol gives about 28.4 dB on Set5 and 26.0 dB on BSD100 at x4.\n\n" + '\n'.join(rows) + \
        f"\n\n```json\n{json.dumps(data, indent=1)}\n```\n"
    Path(args.out).write_text(text); print(text)
