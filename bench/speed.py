"""Inference speed of a model on this machine: output megapixels per second, next to Pillow bicubic on the same images.

usage: python bench/speed.py [HR_DIR] [--model PATH] [--scale 4] [--n 20] [--repeat 3] [--threads N] [--cpu]
              [--out bench/results/speed_cpu.md]
Each HR photo is downscaled by the benchmark protocol; the timed part is the full `Upscaler` call on the LR image
(colour handling, tiling, network), i.e. what `superres upscale` does minus file reading and writing.
The best of `--repeat` passes over the images is reported (the usual way to time: it removes one-off noise).
Also times one 1920x1080 output frame (a 1920/scale x 1080/scale input).
"""
import argparse, json, time
from pathlib import Path
import torch
from PIL import Image
from superres_course.core import image_files, load_pil, pil_to_srimage, sample_photos
from superres_course.inference import Upscaler, pick_device, default_model_path
from superres_course.metrics import crop_to_scale, make_lr
from superres_course.espcn import seconds_per_frame
from _record import header

def best_pass(fn, items, repeat):
    "Seconds of the fastest of `repeat` passes of fn over items"
    times = []
    for _ in range(repeat):
        if torch.cuda.is_available(): torch.cuda.synchronize()
        t = time.perf_counter()
        for it in items: fn(it)
        if torch.cuda.is_available(): torch.cuda.synchronize()
        times.append(time.perf_counter() - t)
    return min(times)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('hr', nargs='?', default=None, help="HR photos (default: the sample photos)")
    ap.add_argument('--model', default=None); ap.add_argument('--scale', type=int, default=4)
    ap.add_argument('--n', type=int, default=20); ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--threads', type=int, default=None); ap.add_argument('--cpu', action='store_true')
    ap.add_argument('--out', default='bench/results/speed_cpu.md')
    args = ap.parse_args()
    if args.threads: torch.set_num_threads(args.threads)
    files = image_files(args.hr)[:args.n] if args.hr else sample_photos()
    lrs = [make_lr(crop_to_scale(load_pil(f), args.scale), args.scale) for f in files]
    up = Upscaler(args.model, pick_device(args.cpu))
    if up.scale != args.scale: raise SystemExit(f"the model is x{up.scale}, not x{args.scale}")
    imgs = [pil_to_srimage(im) for im in lrs]
    out_mp = sum(im.width * im.height for im in lrs) * args.scale ** 2 / 1e6
    up(imgs[0])                                                   # warm-up (allocations, kernels)
    t_model = best_pass(up, imgs, args.repeat)
    t_bicubic = best_pass(lambda im: im.resize((im.width * args.scale, im.height * args.scale), Image.BICUBIC), lrs, args.repeat)
    t_frame = seconds_per_frame(up, (1920, 1080), args.repeat)
    res = dict(model=str(args.model or default_model_path().name), arch=up.spec['arch'], config=up.spec['config'],
               device=str(up.device), threads=torch.get_num_threads(), images=len(lrs), output_megapixels=round(out_mp, 3),
               model_mp_per_s=round(out_mp / t_model, 3), bicubic_mp_per_s=round(out_mp / t_bicubic, 3),
               model_vs_bicubic=round(t_bicubic / t_model, 4), seconds_per_1080p_frame=round(t_frame, 3))
    text = header("Inference speed") + \
        f"Images: {len(lrs)} photos from {args.hr or 'the sample photos'}, LR by the benchmark protocol, x{args.scale}; " \
        f"{out_mp:.2f} output megapixels per pass; best of {args.repeat} passes.\n\n" \
        f"| | output MP/s |\n|---|---|\n| model ({up.spec['arch']}, {res['threads']} threads, {res['device']}) | " \
        f"{res['model_mp_per_s']:.2f} |\n| Pillow bicubic | {res['bicubic_mp_per_s']:.1f} |\n\n" \
        f"The model runs at {res['model_vs_bicubic']:.3f}x the speed of Pillow bicubic; one 1920x1080 output frame takes " \
        f"{res['seconds_per_1080p_frame']:.2f} s.\n\n```json\n{json.dumps(res, indent=1)}\n```\n"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text); print(text)
