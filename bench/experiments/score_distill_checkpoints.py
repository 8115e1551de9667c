"""Experiment: score distill_compact.py's checkpoints (state dicts of the compact network), a model file or a published
Real-ESRGAN name on the first N photos of a folder damaged by real_test (seed 0): PSNR-Y, HF ratio, NIQE, beside bicubic.
One JSON line per model.

usage: python bench/experiments/score_distill_checkpoints.py PHOTOS N MODEL_OR_CHECKPOINT..."""
import sys, json, torch
from pathlib import Path
from superres_course.distill import realesrgan_model, teacher_file
from superres_course.model_files import load_sr_model
from superres_course.upscaler import as_upscaler
from superres_course.inference import bench_model
folder, n = sys.argv[1], int(sys.argv[2]); ckpts = sys.argv[3:]
torch.set_num_threads(2)
student = None      # distill_compact.py's checkpoints are state dicts of the compact network: built once, loaded into
for c in ckpts:
    if c.endswith('.pth') and Path(c).name.startswith('step'):
        if student is None: student = load_sr_model(realesrgan_model('realesr-animevideov3-x4'))
        net, spec = student
        net.load_state_dict(torch.load(c, map_location='cpu', weights_only=True))
        up = as_upscaler(net, spec=spec, device='cpu')
    else: up = as_upscaler(teacher_file(c), device='cpu')      # a model file, a shipped model or a published name
    r = bench_model(folder, 4, up, progress=False, max_images=n, degrade='real_test', realism=True)
    m, b = r.model.mean, r.bicubic.mean
    print(json.dumps(dict(ckpt=c, psnr=round(m['psnr'], 3), hf=round(m['hf'], 3), niqe=round(m['niqe'], 2), bic_psnr=round(b['psnr'], 3), bic_niqe=round(b['niqe'], 2))), flush=True)
