"""Render lessons as a reader sees them and check that their pictures show: HTML by nbconvert, screenshots by headless Chromium.

usage: python bench/render_lessons.py [nbs/06_superres.ipynb nbs/08_nogan.ipynb ...] [--shots 2]

Quarto (what nbdev's docs use) is not needed: nbconvert renders the kept outputs the same way for this purpose. For each
lesson: every picture in the HTML must decode as an image; then Chromium (`chromium`, Debian's package) opens the page
at a picture (the cells above it hidden) and takes a screenshot, which must not be blank. Screenshots go to
bench/results/render_<lesson>_<k>.jpg (small JPEGs), and the findings to bench/results/render_lessons.md.
Needs: pip install nbconvert; apt install chromium.
"""
import argparse, base64, io, re, shutil, subprocess, sys, tempfile
from pathlib import Path
import numpy as np
from PIL import Image
from _record import header

RESULTS = Path(__file__).resolve().parent/'results'
CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--hide-scrollbars',
                  '--disable-background-networking', '--disable-component-update', '--disable-sync']
DATA_IMG = re.compile(r'<img[^>]+src="data:image/(png|jpeg);base64,([^"]+)"')

def to_html(nb:Path) -> str:
    "The notebook with its kept outputs as one self-contained HTML page"
    from nbconvert import HTMLExporter
    return HTMLExporter().from_filename(str(nb))[0]

def screenshot(html:str, k:int, out:Path, size=(1100, 900)) -> np.ndarray:
    "A screenshot of `html` starting one cell above the cell that holds its `k`-th picture"
    # Chromium's headless screenshot shows the top of the page (a scrolled page comes out blank), so the cells above are hidden
    js = (f"<script>(() => {{ const cells = [...document.querySelectorAll('.jp-Cell')]; const img = document.querySelectorAll('img')[{k}];"
          f" const i = cells.findIndex(c => c.contains(img)); cells.forEach((c, j) => {{ if (j < i - 1) c.style.display = 'none'; }}); }})();</script>")
    with tempfile.TemporaryDirectory() as d:
        page = Path(d)/'page.html'
        page.write_text(html.replace('</body>', js + '</body>'))
        png = Path(d)/'shot.png'
        subprocess.run([shutil.which('chromium') or 'chromium', *CHROMIUM_FLAGS, f'--user-data-dir={d}/profile',
                        f'--window-size={size[0]},{size[1]}', f'--screenshot={png}', page.as_uri()],
                       check=True, capture_output=True, timeout=120)
        im = Image.open(png).convert('RGB')
    im.thumbnail((800, 800)); im.save(out, 'JPEG', quality=70)
    return np.asarray(im)

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('notebooks', nargs='*', default=['nbs/06_superres.ipynb', 'nbs/08_nogan.ipynb'])
    ap.add_argument('--shots', type=int, default=2, help='screenshots per lesson (its first and last pictures, then between)')
    args = ap.parse_args()
    lines, ok = ["| lesson | pictures in the HTML | all decode | screenshots (pixel std, 0 = blank) |", "|---|---|---|---|"], True
    for nb in map(Path, args.notebooks):
        html = to_html(nb)
        imgs = DATA_IMG.findall(html)
        decoded = 0
        for _, b64 in imgs:
            try: Image.open(io.BytesIO(base64.b64decode(b64))).load(); decoded += 1
            except Exception: pass
        picks = sorted({round(i * (len(imgs) - 1) / max(args.shots - 1, 1)) for i in range(args.shots)}) if imgs else []
        shots = []
        for n, k in enumerate(picks):
            out = RESULTS/f"render_{nb.stem.split('_', 1)[1]}_{n + 1}.jpg"
            std = float(screenshot(html, k, out).std())
            shots.append(f"[{out.name}]({out.name}) ({std:.0f})")
            ok &= std > 10
        ok &= bool(imgs) and decoded == len(imgs)
        lines.append(f"| {nb.name} | {len(imgs)} | {'yes' if decoded == len(imgs) else f'{decoded} of {len(imgs)}'} | {', '.join(shots) or 'none'} |")
    text = header('Rendered lessons: do their pictures show?') + '\n'.join(lines) + \
        f"\n\n{'Every picture decodes and every screenshot shows content.' if ok else 'SOME PICTURES DO NOT SHOW.'}\n"
    (RESULTS/'render_lessons.md').write_text(text); print(text)
    sys.exit(0 if ok else 1)
