"""Seconds per 1920x1080 output frame of several models (or one model at several tile sizes), timed in interleaved rounds.

usage: python bench/speed_compare.py MODEL [MODEL ...] [--tiles 0,256] [--rounds 5] [--cpu] [--out FILE.md]
On a shared or noisy machine, timing models one after the other lets a slow minute land on one of them; here every round
times each (model, tile) once, and the minimum and median over rounds are reported, with each one's ratio to the first
(the first model at the first tile size). A model is a file or a shipped model's name; tile 0 is the whole frame at once;
without --tiles each model gets the tiles `Upscaler` plans from free memory.
"""
import argparse, statistics
from pathlib import Path
from superres_course.upscaler import Upscaler, pick_device
from superres_course.espcn import seconds_per_frame
from _record import header

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('models', nargs='+'); ap.add_argument('--tiles', default=None, help="comma-separated tile sizes (0: whole frame)")
    ap.add_argument('--rounds', type=int, default=5); ap.add_argument('--cpu', action='store_true'); ap.add_argument('--out', default=None)
    args = ap.parse_args()
    tiles = [None] if args.tiles is None else [int(t) for t in args.tiles.split(',')]
    ups = {(m, t): Upscaler(m, pick_device(args.cpu), tile=t) for m in args.models for t in tiles}
    for u in ups.values(): seconds_per_frame(u, (1920, 1080), 1, warmup=False)   # warm-up: one untimed call
    times = {k: [] for k in ups}
    for r in range(args.rounds):
        for k, u in ups.items(): times[k].append(seconds_per_frame(u, (1920, 1080), 1, warmup=False))
        print(f"round {r + 1}: " + ', '.join(f"{t[-1]:.3f}" for t in times.values()), flush=True)
    first = min(next(iter(times.values())))
    rows = [f"| `{m}` | {u.tiling()[0] or 'whole frame'} | {u.tiling()[1] if u.tiling()[0] else '-'} | {min(times[(m, t)]):.3f} | "
            f"{statistics.median(times[(m, t)]):.3f} | {min(times[(m, t)]) / first:.2f} |" for (m, t), u in ups.items()]
    text = header("Seconds per 1080p frame, interleaved rounds") + \
        f"{args.rounds} rounds; in each, every model and tile size upscales one 480x270 frame x4 once.\n\n" \
        "| model | tile (input px) | context (px) | min s | median s | min / first row's min |\n|---|---|---|---|---|---|\n" + \
        '\n'.join(rows) + '\n'
    if args.out: Path(args.out).write_text(text)
    print(text)
