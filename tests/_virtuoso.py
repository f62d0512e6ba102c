"""A Virtuoso server for the tests: Debian's virtuoso-opensource-7-bin, installed by
tools/setup-virtuoso.sh when missing (it waits for the package manager's lock), started in a
temporary folder on free ports of 127.0.0.1, one for the whole session."""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
USER, PASSWORD = "dba", "dba"      # the password a new database gets; the server answers 127.0.0.1 only

_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {d}
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 4
MaxClientConnections = 4

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


def executable() -> Optional[str]:
    found = shutil.which("virtuoso-t")
    if found is None and (ROOT / "tools" / "setup-virtuoso.sh").is_file():
        subprocess.run(["bash", str(ROOT / "tools" / "setup-virtuoso.sh")], check=False, timeout=1800)
        found = shutil.which("virtuoso-t")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(exe: str, folder: Path, wait: float = 180.0) -> Iterator[str]:
    """Start a server with its database in ``folder``; yields its base URL, stops it after."""
    sql, http = _free_port(), _free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_INI.format(d=folder, sql=sql, http=http), encoding="utf-8")
    proc = subprocess.Popen([exe, "+configfile", str(ini), "+foreground"], cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{http}"
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                urllib.request.urlopen(f"{url}/sparql?{urlencode({'query': 'ASK {}'})}", timeout=2).read()
                break
            except (urllib.error.URLError, OSError):
                log = folder / "virtuoso.log"
                if proc.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                    raise RuntimeError(f"Virtuoso did not start:\n{tail}")
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
