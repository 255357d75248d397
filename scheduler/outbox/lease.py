"""Who holds an outbox lease: a name per dispatcher, and whether its process is gone.

A lease owner is "host/pid-namespace:pid:nonce" (at most 64 characters). A dispatcher that
starts on the same host (and in the same PID namespace) frees the rows of owners whose process
no longer exists at once (kill -9, a crash) instead of waiting for their lease to run out;
owners elsewhere may be alive, so their rows wait for the lease.
"""

from __future__ import annotations

import os
import secrets
import socket


def _where() -> str:
    # The PID namespace too: two containers may share a host name, and a pid of the other
    # one does not exist here, which must not read as "dead".
    try:
        namespace = os.readlink("/proc/self/ns/pid").removeprefix("pid:[").rstrip("]")
    except OSError:
        namespace = "-"
    return f"{socket.gethostname()[:28]}/{namespace[:12]}"


_HOST = _where()


def new_owner() -> str:
    """A lease owner name unique to this dispatcher: host, process id and a nonce."""
    return f"{_HOST}:{os.getpid()}:{secrets.token_hex(4)}"


def owner_is_dead(owner: str) -> bool:
    """True for a lease owner that was a process of this host that no longer runs."""
    parts = owner.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != _HOST or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False
