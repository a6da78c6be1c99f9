"""Placing articles in stories: each new article joins one or starts one, in its transaction.

The pipeline calls ``group_new`` (or ``group_article``) once a NEW article is
stored, inside the same transaction; ``rebuild`` fills a fresh grouper from
the recent window at startup, reading saved signatures rather than text.
Grouping never moves an article that already has a story, so an operator's
decisions (``diemtin.store.stories``) stick.
"""

from __future__ import annotations

import functools
import time
from typing import Any

from sqlalchemy import Connection, Row, TextClause, bindparam, text

from diemtin.dedupe.signature import Signature
from diemtin.dedupe.stories import Assignment, GroupDoc, Signed, StoryGrouper
from diemtin.model import Article
from diemtin.store import driver
from diemtin.store.codec import from_epoch, to_epoch
from diemtin.store.deferred import Deferred

AUTO = "auto"
OPERATOR = "operator"

# Articles whose times reach back this many windows are kept when rebuilding.
_REBUILD_WINDOWS = 2
_CHUNK = 1000
_NEWEST = text(
    "SELECT MAX(published_at) FROM (SELECT published_at FROM articles ORDER BY id DESC"
    " LIMIT 100) latest"
)
_RECENT = "a.story_id IS NOT NULL AND (a.published_at IS NULL OR a.published_at >= :since)"

_NEW_STORY = text(
    "INSERT INTO stories (title, first_article_id, first_published_at, last_updated_at,"
    " article_count, created_at) VALUES (:t, :a, :p, :u, 1, :now) RETURNING id"
)
# One statement: a joining article published before the first report becomes the
# first (every CASE reads the row as it was before the update).
_EARLIEST = (
    "CAST(:p AS BIGINT) IS NOT NULL AND (first_published_at IS NULL OR first_published_at > :p)"
)
_JOINED = text(
    "UPDATE stories SET article_count = article_count + 1, last_updated_at = CASE WHEN"
    " last_updated_at IS NULL OR last_updated_at < :u THEN :u ELSE last_updated_at END,"
    f" first_article_id = CASE WHEN {_EARLIEST} THEN :a ELSE first_article_id END,"
    f" title = CASE WHEN {_EARLIEST} THEN :t ELSE title END,"
    f" first_published_at = CASE WHEN {_EARLIEST} THEN :p ELSE first_published_at END"
    " WHERE id = :s"
)
_SET_STORY = text("UPDATE articles SET story_id = :s WHERE id = :a")
# Whether the story still stands, and where the matched article is now: one round trip.
_CHECK = text(
    "SELECT (SELECT 1 FROM stories WHERE id = :s AND merged_into IS NULL),"
    " (SELECT story_id FROM articles WHERE id = :n)"
)
_ARTICLE = (
    "SELECT a.id, a.title, a.sapo, a.body_text, a.published_at, a.story_id, s.slug,"
    " g.scheme, g.signature, COALESCE(a.updated_at, a.published_at, a.stored_at) AS touched"
    " FROM articles a LEFT JOIN sources s ON s.id = a.source_id"
    " LEFT JOIN article_grouping g ON g.article_id = a.id"
)
_ONE = text(_ARTICLE + " WHERE a.id = :id")


def group_article(
    conn: Connection, grouper: StoryGrouper, article_id: int, *, now: int | None = None
) -> int:
    """Place a stored article in a story (a new one if nothing matches); its story id.

    An article that already has a story keeps it, so calling twice is harmless.
    """
    row = conn.execute(_ONE, {"id": article_id}).first()
    if row is None:
        raise LookupError(f"no article {article_id}")
    doc, sig, fresh = _doc_and_signature(row, grouper)
    if row.story_id is not None:
        if article_id not in grouper:
            grouper.restore(article_id, int(row.story_id), doc.published_at, sig)
        return int(row.story_id)
    stamp = now if now is not None else int(time.time())
    save = sig.to_bytes() if fresh else None
    return _group(conn, grouper, doc, sig, save=save, touched=row.touched, now=stamp)


