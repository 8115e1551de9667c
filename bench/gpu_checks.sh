#!/usr/bin/env bash
# The checks that need a GPU, in one run: the shipped models' speed (speed_gpu.py), the host's part of an Upscaler call
# (host_overhead.py), then the given lessons at the full size of their `#| cuda` cells, outputs kept (lesson_run.py --save).
#
# usage, from the repository root on a machine with a GPU:
#   SUPERRES_DATA=/path/to/data bash bench/gpu_checks.sh [--budget SECONDS] [nbs/07_critic.ipynb ...]
# Each step is bounded by what is left of --budget (default 540 s) and a failed step does not stop the next. Results go to
# bench/results/ (speed_gpu.md, host_overhead_gpu.md, lesson_runs.md) and the lessons are saved in place; with OUT set,
# copies go there too. Where nbdev is not installed, run `nbdev-clean` on the saved lessons before committing them.
# A folder .whl/ of wheels (fastai and its pure-Python dependencies, for a machine that has torch but cannot reach a
# package index) is installed first into /tmp/site; fastprogress must be 1.0.x there (1.1 imports python-fasthtml).
set -uo pipefail
budget=540
if [ "${1:-}" = "--budget" ]; then budget=$2; shift 2; fi
export PYTHONUNBUFFERED=1
if [ -d .whl ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 3
  export PYTHONPATH=/tmp/site:$PWD${PYTHONPATH:+:$PYTHONPATH}
fi
python3 -c "import torch, superres_course.upscaler; assert torch.cuda.is_available(), 'no GPU here'" || exit 4
left() { echo $((budget - SECONDS)); }
step() {   # step NAME COMMAND...: run it within the time left, say how it ended
  local name=$1; shift
  local t; t=$(left)
  if [ "$t" -lt 30 ]; then echo "== $name: skipped, ${t} s left"; return; fi
  echo "== $name (at most ${t} s)"
  timeout "$t" "$@"; echo "== $name: exit $? at ${SECONDS} s"
}
hr=${SUPERRES_DATA:+$(realpath "$SUPERRES_DATA/bsds500/test")}
step speed_gpu python3 bench/speed_gpu.py ${hr:+"$hr"} --n-psnr 50 --skip max-autotune
step host_overhead python3 bench/host_overhead.py
for nb in "$@"; do step "$nb" python3 bench/lesson_run.py "$nb" --save --knobs ''; done
if [ -n "${OUT:-}" ]; then
  cp bench/results/speed_gpu.md bench/results/host_overhead_gpu.md bench/results/lesson_runs.md "$OUT"/ 2>/dev/null
  for nb in "$@"; do cp "$nb" "$OUT"/ 2>/dev/null; done
fi
