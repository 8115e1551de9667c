"""Fine-tune a model with a mean squared error on luma, the channel PSNR-Y scores, plus a small RGB term for the colour.

    python bench/experiments/luma_finetune.py ../shared/data/bsds500/train runs/x4_12_ymse --init x4 --epochs 12 --lr 2e-4 --cpu
    superres bench ../shared/data/bsds500/test --model runs/x4_12_ymse/model.pth --json --cpu

An RGB model trained on an RGB loss spends part of its capacity on chroma, which PSNR-Y does not see. This experiment
asks whether weighting the loss towards BT.601 luma buys PSNR-Y: it runs `train_sr` as `superres train --task x4 --loss mse`
would (scale augmentation 0.6, 192 px crops, 4 crops a photo, seed 42), with the 'mse' loss replaced by `LumaMSE`
for this process only. Results: bench/results/x4_candidates_cpu.md.
"""
import argparse
from torch import nn
import torch.nn.functional as F
from superres_course.metrics import rgb_to_y
import superres_course.superres as superres


class LumaMSE(nn.Module):
    "MSE of the luma difference as PSNR-Y measures it (`rgb_to_y`, RGB in [0, 1]) plus `rgb_weight` x the plain RGB MSE"
    def __init__(self, rgb_weight:float=0.1):
        super().__init__()
        self.rgb_weight = rgb_weight
    def forward(self, pred, target):
        pred, target = pred.float(), target.float()
        dy = (rgb_to_y(pred * 255) - rgb_to_y(target * 255)) / 255        # Y's offset of 16 cancels
        return (dy ** 2).mean() + self.rgb_weight * F.mse_loss(pred, target)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('hr', help='folder of training photos')
    p.add_argument('out', help='run folder')
    p.add_argument('--init', default='x4', help='model file or shipped model to start from')
    p.add_argument('--epochs', type=int, default=12)
    p.add_argument('--lr', type=float, default=2e-4)
    p.add_argument('--rgb-weight', type=float, default=0.1)
    p.add_argument('--cpu', action='store_true')
    a = p.parse_args(argv)
    make_loss = superres.make_loss
    superres.make_loss = lambda name, *args, **kw: LumaMSE(a.rgb_weight) if name == 'mse' else make_loss(name, *args, **kw)
    superres.train_sr(a.hr, a.out, task='x4', init=a.init, loss='mse', epochs=a.epochs, size=192, bs=16, repeats=4,
                      min_hr_scale=0.6, lr=a.lr, num_workers=1, seed=42, cpu=a.cpu, overwrite=True)


if __name__ == '__main__': main()