def group_new(
    conn: Connection,
    grouper: StoryGrouper,
    article_id: int,
    article: Article,
    now: int,
    signed: Signed | None = None,
    later: Deferred | None = None,
) -> int:
    """``group_article`` for an article this transaction just inserted, read from memory.

    The pipeline has the article in hand: reading it back would cost a query.
    ``signed`` is its signature when worked out ahead (used if of this grouper's
    scheme). With ``later`` the article's story and grouping rows wait for
    ``later.flush``, which must come before the transaction commits.
    """
    doc = GroupDoc(
        id=article_id,
        title=article.title,
        text=f"{article.sapo}\n{article.body_text}",
        published_at=article.published_at,
        source=article.source or "",
    )
    touched = to_epoch(article.updated_at or article.published_at) or now
    if signed is None or signed.scheme != grouper.scheme:
        signed = grouper.signer.ahead(doc.title, doc.text)
    return _group(
        conn,
        grouper,
        doc,
        signed.signature,
        save=signed.data,
        touched=touched,
        now=now,
        later=later,
    )


def _group(
    conn: Connection,
    grouper: StoryGrouper,
    doc: GroupDoc,
    sig: Signature,
    *,
    save: bytes | None,  # the signature's bytes when not read from the store
    touched: int | None,
    now: int,
    later: Deferred | None = None,  # None: written at once
) -> int:
    article_id = doc.id
    if article_id in grouper:  # left by a transaction that was rolled back
        grouper.discard(article_id)
    pending = Deferred() if later is None else later
    assignment = _place(conn, grouper, doc, sig, pending)
    story_id = _story_for(conn, assignment, doc, touched, now, pending)
    grouper.move(article_id, story_id)
    pending.add(_SET_STORY, {"s": story_id, "a": article_id})
    pending.stories[article_id] = story_id
    saved = {"scheme": grouper.scheme, "signature": save} if save is not None else {}
    values: dict[str, Any] = {"placed_by": AUTO, "near_duplicate_of": assignment.near_duplicate_of}
    values |= {"score": assignment.score, **saved}
    pending.add(_upsert_statement(tuple(values)), {"article_id": article_id, **values})
    if later is None:
        pending.flush(conn)
    return story_id


def _place(
    conn: Connection, grouper: StoryGrouper, doc: GroupDoc, sig: Signature, pending: Deferred
) -> Assignment:
    """Add the doc to the grouper, trusting only matches the store knows.

    A grouper can hold what a rolled-back transaction left, or miss another
    process's merge: such matches are put right from the store, and the doc
    placed again. Each round settles the docs it doubts, so this ends.
    """
    while True:
        assignment = grouper.add(doc, sig)
        doubts = _doubts(conn, grouper, assignment, pending) - {doc.id}
        if not doubts:
            return assignment
        grouper.discard(doc.id)
        found = conn.execute(
            text("SELECT id, story_id FROM articles WHERE id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": sorted(doubts)},
        ).all()
        stored = {int(r.id): r.story_id for r in found if r.story_id is not None}
        for doc_id in doubts:
            if doc_id in stored:
                grouper.move(doc_id, int(stored[doc_id]))
            else:
                grouper.discard(doc_id)


def _doubts(
    conn: Connection, grouper: StoryGrouper, assignment: Assignment, pending: Deferred
) -> set[int]:
    if assignment.new_story:
        return set()
    matched = assignment.matched
    if matched in pending.stories and assignment.story in pending.new_stories:
        # placed by this transaction in a story it made: nobody else can see either yet
        return set() if pending.stories[matched] == assignment.story else {matched}
    exists, matched_story = driver.fetch_one(conn, _CHECK, {"s": assignment.story, "n": matched})
    if matched in pending.stories:
        matched_story = pending.stories[matched]
    if exists is None:
        return set(grouper.members(assignment.story))
    if matched is not None and matched_story != assignment.story:
        return {matched}  # moved by an operator this grouper has not heard of
    return set()


