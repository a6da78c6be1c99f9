"""The model a long-running process should use: the newest one, picked up once written.

``diemtin train`` runs in its own process and only adds a file; ``run`` and
``crawl`` keep a ``LatestModel`` and ask it for the model per batch. It looks at
the directory at most every ``check_every`` seconds, and keeps the model it has
if a newer file cannot be read (logged), so a bad file never stops ingestion.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from diemtin.classify import modelfile
from diemtin.classify.errors import ModelFileError
from diemtin.classify.model import CategoryModel

log = logging.getLogger(__name__)


class LatestModel:
    def __init__(
        self,
        directory: str | Path,
        *,
        check_every: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.directory = Path(directory)
        self._check_every, self._clock = check_every, clock
        self._lock = threading.Lock()
        self._model: CategoryModel | None = None
        self._tried: Path | None = None  # the newest file seen, loaded or not
        self._checked_at: float | None = None

    def get(self) -> CategoryModel | None:
        """The newest readable model, or None before the first ``diemtin train``."""
        with self._lock:
            now = self._clock()
            if self._checked_at is None or now - self._checked_at >= self._check_every:
                self._checked_at = now
                self._refresh()
            return self._model

    def _refresh(self) -> None:
        path = modelfile.newest(self.directory)
        if path is None or path == self._tried:
            return
        self._tried = path
        try:
            self._model = CategoryModel.load(path)
        except ModelFileError as exc:
            log.warning("keeping the current category model: %s", exc)
        else:
            log.info("category model %s loaded from %s", self._model.version, path)
