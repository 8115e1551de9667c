"""Training throughput with 1 and with more processes (DDP): the same run, the same global batch, images per second.

usage: python bench/ddp_throughput.py HR_DIR [--procs 1 2] [--size 96] [--bs 16] [--epochs 3] [--max-images N] [--cpu] [--out FILE]

Each setting trains `superres train --task x4 --arch edsr` (the shipped model's architecture) on HR_DIR, once by one
process and once per entry of --procs under torch's launcher (`torchrun --standalone`), the global batch held at --bs
(each of n processes takes bs/n). Throughput is training crops per second over the epochs after the first (history.csv's
epoch times, validation included, start-up excluded), so the first epoch's warm-up does not count. On a CPU-only machine
the processes share the cores (gloo, one thread each under torchrun), so the ratio measures what splitting the same cores
costs; on a machine with one GPU per process it measures scaling.
"""
import argparse, shutil, subprocess, sys, tempfile
from pathlib import Path
from superres_course.core import image_files
from superres_course.runs import read_history
from _record import header, device_name

def epoch_seconds(t:str) -> int:
    "fastai's mm:ss (or h:mm:ss) epoch time in seconds"
    s = 0
    for part in t.split(':'): s = 60 * s + int(part)
    return s

def train(hr, out, n:int, args) -> list[dict]:
    "The run trained by `n` processes; its history"
    opts = ['train', str(hr), '--out', str(out), '--task', 'x4', '--arch', 'edsr', '--epochs', str(args.epochs), '--size', str(args.size),
            '--bs', str(args.bs // n), '--repeats', str(args.repeats), '--seed', '0', '--workers', '0'] + \
           (['--max-images', str(args.max_images)] if args.max_images else []) + (['--cpu'] if args.cpu else [])
    cmd = ([sys.executable, '-m', 'superres_course.cli'] if n == 1 else
           [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', str(n), '-m', 'superres_course.cli'])
    subprocess.run(cmd + opts, check=True, stdout=subprocess.DEVNULL)
    return read_history(out)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('hr'); ap.add_argument('--procs', type=int, nargs='+', default=[1, 2])
    ap.add_argument('--size', type=int, default=96); ap.add_argument('--bs', type=int, default=16)
    ap.add_argument('--epochs', type=int, default=3); ap.add_argument('--repeats', type=int, default=1)
    ap.add_argument('--max-images', type=int, default=None); ap.add_argument('--cpu', action='store_true'); ap.add_argument('--out', default=None)
    args = ap.parse_args()
    n_images = len(image_files(args.hr)[:args.max_images])                 # what `superres train` reads
    n_train = (n_images - int(0.1 * n_images)) * args.repeats              # fastai's RandomSplitter holds out int(10%)
    tmp, rows, base = Path(tempfile.mkdtemp()), [], None
    try:
        for n in args.procs:
            h = train(args.hr, tmp/f'p{n}', n, args)
            secs = sum(epoch_seconds(r['time']) for r in h[1:])
            rate = n_train * (len(h) - 1) / secs
            base = base or rate
            rows.append(f"| {n} | {args.bs // n} x {n} | {secs / (len(h) - 1):.1f} | {rate:.1f} | {rate / base:.2f} | {h[-1]['valid_loss']:.5f} |")
            print(rows[-1], flush=True)
    finally: shutil.rmtree(tmp)
    text = (header("Training throughput: one process against several (DDP)") +
            f"`superres train --task x4 --arch edsr` (the shipped model's architecture) on {n_images} images of `{args.hr}` "
            f"(about {n_train} training crops of {args.size} px per epoch), {args.epochs} epochs, global batch {args.bs}; "
            f"seconds per epoch after the first (training and validation), on {device_name()}.\n\n"
            "| processes | batch per process x processes | s / epoch | crops / s | ratio to 1 process | final valid loss |\n"
            "|---|---|---|---|---|---|\n" + '\n'.join(rows) + '\n')
    print(text)
    if args.out: Path(args.out).write_text(text)
