"""GPU throughput of the shipped models: 1920x1080 output frames per second by precision, memory layout, batch and
`torch.compile`, against the floor set by the network's FLOPs and the GPU's measured matmul rate; the end-to-end
`Upscaler` call (one frame, a batch of video frames, one frame's self-ensemble of eight views); and what float16 changes
in PSNR-Y.

usage: python bench/speed_gpu.py [HR_DIR] [--models x4,restore] [--batch 8] [--n-psnr 100] [--out bench/results/speed_gpu.md]

Network rows time the network alone (`PixelSpaceNet`: normalization, network, clamp) on a batch of random LR frames
already on the GPU: CUDA is synchronized around a loop of calls that lasts about half a second, best of 5 such loops.
End-to-end rows time `Upscaler` as `superres upscale` uses it (float pixels in host memory, colour handling, tiles,
transfers), as bench/speed.py does on the CPU. The FLOP floor divides the network's FLOPs per frame by the rate of an
8192^3 float16 matmul (the tensor cores' dense rate, the fastest arithmetic the GPU has for these numbers).
PSNR-Y: `bench_model` on the first N photos of HR_DIR with the Upscaler in float32 and in float16 autocast (its
default on a GPU); the x4 model on the clean protocol, `restore` on the `real_test` degradation (bench/restore.py's set).
"""
import argparse, copy, json, time
from pathlib import Path
import numpy as np, torch
from superres_course.core import SRImage
from superres_course.upscaler import Upscaler
from superres_course.model_files import PixelSpaceNet
from superres_course.inference import bench_model
from superres_course.espcn import seconds_per_frame
from speed import frame_flops, matmul_rate, synced
from _record import header

DEGRADE = {'x4': None, 'restore': 'real_test'}      # each shipped model's test inputs

def loop_seconds(fn, x, target=0.5, repeat=5) -> float:
    "Seconds per call of fn(x) on the GPU: the best of `repeat` synchronized loops of about `target` seconds"
    with torch.inference_mode():
        for _ in range(3): fn(x)                                  # kernel choice, allocator, compiled graphs
        n = max(3, int(target / max(synced(fn, x), 1e-6)))
        return min(synced(lambda: [fn(x) for _ in range(n)]) for _ in range(repeat)) / n

