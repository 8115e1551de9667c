"""Diagnostic for issue 19: how far can the shipped network get on `real_test` if it is fine-tuned on that chain itself?

usage: python bench/experiments/restore_oracle.py TRAIN_DIR TEST_DIR [--epochs 25] [--lr 5e-4] [--cpu]

The shipped x4 model is fine-tuned (L1, one-cycle, 192 px crops, 4 crops per photo per epoch) on TRAIN_DIR's photos damaged
on the fly by `real_test`, the very chain `bench/restore.py` scores on (test photos are never seen), then scored as
`bench/restore.py` does. It is not a model to ship (a restoration model must not know its test chain); it bounds what this
network and this much data can reach there, next to the shipped `restore` model trained on the broad `real` chain.
"""
import argparse, torch
from fastai.losses import L1LossFlat
from superres_course.data import sr_dataloaders
from superres_course.models import sr_learner
from superres_course.model_files import load_sr_model, model_file
from superres_course.upscaler import Upscaler, pick_device
from superres_course.inference import bench_model

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('train'); ap.add_argument('test'); ap.add_argument('--epochs', type=int, default=25)
    ap.add_argument('--lr', type=float, default=5e-4); ap.add_argument('--cpu', action='store_true')
    args = ap.parse_args()
    device = pick_device(args.cpu)
    torch.manual_seed(42)
    dls = sr_dataloaders(args.train, crappifier='real_test', size=192, scale=4, upsample=False, repeats=4, bs=16,
                         num_workers=1, device=device)
    net, spec = load_sr_model(model_file('x4'), device); net.train()
    learn = sr_learner(dls, net, loss_func=L1LossFlat(), shave=4)
    learn.fit_one_cycle(args.epochs, args.lr)
    s = bench_model(args.test, 4, Upscaler(net.eval(), spec=spec), progress=False, degrade='real_test').summary()
    print(f"fine-tuned on real_test itself, {args.epochs} epochs: PSNR-Y {s['psnr']:.3f}, SSIM-Y {s['ssim']:.4f}, HF {s['hf']:.3f}; "
          f"bicubic {s['bicubic_psnr']:.3f} / {s['bicubic_ssim']:.4f}; gain {s['gain_db']:+.3f} dB ({s['n']} photos)")
