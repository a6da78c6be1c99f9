"""The story-grouping step: each newly stored article joins a story or starts one.

One grouper per process, kept warm between transactions. It is filled from
the store the first time it is needed (saved signatures, no text), and
catches up with what another process grouped when article ids show a gap.
Grouping runs inside the transaction that stored the article, so an article
is never committed without its story; the crawler stores from several
threads, hence the lock around the one grouper.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError

from diemtin.dedupe.stories import Signed, Signer, StoryGrouper
from diemtin.model import Article
from diemtin.store import placing
from diemtin.store.articles import Outcome
from diemtin.store.db import Database
from diemtin.store.deferred import Deferred

log = logging.getLogger(__name__)
# Forgetting what left the window is a scan from the oldest: now and then is enough.
_EXPIRE_EVERY = 256


class Grouping:
    def __init__(self, make: Callable[[], StoryGrouper] = StoryGrouper) -> None:
        self._make = make
        self._grouper: StoryGrouper | None = None
        self._seen = 0  # the highest article id this grouper knows of
        self._placed = 0
        self._lock = threading.Lock()

    def signer(self) -> Signer:
        """How this grouping signs articles, for work done ahead of it (worker processes)."""
        return (self._grouper or self._make()).signer

    def after_store(
        self,
        conn: Connection,
        article_id: int,
        outcome: Outcome,
        now: int,
        article: Article | None = None,
        signed: Signed | None = None,
        later: Deferred | None = None,
    ) -> int | None:
        """Group a NEW article in the caller's transaction; its story id, else None.

        ``article``, the one just stored, saves reading it back, and ``signed``
        computing its signature; with ``later`` the rows wait for its flush. An
        updated article keeps the story it has: a corrected typo is not news.
        """
        if outcome is not Outcome.NEW:
            return None
        with self._lock:
            grouper = self._ready(conn, article_id, now)
            try:
                if article is None:
                    story = placing.group_article(conn, grouper, article_id, now=now)
                else:
                    story = placing.group_new(
                        conn, grouper, article_id, article, now, signed, later
                    )
            except SQLAlchemyError:
                raise  # the store is in trouble: the caller's transaction goes
            except Exception:
                # A grouping bug must not cost the article: it is stored without a
                # story, and ``catch_up`` places it once the bug is fixed.
                log.exception("article %s: grouping failed", article_id)
                grouper.discard(article_id)
                return None
            self._seen = max(self._seen, article_id)
            self._placed += 1
            if self._placed % _EXPIRE_EVERY == 0:
                grouper.expire(datetime.fromtimestamp(now, UTC))
            return story

    def _ready(self, conn: Connection, article_id: int, now: int) -> StoryGrouper:
        if self._grouper is None:
            grouper = self._make()
            placing.rebuild(conn, grouper, now=now)
            self._grouper = grouper
            self._seen = _newest_grouped(conn)
        elif article_id > self._seen + 1:
            # someone else stored (and grouped) articles in between: learn them
            placing.rebuild(conn, self._grouper, now=now, after_id=self._seen)
            self._seen = max(self._seen, _newest_grouped(conn))
        return self._grouper

    def catch_up(self, db: Database, *, batch: int = 500, now: int | None = None) -> int:
        """Group stored articles that have no story yet (stored before grouping existed).

        A batch per transaction, so a large backlog never holds the writer long.
        """
        done = 0
        while True:
            stamp = now if now is not None else int(time.time())
            with db.write() as conn, self._lock:
                grouper = self._ready(conn, 0, stamp)
                count = placing.group_pending(conn, grouper, limit=batch)
            if not count:
                return done
            done += count

    def catch_up_or_log(self, db: Database, *, now: int) -> int:
        """``catch_up`` before a crawl pass or an import: a grouping bug is logged and the
        articles wait for the next pass, rather than stopping the work."""
        try:
            return self.catch_up(db, now=now)
        except SQLAlchemyError:
            raise  # the store is in trouble: nothing else would work either
        except Exception:
            log.exception("grouping articles stored without a story failed")
            return 0


def _newest_grouped(conn: Connection) -> int:
    found = conn.execute(
        text("SELECT MAX(id) FROM articles WHERE story_id IS NOT NULL")
    ).scalar_one_or_none()
    return int(found or 0)