def variants(up:Upscaler, batch:int):
    "(name, callable, input) for each way of running the network: precision, layout, batch, compile"
    h, w = 1080 // up.scale, 1920 // up.scale
    fp32 = PixelSpaceNet(up.net, up.spec.norm_stats).eval()
    half = copy.deepcopy(fp32).half().to(memory_format=torch.channels_last)
    def x(n, dt=torch.float32, cl=False):
        t = torch.rand(n, up.spec.n_in, h, w, device=up.device, dtype=dt)
        return t.contiguous(memory_format=torch.channels_last) if cl else t
    def autocast(f):
        def g(t):
            with torch.autocast('cuda', dtype=torch.float16): return f(t)
        return g
    yield 'float32, NCHW, 1 frame', fp32, x(1)
    yield 'float16 autocast, NCHW, 1 frame', autocast(fp32), x(1)
    yield 'float16 autocast, channels_last, 1 frame (the Upscaler\'s way)', autocast(fp32), x(1, cl=True)
    yield f'float16 autocast, channels_last, {batch} frames', autocast(fp32), x(batch, cl=True)
    yield f'float16 weights, channels_last, {batch} frames', half, x(batch, torch.float16, True)
    yield f'float16 weights, channels_last, {batch} frames, torch.compile', torch.compile(half), x(batch, torch.float16, True)
    yield (f'float16 weights, channels_last, {batch} frames, torch.compile max-autotune',
           torch.compile(half, mode='max-autotune-no-cudagraphs'), x(batch, torch.float16, True))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('hr', nargs='?', default=None, help="HR photos for the PSNR check (default: none, no PSNR rows)")
    ap.add_argument('--models', default='x4,restore'); ap.add_argument('--batch', type=int, default=8)
    ap.add_argument('--n-psnr', type=int, default=100, help="photos for the float16-vs-float32 PSNR check")
    ap.add_argument('--skip', default='', help="comma-separated words: variants whose name contains one are left out (e.g. max-autotune)")
    ap.add_argument('--out', default='bench/results/speed_gpu.md')
    args = ap.parse_args()
    if not torch.cuda.is_available(): raise SystemExit("no GPU here: bench/speed.py measures the CPU")
    skip = [s for s in args.skip.split(',') if s]
    fp16_rate = matmul_rate('cuda')
    fp32_rate = matmul_rate('cuda', dtype=torch.float32)          # without TF32: PyTorch's default for matmul
    res = dict(device=torch.cuda.get_device_name(0), matmul_tflops_fp16=round(fp16_rate / 1e12, 1),
               matmul_tflops_fp32=round(fp32_rate / 1e12, 1), cudnn_tf32=torch.backends.cudnn.allow_tf32, models={})
    text = ''
    for name in args.models.split(','):
        up = Upscaler(name, 'cuda')
        flops = frame_flops(up)
        floor = flops / fp16_rate
        m = res['models'][name] = dict(arch=up.spec.arch, config=up.spec.config, params=sum(p.numel() for p in up.net.parameters()),
                                       gflops_per_1080p_frame=round(flops / 1e9, 2), flop_floor_ms=round(floor * 1e3, 4), rows={})
        rows = []
        for vname, fn, x in variants(up, args.batch):
            if any(s in vname for s in skip): continue
            try:
                t0 = time.perf_counter()
                s = loop_seconds(fn, x) / x.shape[0]
                m['rows'][vname] = r = dict(ms_per_frame=round(s * 1e3, 4), fps=round(1 / s, 1), x_floor=round(s / floor, 1),
                                            seconds_incl_compile=round(time.perf_counter() - t0, 1))
                rows.append(f"| {vname} | {r['fps']:.1f} | {r['ms_per_frame']:.3f} | {r['x_floor']:.1f} |")
            except Exception as e:                              # a compile failure is a result too
                m['rows'][vname] = dict(error=f"{type(e).__name__}: {str(e).splitlines()[0][:200]}")
                rows.append(f"| {vname} | failed: {m['rows'][vname]['error']} | | |")
            print(rows[-1], flush=True)
            del fn, x; torch.cuda.empty_cache()
        # end to end: what `superres upscale` does minus file reading and writing
        t_one = seconds_per_frame(up, (1920, 1080), 5)
        rng = np.random.default_rng(0)
        frames = [SRImage(rng.random((1080 // up.scale, 1920 // up.scale, 3), dtype=np.float32)) for _ in range(args.batch)]
        up.many(frames)
        t_many = min(synced(up.many, frames) for _ in range(3)) / len(frames)
        t_ens = seconds_per_frame(Upscaler(name, 'cuda', ensemble=8), (1920, 1080), 3)   # the views made per tile, on the GPU
        tile, pad, batch = up.tiling()
        m['end_to_end'] = dict(tile=tile, pad=pad, tile_batch=batch, one_frame_ms=round(t_one * 1e3, 2),
                               one_frame_fps=round(1 / t_one, 2), video_batch_fps=round(1 / t_many, 2),
                               ensemble8_fps=round(1 / t_ens, 2))
        rows.append(f"| `Upscaler` end to end, one frame (host float pixels in and out, tiles of {tile}) | {1 / t_one:.1f} | {t_one * 1e3:.2f} | {t_one / floor:.0f} |")
        rows.append(f"| `Upscaler.many`, {args.batch} video frames at once | {1 / t_many:.1f} | {t_many * 1e3:.2f} | {t_many / floor:.0f} |")
        rows.append(f"| `Upscaler(ensemble=8)`, one frame (eight views) | {1 / t_ens:.1f} | {t_ens * 1e3:.2f} | {t_ens / floor:.0f} |")
        psnr = ''
        if args.hr:
            p = {}
            for prec, fp32 in (('float32', True), ('float16', False)):
                s = bench_model(args.hr, up.scale, Upscaler(name, 'cuda', fp32=fp32), progress=False, max_images=args.n_psnr,
                                degrade=DEGRADE.get(name)).summary()
                p[prec] = dict(psnr=round(s['psnr'], 4), ssim=round(s['ssim'], 5), bicubic_psnr=round(s['bicubic_psnr'], 4), n=s['n'])
            m['psnr'] = p
            psnr = (f"PSNR-Y on {p['float32']['n']} photos of {args.hr} ({DEGRADE.get(name) or 'clean bicubic protocol'} inputs): float32 "
                    f"{p['float32']['psnr']:.4f} dB, float16 autocast {p['float16']['psnr']:.4f} dB "
                    f"({p['float16']['psnr'] - p['float32']['psnr']:+.4f}); SSIM-Y {p['float32']['ssim']:.5f} / {p['float16']['ssim']:.5f}.\n\n")
        text += (f"## `{name}`: {up.spec.arch} {up.spec.config}, {m['params']:,} parameters\n\n{flops / 1e9:.1f} GFLOPs per 1080p "
                 f"output frame; FLOP floor {floor * 1e3:.3f} ms ({1 / floor:.0f} frames/s) at the float16 matmul rate.\n\n"
                 f"| how | 1080p frames/s | ms per frame | x FLOP floor |\n|---|---|---|---|\n" + '\n'.join(rows) + '\n\n' + psnr)
    text = header("GPU inference speed of the shipped models") + \
        f"Matmul rates measured in this run: float16 {res['matmul_tflops_fp16']} TFLOP/s, float32 {res['matmul_tflops_fp32']} TFLOP/s " \
        f"(no TF32); cuDNN may use TF32 in float32 convolutions: {res['cudnn_tf32']}.\n\n" + text + \
        f"```json\n{json.dumps(res, indent=1)}\n```\n"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text); print(text)
