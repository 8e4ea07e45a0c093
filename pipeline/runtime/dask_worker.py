"""What a Dask worker is set up with before its first job of a run (imported by the Dask
executor only: the local pool does without the distributed package)."""
from __future__ import annotations

from distributed import WorkerPlugin

from normalizers.restorer.restore import keep_model_mapped
from pipeline.runtime.executor import one_tesseract_thread


class WorkerSetup(WorkerPlugin):
    """Every worker, one its nanny restarted too: Tesseract with one thread, and the
    restorer's model left memory-mapped (Dask starts its workers apart: the map is
    what they can share)."""

    def setup(self, worker) -> None:
        one_tesseract_thread()
        keep_model_mapped()
