"Shared header for benchmark result files: date, device, commit, command."
import datetime, os, platform, subprocess, sys

def header(title:str) -> str:
    "Markdown header naming when, where, at which commit and with which command a result was produced"
    try: commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()
    except OSError: commit = 'unknown'
    dirty = subprocess.run(['git', 'status', '--porcelain', '--untracked-files=no'], capture_output=True, text=True).stdout.strip()
    import torch
    dev = torch.cuda.get_device_name(0) if torch.cuda.is_available() else f"CPU ({os.cpu_count()} cores, {platform.processor() or platform.machine()})"
    return (f"# {title}\n\n- date: {datetime.date.today().isoformat()}\n- device: {dev}\n"
            f"- commit: {commit}{' (with uncommitted changes)' if dirty else ''}\n"
            f"- command: `{' '.join(['python'] + sys.argv)}`\n- torch {torch.__version__}, Python {platform.python_version()}\n\n")