def _doc_and_signature(row: Row[Any], grouper: StoryGrouper) -> tuple[GroupDoc, Signature, bool]:
    """The doc, its signature (stored when of the grouper's scheme), whether it is new."""
    doc = GroupDoc(
        id=int(row.id),
        title=row.title or "",
        text=f"{row.sapo or ''}\n{row.body_text or ''}",
        published_at=from_epoch(row.published_at),
        source=row.slug or "",
    )
    if row.signature is not None and row.scheme == grouper.scheme:
        try:
            return doc, Signature.from_bytes(bytes(row.signature)), False
        except ValueError:
            pass  # an older format: computed again below
    return doc, grouper.signature(doc), True


def _story_for(
    conn: Connection,
    assignment: Assignment,
    doc: GroupDoc,
    touched: int | None,
    now: int,
    pending: Deferred,
) -> int:
    """The story row the assignment names (``_place`` made sure it exists), or a new one."""
    values = {"s": assignment.story, "a": doc.id, "t": doc.title, "u": touched, "now": now}
    values["p"] = to_epoch(doc.published_at)
    if assignment.new_story:
        story_id = int(driver.fetch_one(conn, _NEW_STORY, values)[0])
        pending.new_stories.add(story_id)
        return story_id
    pending.add(_JOINED, values)
    return assignment.story


def upsert_grouping(conn: Connection, article_id: int, **values: Any) -> None:
    """Insert or update the article's grouping row, touching only the given columns."""
    conn.execute(_upsert_statement(tuple(values)), {"article_id": article_id, **values})


@functools.cache
def _upsert_statement(columns: tuple[str, ...]) -> TextClause:
    names = ", ".join(columns)
    binds = ", ".join(f":{name}" for name in columns)
    sets = ", ".join(f"{name} = excluded.{name}" for name in columns)
    return text(
        f"INSERT INTO article_grouping (article_id, {names}) VALUES (:article_id, {binds})"
        f" ON CONFLICT (article_id) DO UPDATE SET {sets}"
    )


def rebuild(
    conn: Connection, grouper: StoryGrouper, *, now: int | None = None, after_id: int = 0
) -> int:
    """Load the recent window of grouped articles into the grouper; how many it loaded.

    Reads saved signatures; an article without one (or of another scheme) is
    signed from its text once and the signature saved. ``after_id`` loads only
    newer articles: the way to catch up with what another process grouped.

    The window ends at the newest publication time among the latest stored
    articles, capped at ``now``: an import of an old archive that restarts
    finds its own window again.
    """
    now = now if now is not None else int(time.time())
    newest = conn.execute(_NEWEST).scalar_one_or_none()
    since = min(now, int(newest or now)) - int(grouper.window * _REBUILD_WINDOWS)
    ids = conn.execute(
        text(
            f"SELECT a.id FROM articles a WHERE a.id > :after AND {_RECENT}"
            " ORDER BY a.id DESC LIMIT :n"
        ),
        {"after": after_id, "since": since, "n": grouper.capacity},
    ).scalars()
    wanted = sorted(int(i) for i in ids)
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        rows = conn.execute(
            text(_ARTICLE + " WHERE a.id >= :lo AND a.id <= :hi AND " + _RECENT + " ORDER BY a.id"),
            {"lo": chunk[0], "hi": chunk[-1], "since": since},
        )
        for row in rows:
            _restore(conn, grouper, row)
    return len(wanted)


def _restore(conn: Connection, grouper: StoryGrouper, row: Row[Any]) -> None:
    doc, sig, fresh = _doc_and_signature(row, grouper)
    if fresh:
        upsert_grouping(conn, doc.id, scheme=grouper.scheme, signature=sig.to_bytes())
    grouper.restore(doc.id, int(row.story_id), doc.published_at, sig)


def group_pending(conn: Connection, grouper: StoryGrouper, *, limit: int = 1000) -> int:
    """Group up to ``limit`` stored articles that have no story yet, oldest first."""
    ids = conn.execute(
        text(
            "SELECT a.id FROM articles a LEFT JOIN article_grouping g ON g.article_id = a.id"
            " WHERE a.story_id IS NULL AND (g.placed_by IS NULL OR g.placed_by <> :op)"
            " ORDER BY a.id LIMIT :n"
        ),
        {"op": OPERATOR, "n": limit},
    ).scalars()
    done = 0
    for article_id in list(ids):
        group_article(conn, grouper, int(article_id))
        done += 1
    return done
