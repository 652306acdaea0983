"""Kernels the runner starts, and the guarantee that none outlives the run.

papermill starts one kernel per notebook through nbclient. :func:`kernel_manager_class`
returns a kernel manager class that (1) records each kernel's process id while it lives,
(2) passes extra environment variables to the kernel (the run folder, see
:func:`dprkbrief.runner.paths.output_dir`) and (3) talks to it over IPC sockets, so the kernel
neither listens on TCP nor logs "Kernel is running over TCP without encryption".

:func:`kill_kernels` ends every recorded kernel (its whole process group, since Jupyter starts
kernels in their own session): the runner calls it on every exit path, including Ctrl-C and
SIGTERM (:func:`interrupt_on_sigterm` turns SIGTERM into :class:`RunInterrupted`), so a
kernel stuck in a long computation is never left orphaned.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

from dprkbrief.errors import DprkbriefError

_LIVE: dict[int, int] = {}  # id(manager) -> kernel pid
_LOCK = threading.Lock()


class RunInterrupted(DprkbriefError):
    """The run was interrupted (Ctrl-C or SIGTERM); its kernels were shut down and its
    manifest written with status ``interrupted``."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C (a KeyboardInterrupt, so no ``except Exception`` in
    papermill or nbclient swallows it)."""


def kernel_manager_class(env: dict[str, str] | None = None) -> type:
    """An ``AsyncKernelManager`` subclass that tracks its kernel and sets ``env`` in it."""
    from jupyter_client.manager import AsyncKernelManager

    extra = dict(env or {})

    class TrackedKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            kwargs.setdefault("transport", "ipc")
            super().__init__(**kwargs)

        async def _async_pre_start_kernel(self, **kw: Any):
            if self.transport == "ipc":  # one socket prefix per kernel, in the runtime dir
                import uuid

                from jupyter_core.paths import jupyter_runtime_dir

                runtime = jupyter_runtime_dir()
                os.makedirs(runtime, exist_ok=True)
                self.ip = os.path.join(runtime, f"dprkbrief-{uuid.uuid4().hex[:12]}-ipc")
            merged = dict(kw.get("env") or os.environ)
            merged.update(extra)
            kw["env"] = merged
            return await super()._async_pre_start_kernel(**kw)

        async def _async_post_start_kernel(self, **kw: Any) -> None:
            pid = getattr(self.provisioner, "pid", None)
            if pid:
                with _LOCK:
                    _LIVE[id(self)] = int(pid)
            await super()._async_post_start_kernel(**kw)

        async def _async_shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
            try:
                await super()._async_shutdown_kernel(now=now, restart=restart)
            finally:
                with _LOCK:
                    pid = _LIVE.pop(id(self), None)
                if pid is not None:
                    _kill_group(pid)

        shutdown_kernel = _async_shutdown_kernel

    return TrackedKernelManager


def live_kernels() -> list[int]:
    """Process ids of the kernels this process started and has not shut down yet."""
    with _LOCK:
        return sorted(_LIVE.values())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - not ours any more
        return False
    return True


def _kill_group(pid: int, grace: float = 2.0) -> None:
    """SIGTERM the kernel's process group (or the process), then SIGKILL what remains."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            try:
                os.killpg(pid, sig)  # kernels lead their own session
            except (ProcessLookupError, PermissionError):
                os.kill(pid, sig)
        deadline = time.monotonic() + (grace if sig == signal.SIGTERM else 1.0)
        while time.monotonic() < deadline:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            if not _alive(pid):
                return
            time.sleep(0.05)


def kill_kernels() -> int:
    """End every kernel still recorded as live; return how many were ended."""
    with _LOCK:
        pids = list(_LIVE.values())
        _LIVE.clear()
    for pid in pids:
        _kill_group(pid)
    return len(pids)


def _raise_interrupted(signum: int, frame: Any) -> None:
    raise Terminated(f"interrupted by signal {signal.Signals(signum).name}")


@contextlib.contextmanager
def interrupt_on_sigterm() -> Iterator[None]:
    """While active (main thread only), SIGTERM raises :class:`Terminated` (a
    KeyboardInterrupt, as Ctrl-C raises), so ``finally`` blocks shut the kernels down."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


_IN_TASK = threading.Event()


@contextlib.contextmanager
def task_running() -> Iterator[None]:
    """Marks the time a worker spends on a notebook (see :func:`worker_init`)."""
    _IN_TASK.set()
    try:
        yield
    finally:
        _IN_TASK.clear()


def _worker_signal(signum: int, frame: Any) -> None:
    if _IN_TASK.is_set():
        _raise_interrupted(signum, frame)
    raise SystemExit(128 + signum)  # idle: leave quietly


def worker_init() -> None:
    """Initializer of the runner's worker processes: SIGTERM or Ctrl-C interrupt the notebook
    being run (its kernel is shut down and the run recorded); an idle worker just exits."""
    signal.signal(signal.SIGTERM, _worker_signal)
    signal.signal(signal.SIGINT, _worker_signal)
