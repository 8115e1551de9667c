"""Experiment: distil x4plus into Real-ESRGAN's compact network (from the published animevideov3-x4 weights): L1 on the teacher
targets with their high band scaled by --gain, plus --energy x a match of local high-band energy (what became lesson 5's
DetailLoss), Adam with a cosine schedule, checkpoints every --every steps.

usage: python bench/experiments/distill_compact.py OUT --data DISTILL_DIR [--gain 0.6] [--energy 1] [--steps 2000]

DISTILL_DIR holds inputs/draw0-2 (`superres crappify PHOTOS inputs/drawK --preset real --seed 10K`) and
composed/draw0-2 (`superres targets PHOTOS inputs/drawK composed/drawK --teacher realesrgan-x4plus`)."""
import math, time, random, argparse, numpy as np, torch, torch.nn.functional as F
from pathlib import Path
from PIL import Image
from superres_course.distill import realesrgan_model
from superres_course.model_files import load_sr_model
p = argparse.ArgumentParser()
p.add_argument('out'); p.add_argument('--targets', default='composed'); p.add_argument('--gain', type=float, default=1.5)
p.add_argument('--energy', type=float, default=1.); p.add_argument('--lr', type=float, default=1e-4)
p.add_argument('--steps', type=int, default=2000); p.add_argument('--bs', type=int, default=8); p.add_argument('--crop', type=int, default=48)
p.add_argument('--every', type=int, default=250); p.add_argument('--threads', type=int, default=1); p.add_argument('--init', default=None)
p.add_argument('--data', required=True)
a = p.parse_args()
torch.set_num_threads(a.threads); torch.manual_seed(0); random.seed(0)
root, out = Path(a.data), Path(a.out); out.mkdir(parents=True, exist_ok=True)
def load(path): return torch.from_numpy(np.asarray(Image.open(path).convert('RGB'), dtype=np.float32) / 255).permute(2, 0, 1)
pairs = []
for k in range(3):
    for t in sorted((root/a.targets/f'draw{k}').glob('*.png')):
        lr = root/'inputs'/f'draw{k}'/(t.stem + '.png')
        if not lr.exists(): lr = next((root/'inputs'/f'draw{k}').glob(t.stem + '.*'))
        pairs.append((load(lr), load(t)))
print(len(pairs), 'pairs', flush=True)
model = load_sr_model(a.init or realesrgan_model('realesr-animevideov3-x4'))[0].train()
def gauss(sigma):
    r = math.ceil(3 * sigma); k = torch.exp(-torch.arange(-r, r + 1.) ** 2 / (2 * sigma ** 2)); return k / k.sum(), r
K, R = gauss(2.)
def blur(x):
    c = x.shape[1]
    x = F.conv2d(F.pad(x, (R, R, 0, 0), mode='replicate'), K.view(1, 1, 1, -1).expand(c, 1, 1, -1), groups=c)
    return F.conv2d(F.pad(x, (0, 0, R, R), mode='replicate'), K.view(1, 1, -1, 1).expand(c, 1, -1, 1), groups=c)
def energy(x):
    g = x.mean(1, keepdim=True); h = g - blur(g)
    return (F.avg_pool2d(h * h, 8) + 1e-6).sqrt()
def batch():
    xs, ys = [], []
    for lr, hr in random.sample(pairs, a.bs):
        c = a.crop; i, j = random.randint(0, lr.shape[1] - c), random.randint(0, lr.shape[2] - c)
        x, y = lr[:, i:i+c, j:j+c], hr[:, 4*i:4*(i+c), 4*j:4*(j+c)]
        if random.random() < .5: x, y = x.flip(2), y.flip(2)
        if random.random() < .5: x, y = x.flip(1), y.flip(1)
        xs.append(x); ys.append(y)
    return torch.stack(xs), torch.stack(ys)
opt = torch.optim.Adam(model.parameters(), a.lr, betas=(.9, .99))
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, a.steps, a.lr / 20)
t0, run = time.time(), []
for step in range(1, a.steps + 1):
    x, y = batch()
    if a.gain != 1: y = (y + (a.gain - 1) * (y - blur(y))).clamp(0, 1)
    pred = model(x)
    l1 = F.l1_loss(pred, y); le = F.l1_loss(energy(pred), energy(y)) if a.energy else torch.zeros(())
    loss = l1 + a.energy * le
    opt.zero_grad(); loss.backward(); opt.step(); sched.step(); run.append((l1.item(), le.item()))
    if step % 50 == 0:
        m = np.mean(run[-50:], 0); print(f'step {step} l1 {m[0]:.4f} energy {m[1]:.4f} {time.time()-t0:.0f}s', flush=True)
    if step % a.every == 0: torch.save(model.state_dict(), out/f'step{step}.pth')
