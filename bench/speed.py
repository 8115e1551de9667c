"""Inference speed of a model on this machine: output megapixels per second next to Pillow bicubic on the same images,
for each engine (PyTorch, ONNX Runtime), seconds per 1920x1080 output frame, and how far that is from the floor set by
the model's FLOPs and this device's measured matmul rate.

usage: python bench/speed.py [HR_DIR] [--model PATH] [--scale 4] [--n 20] [--repeat 3] [--threads N] [--cpu]
              [--engines torch,onnx] [--ensemble 1] [--out bench/results/speed_cpu.md]
Each HR photo is downscaled by the benchmark protocol; the timed part is the full `Upscaler` call on the LR image
(colour handling, tiling, network), i.e. what `superres upscale` does minus file reading and writing.
The best of `--repeat` passes over the images is reported (the usual way to time: it removes one-off noise).
The FLOP floor: the network's FLOPs for one 1080p frame (torch's FlopCounterMode, multiply-adds counted as 2) divided by
the rate of a large float32 matmul on the same device (float16 on a GPU, where `Upscaler` autocasts); the ratio says how
much of the hardware's arithmetic the model uses (convolutions rarely reach matmul rates, so 2-5x is normal).
"""
import argparse, json, time
from pathlib import Path
import torch
from PIL import Image
from torch.utils.flop_counter import FlopCounterMode
from superres_course.core import image_files, load_pil, pil_to_srimage, sample_photos
from superres_course.upscaler import Upscaler, pick_device
from superres_course.model_files import default_model_path
from superres_course.metrics import crop_to_scale, make_lr
from superres_course.espcn import seconds_per_frame
from _record import header

def synced(fn, *args) -> float:
    "Seconds of one call of fn(*args), the GPU (if any) finished before and after"
    if torch.cuda.is_available(): torch.cuda.synchronize()
    t = time.perf_counter(); fn(*args)
    if torch.cuda.is_available(): torch.cuda.synchronize()
    return time.perf_counter() - t

def best_pass(fn, items, repeat):
    "Seconds of the fastest of `repeat` passes of fn over items"
    return min(synced(lambda: [fn(it) for it in items]) for _ in range(repeat))

