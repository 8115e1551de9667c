"Shared header for benchmark result files: date, device, commit, command; NoGAN runs that share a pretraining."
import datetime, os, platform, shlex, subprocess, sys

def header(title:str) -> str:
    "Markdown header naming when, where, at which commit and with which command a result was produced"
    try:
        commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(['git', 'status', '--porcelain', '--untracked-files=no'], capture_output=True, text=True).stdout.strip()
    except OSError: commit, dirty = '', ''
    # a copy of the tree without its .git (a GPU machine's): the commit it was made from, as the caller passes it
    commit = commit or os.environ.get('SUPERRES_COMMIT', 'unknown')
    import torch
    dev = device_name(detail=True)
    return (f"# {title}\n\n- date: {datetime.date.today().isoformat()}\n- device: {dev}\n"
            f"- commit: {commit}{' (with uncommitted changes)' if dirty else ''}\n"
            f"- command: `{' '.join(['python'] + [_shown(a) for a in sys.argv])}`\n- torch {torch.__version__}, Python {platform.python_version()}\n\n")

def portable_text(text:str) -> str:
    "`text` with the absolute paths of this machine made portable: under $TMPDIR, or relative to the project (e.g. ../shared/...)"
    import re, tempfile
    tmp, project = tempfile.gettempdir().rstrip('/'), os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    text = re.sub(rf'(?<![\w.$]){re.escape(tmp)}(?=/)', '$TMPDIR', text)
    workplace = os.path.dirname(project)        # the folder that holds the checkout and what sits beside it
    return re.sub(rf'(?<![\w.$]){re.escape(workplace)}/[^\s\'"`<>),;]*',
                  lambda m: os.path.relpath(m.group(0), project), text)

def portable_path(arg:str) -> str:
    "A command-line argument, an absolute path of this machine made portable (`portable_text`; any other one relative to the working folder)"
    if not os.path.isabs(arg): return arg
    shown = portable_text(arg)
    return shown if shown != arg else os.path.relpath(arg)

def _shown(arg:str, most:int=100) -> str:
    "A command-line argument as a shell would need it quoted (a path of this machine made portable); a long one cut short, with no backquotes"
    arg = portable_path(arg)
    return shlex.quote(arg if len(arg) <= most else arg[:most // 2].replace('`', '') + '...')

def device_name(detail:bool=False) -> str:
    "The GPU's name, or the number of CPU cores (with the processor when `detail`)"
    import torch
    if torch.cuda.is_available(): return torch.cuda.get_device_name(0)
    n = len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()
    return f"CPU ({n} cores, {platform.processor() or platform.machine()})" if detail else f"{n} CPU cores"
