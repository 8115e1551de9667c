"""Does a small student learn a teacher's detail if the loss stresses the high band? L1 + w x L1 on (x - its Gaussian blur).

usage: python bench/experiments/distill_detail_loss.py TARGETS INPUTS OUT [--weight 4] [--epochs 12] [--lr 5e-4]

TARGETS and INPUTS are the folders `superres targets` and `superres crappify` wrote (lesson 14); the student starts from the
shipped `restore` model and trains as `superres train TARGETS --inputs INPUTS --task restore --init restore --size 192
--repeats 2` would, with this loss in place of L1. Answer: see results/distill_routes_cpu.md.
"""
import argparse, math
import torch, torch.nn as nn, torch.nn.functional as F
import superres_course.superres as S
from superres_course.metrics import gaussian_window

class DetailLoss(nn.Module):
    "L1 on the pixels + `weight` x L1 on the high band (the image minus its Gaussian blur of `sigma` pixels)"
    def __init__(self, sigma:float=2., weight:float=4.):
        super().__init__()
        r = math.ceil(3 * sigma)
        self.k, self.r, self.weight = gaussian_window(2 * r + 1, sigma, torch.float32), r, weight
    def blur(self, x):
        c, k = x.shape[1], self.k.to(x)
        x = F.conv2d(F.pad(x, (self.r, self.r, 0, 0), mode='replicate'), k.view(1, 1, 1, -1).expand(c, 1, 1, -1), groups=c)
        return F.conv2d(F.pad(x, (0, 0, self.r, self.r), mode='replicate'), k.view(1, 1, -1, 1).expand(c, 1, -1, 1), groups=c)
    def forward(self, pred, targ):
        return F.l1_loss(pred, targ) + self.weight * F.l1_loss(pred - self.blur(pred), targ - self.blur(targ))

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('targets'); ap.add_argument('inputs'); ap.add_argument('out')
    ap.add_argument('--weight', type=float, default=4.); ap.add_argument('--epochs', type=int, default=12)
    ap.add_argument('--lr', type=float, default=5e-4)
    args = ap.parse_args()
    make_loss = S.make_loss
    S.LOSSES = (*S.LOSSES, 'detail')
    S.make_loss = lambda name, *a, **k: DetailLoss(weight=args.weight) if name == 'detail' else make_loss(name, *a, **k)
    S.train_sr(args.targets, args.out, inputs=args.inputs, task='restore', init='restore', loss='detail', epochs=args.epochs, repeats=2,
               size=192, bs=16, lr=args.lr, num_workers=1, seed=42, cpu=True, show_progress=False)