def frame_flops(up:Upscaler, size=(1920, 1080)) -> float:
    "FLOPs of the network for one output frame of `size` (the input is size/scale unless the model upsamples first)"
    w, h = size if up.upsample else (size[0] // up.scale, size[1] // up.scale)
    x = torch.zeros(1, up.spec.n_in, h, w, device=up.device)
    with FlopCounterMode(display=False) as fc, torch.inference_mode(): up.net(x)
    return fc.get_total_flops()

def matmul_rate(device, n=None, repeat=5, dtype=None) -> float:
    "FLOP/s of an n x n matmul on `device`, in `dtype` (default: float16 on a GPU, float32 on the CPU)"
    device = torch.device(device)
    n = n or (8192 if device.type == 'cuda' else 2048)
    dt = dtype or (torch.float16 if device.type == 'cuda' else torch.float32)
    a, b = torch.randn(n, n, device=device, dtype=dt), torch.randn(n, n, device=device, dtype=dt)
    a @ b
    return 2 * n ** 3 / best_pass(lambda _: a @ b, [0], repeat)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('hr', nargs='?', default=None, help="HR photos (default: the sample photos)")
    ap.add_argument('--model', default=None); ap.add_argument('--scale', type=int, default=4)
    ap.add_argument('--n', type=int, default=20); ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--threads', type=int, default=None); ap.add_argument('--cpu', action='store_true')
    ap.add_argument('--engines', default='torch', help="comma-separated: torch, onnx (ONNX Runtime, CPU only)")
    ap.add_argument('--ensemble', type=int, default=1, help="views averaged per image (Upscaler's self-ensemble); the floor counts each")
    ap.add_argument('--out', default='bench/results/speed_cpu.md')
    args = ap.parse_args()
    if args.threads: torch.set_num_threads(args.threads)
    files = image_files(args.hr)[:args.n] if args.hr else sample_photos()
    lrs = [make_lr(crop_to_scale(load_pil(f), args.scale), args.scale) for f in files]
    imgs = [pil_to_srimage(im) for im in lrs]
    out_mp = sum(im.width * im.height for im in lrs) * args.scale ** 2 / 1e6
    t_bicubic = best_pass(lambda im: im.resize((im.width * args.scale, im.height * args.scale), Image.BICUBIC), lrs, args.repeat)
    rows, res = [], dict(images=len(lrs), output_megapixels=round(out_mp, 3), threads=torch.get_num_threads(),
                         bicubic_mp_per_s=round(out_mp / t_bicubic, 3), engines={})
    for engine in args.engines.split(','):
        up = Upscaler(args.model, 'cpu' if engine == 'onnx' else pick_device(args.cpu), engine=engine, ensemble=args.ensemble)
        if up.scale != args.scale: raise SystemExit(f"the model is x{up.scale}, not x{args.scale}")
        up(imgs[0])                                               # warm-up (allocations, kernels, session)
        t_model = best_pass(up, imgs, args.repeat)
        t_frame = seconds_per_frame(up, (1920, 1080), args.repeat)
        r = dict(device=str(up.device), tile=up.tiling()[0], model_mp_per_s=round(out_mp / t_model, 3),
                 model_vs_bicubic=round(t_bicubic / t_model, 4), seconds_per_1080p_frame=round(t_frame, 3),
                 frames_per_s_1080p=round(1 / t_frame, 3))
        res['engines'][engine] = r
        views = f", self-ensemble of {args.ensemble}" if args.ensemble > 1 else ''
        rows.append(f"| {up.spec.arch}{views}, {'ONNX Runtime' if engine == 'onnx' else 'PyTorch'} ({r['device']}, tiles of {r['tile']}) | "
                    f"{r['model_mp_per_s']:.2f} | {r['model_vs_bicubic']:.4f} | {t_frame:.3f} |")
    # the FLOP floor, from the PyTorch network on the PyTorch device
    up = Upscaler(args.model, pick_device(args.cpu))
    flops, rate = frame_flops(up) * args.ensemble, matmul_rate(up.device)        # the network runs once per view
    res.update(model=str(args.model or default_model_path().name), arch=up.spec.arch, config=up.spec.config, ensemble=args.ensemble,
               gflops_per_1080p_frame=round(flops / 1e9, 2), matmul_gflops_per_s=round(rate / 1e9, 1),
               flop_floor_s_per_frame=round(flops / rate, 4))
    torch_t = res['engines'].get('torch', {}).get('seconds_per_1080p_frame')
    text = header("Inference speed") + \
        f"Images: {len(lrs)} photos from {args.hr or 'the sample photos'}, LR by the benchmark protocol, x{args.scale}; " \
        f"{out_mp:.2f} output megapixels per pass; best of {args.repeat} passes; {res['threads']} threads.\n\n" \
        f"| engine | output MP/s | speed / Pillow bicubic's | s per 1920x1080 frame |\n|---|---|---|---|\n" + '\n'.join(rows) + \
        f"\n| Pillow bicubic | {res['bicubic_mp_per_s']:.1f} | 1 | |\n\n"
    if 'torch' in res['engines'] and 'onnx' in res['engines']:
        ratio = res['engines']['torch']['seconds_per_1080p_frame'] / res['engines']['onnx']['seconds_per_1080p_frame']
        res['onnx_speedup_over_torch_1080p'] = round(ratio, 3)
        text += (f"ONNX Runtime is {ratio:.2f}x as fast as PyTorch per 1080p frame on this device "
                 f"({'faster' if ratio > 1 else 'slower'}: {max(ratio, 1 / ratio):.2f}x the {'speed' if ratio > 1 else 'time'}).\n\n")
    if torch_t:
        res['torch_vs_flop_floor'] = round(torch_t / (flops / rate), 2)
        runs = f" ({args.ensemble} views, each through the network)" if args.ensemble > 1 else ''
        text += (f"FLOP floor: the network needs {flops / 1e9:.1f} GFLOPs per 1080p frame{runs}; this device multiplies matrices at "
                 f"{rate / 1e9:.0f} GFLOP/s, so no implementation can take less than {flops / rate:.3f} s; PyTorch takes "
                 f"{res['torch_vs_flop_floor']:.1f}x that.\n\n")
    text += f"```json\n{json.dumps(res, indent=1)}\n```\n"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text); print(text)
