"""How much of a lesson-7 model's gain is the stamped number removed, and how much is restoration of the photo?

usage: python bench/experiments/lesson7_text_share.py MODEL TEST_DIR [N]

The `lesson7` crappifier writes the JPEG quality on the photo in white. Each of the first N (default 50) TEST_DIR photos
is crappified twice with the same seed (1000 + i), once as usual and once with the number drawn in black; where the two
differ is the text (dilated by 3 px at full size). The input (resized back, bicubic) and MODEL's output are scored on Y
(BT.601, 8-bit range) over the whole photo and outside the text, and the text's share of each one's squared error printed.
"""
import sys, numpy as np
from PIL import Image, ImageFilter
from superres_course import crappify as C
from superres_course.core import image_files, load_pil, pil_to_srimage, to_pil
from superres_course.upscaler import Upscaler
model, test = sys.argv[1], sys.argv[2]; n = int(sys.argv[3]) if len(sys.argv) > 3 else 50
orig = C._stamp
def y(im): a = np.asarray(im.convert('RGB'), dtype=np.float64); return 16 + (65.481 * a[..., 0] + 128.553 * a[..., 1] + 24.966 * a[..., 2]) / 255
up = Upscaler(model, 'cpu')
tot = dict(inp_all=[], out_all=[], inp_out=[], out_out=[], share_inp=[], share_out=[], frac=[])
for i, f in enumerate(image_files(test)[:n]):
    hr = load_pil(f).convert('RGB')
    small = C.get_crappifier('lesson7')(hr, 1000 + i)
    C._stamp = lambda img, text, rng, rel_size=0.12, color=None: orig(img, text, rng, rel_size, (0, 0, 0))
    dark = C.get_crappifier('lesson7')(hr, 1000 + i)
    C._stamp = orig
    m_small = Image.fromarray((np.abs(np.asarray(small, dtype=np.int16) - np.asarray(dark, dtype=np.int16)).max(-1) > 40).astype(np.uint8) * 255)
    mask = np.asarray(m_small.resize(hr.size, Image.BILINEAR).filter(ImageFilter.MaxFilter(7))) > 0
    inp = small.resize(hr.size, Image.BICUBIC)
    out = to_pil(up(pil_to_srimage(inp)))
    e_in, e_out = (y(inp) - y(hr)) ** 2, (y(out) - y(hr)) ** 2
    psnr = lambda e: 10 * np.log10(255 ** 2 / e.mean())
    tot['inp_all'].append(psnr(e_in)); tot['out_all'].append(psnr(e_out))
    tot['inp_out'].append(psnr(e_in[~mask])); tot['out_out'].append(psnr(e_out[~mask]))
    tot['share_inp'].append(e_in[mask].sum() / e_in.sum()); tot['share_out'].append(e_out[mask].sum() / e_out.sum()); tot['frac'].append(mask.mean())
m = {k: float(np.mean(v)) for k, v in tot.items()}
print(f"{n} photos, seeds 1000+i. text mask: {m['frac']*100:.1f}% of pixels")
print(f"input : PSNR-Y {m['inp_all']:.3f} (outside the text {m['inp_out']:.3f}); text holds {m['share_inp']*100:.1f}% of its squared error")
print(f"model : PSNR-Y {m['out_all']:.3f} (outside the text {m['out_out']:.3f}); text holds {m['share_out']*100:.1f}% of its squared error")
print(f"gain  : {m['out_all']-m['inp_all']:+.3f} dB overall, {m['out_out']-m['inp_out']:+.3f} dB outside the text")
