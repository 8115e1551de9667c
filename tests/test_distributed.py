"Several processes on this machine's CPUs (the gloo backend), started by torch's launcher as `torchrun` or `accelerate launch` would: one run written once, the same training as one process, resume, shared folders."
import os, re, shutil, subprocess, sys
import pytest, torch
from conftest import run_cli
from superres_course.data import sample_photo_folder
from superres_course.runs import load_checkpoint, read_history
from superres_course.model_files import load_sr_model

pytestmark = pytest.mark.slow      # several processes under the launcher

RUN_FILES = {'run.json', 'checkpoint.pth', 'history.csv', 'model.pth', 'loss.png', 'samples.png'}
# a tiny x4 run: 12 tiles, 3 held out, 9 x 4 crops a epoch; 4 steps of a global batch of 8 per epoch either way
TRAIN = ['--task', 'x4', '--arch', 'edsr', '--n-feats', '16', '--n-blocks', '2', '--epochs', '2', '--size', '48', '--repeats', '4',
         '--max-images', '12', '--valid-pct', '0.25', '--seed', '0', '--cpu', '--workers', '0']
LOSS_TOLERANCE = 0.01       # relative (measured: 0.2%): the processes draw other random crops than one process, nothing else differs

def launch(n:int, *args, timeout=600):
    "`superres ARGS` as `n` processes of one launch (torchrun: RANK, WORLD_SIZE, a free port on this machine)"
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', str(n), '-m', 'superres_course.cli', *map(str, args)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env={**os.environ, 'OMP_NUM_THREADS': '1'})
    assert r.returncode == 0, f"exit {r.returncode}\nstdout:\n{r.stdout[-3000:]}\nstderr:\n{r.stderr[-5000:]}"
    return r

@pytest.fixture(scope='module')
def one_process_run(tmp_path_factory):
    "The tiny run trained by one process with batches of 8"
    out = tmp_path_factory.mktemp('one')/'run'
    run_cli('train', sample_photo_folder('train'), '--out', out, '--bs', '8', *TRAIN, check=0)
    return out

def test_train_by_two_processes_writes_once_and_matches_one(one_process_run, tmp_path):
    out = tmp_path/'two'
    r = launch(2, 'train', sample_photo_folder('train'), '--out', out, '--bs', '4', *TRAIN)     # 2 x 4: the same global batch
    assert {p.name for p in out.iterdir()} == RUN_FILES                # written by the main process, no temporary leftovers
    assert r.stdout.count('model: ') == 1 and r.stdout.count('epoch 2/2') == 1, r.stdout   # one process reports
    two, one = read_history(out), read_history(one_process_run)
    assert [int(h['epoch']) for h in two] == [1, 2]
    assert abs(two[-1]['valid_loss'] - one[-1]['valid_loss']) <= LOSS_TOLERANCE * one[-1]['valid_loss'], (one, two)
    model, spec = load_sr_model(out/'model.pth')
    assert (spec.arch, spec.scale) == ('edsr', 4)

def test_resume_by_two_processes(one_process_run, tmp_path):
    out = tmp_path/'run'
    shutil.copytree(one_process_run, out)
    ck = load_checkpoint(out/'checkpoint.pth')
    ck['epoch'] = 1; torch.save(ck, out/'checkpoint.pth')            # as if killed during epoch 2
    before = (out/'model.pth').stat().st_mtime_ns
    r = launch(2, 'train', sample_photo_folder('train'), '--out', out, '--resume')
    assert r.stdout.count('resuming') == 1, r.stdout
    assert [int(h['epoch']) for h in read_history(out)] == [1, 2]      # epoch 2 trained again, once
    assert (out/'model.pth').stat().st_mtime_ns > before

def test_crappify_folder_shared_by_two_processes(tmp_path):
    src = sample_photo_folder('test')
    r = launch(2, 'crappify', src, tmp_path/'lr', '--preset', 'lesson7', '--seed', '0', '--quiet')
    run_cli('crappify', src, tmp_path/'lr1', '--preset', 'lesson7', '--seed', '0', '--quiet', check=0)
    names = sorted(p.name for p in (tmp_path/'lr1').iterdir())
    assert sorted(p.name for p in (tmp_path/'lr').iterdir()) == names
    for n in names: assert (tmp_path/'lr'/n).read_bytes() == (tmp_path/'lr1'/n).read_bytes()      # the same files as one process
    written = [int(n) for n in re.findall(r'(\d+) written', r.stdout)]         # the two reports may share a line of the launcher's output
    assert sorted(written) == [len(names) // 2, len(names) - len(names) // 2], r.stdout            # each file once

def test_nogan_by_two_processes(tmp_path):
    "Crappifying and the pretraining shared, the cycles in the main process alone: one run folder, one report"
    out = tmp_path/'nogan'
    r = launch(2, 'nogan', sample_photo_folder('train'), '--out', out, '--max-images', '16', '--size', '64', '--encoder', 'resnet18',
               '--critic-nf', '16', '--epochs', '1', '--critic-epochs', '1', '--gan-steps', '2', '--checkpoint-every', '1',
               '--cycles', '1', '--bs', '4', '--cpu', '--workers', '0')
    assert r.stdout.count('main process alone') == 1 and r.stdout.count('input (bicubic)') == 1, r.stdout   # one report
    assert len(list((out/'crappy').iterdir())) == 16                   # both processes' shares
    assert {'cycle_0', 'cycle_1', 'cycles.csv', 'model.pth'} <= {p.name for p in out.iterdir()}
    assert not list(out.glob('*.partial'))
    model, spec = load_sr_model(out/'model.pth')
    assert spec.meta['nogan_cycle'] == 1
