"""ONNX export: parity with PyTorch on real photos, for the shipped model (or yours).

usage: python bench/onnx_export.py [HR_DIR] [--model PATH] [--n 10] [--out bench/results/onnx_parity.md]
The model is exported with `export_onnx` (dynamic batch/height/width); then the same LR images (the sample photos and
the first `--n` photos of HR_DIR, downscaled by the benchmark protocol) are upscaled by `Upscaler` with the PyTorch
engine and with the ONNX Runtime engine, the same tiling for both, and the largest absolute difference (pixels in
[0, 1]) and the number of 8-bit output values that differ are reported. The target is 1e-3.
"""
import argparse, json, tempfile, time
from pathlib import Path
from superres_course.core import image_files, load_pil, pil_to_srimage, sample_photos
from superres_course.upscaler import Upscaler, upscaler_difference
from superres_course.model_files import export_onnx, default_model_path
from superres_course.metrics import crop_to_scale, make_lr
from _record import header

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('hr', nargs='?', default=None); ap.add_argument('--model', default=None)
    ap.add_argument('--n', type=int, default=10); ap.add_argument('--out', default='bench/results/onnx_parity.md')
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        onnx_path = export_onnx(args.model, Path(d)/'model.onnx')
        export_s, size_mb = time.perf_counter() - t, onnx_path.stat().st_size / 2 ** 20
        up_torch, up_onnx = Upscaler(args.model, 'cpu'), Upscaler(onnx_path)
        files = sample_photos() + (image_files(args.hr)[:args.n] if args.hr else [])
        rows, worst = [], 0.
        for f in files:
            lr = pil_to_srimage(make_lr(crop_to_scale(load_pil(f), up_torch.scale), up_torch.scale))
            diff, d8 = upscaler_difference(up_torch, up_onnx, lr)
            worst = max(worst, diff)
            rows.append(f"| {f.name} | {lr.size[0]}x{lr.size[1]} | {diff:.2e} | {d8} of {lr.size[0] * lr.size[1] * 3 * up_torch.scale ** 2:,} |")
    res = dict(model=str(args.model or default_model_path().name), images=len(files), max_abs_diff=worst,
               export_seconds=round(export_s, 1), onnx_mb=round(size_mb, 2), tile=up_torch.tiling()[0])
    text = header("ONNX export: parity with PyTorch") + \
        f"Model: `{res['model']}` ({up_torch.spec.arch} x{up_torch.scale}); exported in {export_s:.1f} s to {size_mb:.2f} MB " \
        f"(opset 18, dynamic batch/height/width). Both engines upscale the same LR images (benchmark protocol), tiles of " \
        f"{res['tile']} px.\n\n| photo | LR size | max abs difference (of 1) | 8-bit values that differ |\n|---|---|---|---|\n" + \
        '\n'.join(rows) + f"\n\n**Largest difference over {len(files)} photos: {worst:.2e}** (target: 1e-3).\n\n" \
        f"```json\n{json.dumps(res, indent=1)}\n```\n"
    Path(args.out).write_text(text); print(text)
