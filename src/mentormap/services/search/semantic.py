"""Meaning search: a static-embedding model (model2vec) the user installs from a local folder.

With a model set (the `semantic_model` preference), `search` and `who` also rank by the cosine
similarity of each entry to the query, so "distributed systems" finds "Kafka and consensus"
without a shared word. Each search index entry's embedding is kept in `search_vectors` (float32
bytes, derived data), with a checksum of the model and the entry's text: entries written or
changed since are embedded at the next search, in one batch. Without a model nothing here runs
and results are exactly the full-text ones.

model2vec (the optional extra `mentormap[semantic]`) is imported here only, and only when a
model is set. A model is only ever loaded from an existing folder: nothing is downloaded.
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, text

from mentormap.errors import UserError
from mentormap.services.context import Ctx
from mentormap.services.search.index import BITS, BY_KIND, TABLE, band

PREFERENCE = "semantic_model"
MIN_SIMILARITY = 0.35  # below this an entry is not taken as meaning the same
CANDIDATES = 200  # the closest entries a search fuses with its full-text hits
RRF_K = 60  # reciprocal rank fusion: 1 / (RRF_K + rank) from each ranking
MEANING_POINTS = 10.0  # in `who`: an entry meaning exactly the topic counts as expertise does
BATCH = 1024
_TEXT = "trim(name || ' ' || expertise || ' ' || work || ' ' || body)"

_models: dict[tuple[str, float], Any] = {}


@dataclass
class Model:
    """A loaded model and the folder it came from."""

    path: str
    model: Any

    def encode(self, texts: list[str]) -> Any:
        import numpy as np

        vectors = np.asarray(self.model.encode(texts, show_progress_bar=False), dtype=np.float32)
        if vectors.ndim == 1:
            vectors = vectors.reshape(1, -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return vectors / norms


def load_model(path: str | Path) -> Model:
    """The model2vec model in folder `path`; a one-line error for anything else."""
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise UserError(
            f"{str(path)!r} is not a folder; give the folder of a model2vec model "
            "(nothing is ever downloaded)."
        )
    folder = folder.resolve()
    key = (str(folder), max((f.stat().st_mtime for f in folder.iterdir()), default=0.0))
    if key in _models:
        return Model(str(folder), _models[key])
    # Belt and braces: the folder exists, so model2vec reads it; the hub is never asked.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from model2vec import StaticModel
    except ImportError:
        raise UserError(
            "Meaning search needs model2vec: pip install 'mentormap[semantic]'."
        ) from None
    try:
        model = StaticModel.from_pretrained(folder)
        model.encode(["test"], show_progress_bar=False)
    except Exception as exc:  # model2vec raises many kinds for a folder that is not a model
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
        raise UserError(f"{str(path)!r} is not a model2vec model folder: {reason}") from None
    _models[key] = model
    return Model(str(folder), model)


def model_path(ctx: Ctx) -> str | None:
    from mentormap.services.preferences import get_preference

    return get_preference(ctx, PREFERENCE)


def active(ctx: Ctx) -> Model | None:
    """The user's model when one is set (and the database is SQLite), else None."""
    path = model_path(ctx)
    if path is None or ctx.session.get_bind().dialect.name != "sqlite":
        return None
    if not Path(path).is_dir():
        raise UserError(
            f"The meaning-search model folder {path} is gone; install it again with "
            "`mentormap semantic install PATH` or turn it off with `mentormap semantic remove`."
        )
    return load_model(path)


def _owner(ctx: Ctx) -> str:
    """The owner condition on index entries, none while the database has one owner only (as
    `query.owner_filter`, which imports this module)."""
    owners = ctx.session.scalar(text("SELECT count(*) FROM owners")) or 0
    return " AND owner_id = :owner" if owners > 1 else ""


def _digest(model: Model, entry: str) -> int:
    # Signed 32 bits, as an Integer column keeps it on every engine.
    value = zlib.crc32(entry.encode(), zlib.crc32(model.path.encode()))
    return value - (1 << 32) if value >= 1 << 31 else value


def _bands(column: str, kinds: tuple[str, ...]) -> str:
    arms = []
    for kind in kinds:
        low, high = band(BY_KIND[kind].code)
        arms.append(f"({column} >= {low} AND {column} < {high})")
    return " AND (" + " OR ".join(arms) + ")" if arms else ""


def _refreshed(
    ctx: Ctx, model: Model, kinds: tuple[str, ...] = ()
) -> tuple[int, list[tuple[int, bytes]]]:
    """The embedding of each entry (of `kinds`, or all), in one pass over the index: those new
    or changed since (or embedded by another model) are embedded now, in batches, and stored.
    Returns how many were embedded, and (rowid, float32 bytes) of every entry."""
    rows = ctx.session.execute(
        text(
            f"SELECT s.rowid, {_TEXT}, v.digest, v.vector FROM {TABLE} s "
            f"LEFT JOIN search_vectors v ON v.rid = s.rowid "
            f"WHERE 1 = 1{_owner(ctx)}{_bands('s.rowid', kinds)}"
        ),
        {"owner": ctx.owner_id},
    ).all()
    found: list[tuple[int, bytes]] = []
    todo = []
    for rid, entry, stored, blob in rows:
        digest = _digest(model, entry or "")
        if stored is not None and int(stored) == digest:
            found.append((int(rid), bytes(blob)))
        else:
            todo.append((int(rid), entry or "", digest))
    from mentormap.models import SearchVector

    for start in range(0, len(todo), BATCH):
        chunk = todo[start : start + BATCH]
        vectors = model.encode([entry for _rid, entry, _d in chunk])
        rids = [rid for rid, _e, _d in chunk]
        ctx.session.execute(delete(SearchVector).where(SearchVector.rid.in_(rids)))
        made = [(rid, vector.tobytes()) for rid, vector in zip(rids, vectors, strict=True)]
        ctx.session.execute(
            insert(SearchVector),
            [
                {"rid": rid, "digest": digest, "vector": blob}
                for (rid, _entry, digest), (_rid, blob) in zip(chunk, made, strict=True)
            ],
        )
        found.extend(made)
    if todo:
        ctx.session.flush()
    return len(todo), found


def _prune(ctx: Ctx, kept: int) -> None:
    """Forget the embeddings of entries that are gone (when there are more than `kept`)."""
    total = ctx.session.scalar(text("SELECT count(*) FROM search_vectors")) or 0
    if total > kept:
        ctx.session.execute(
            text(f"DELETE FROM search_vectors WHERE rid NOT IN (SELECT rowid FROM {TABLE})")
        )


def sync(ctx: Ctx, model: Model) -> int:
    """Embed the entries that are new or changed since (or were embedded by another model),
    and forget those whose entry is gone; returns how many were embedded."""
    embedded, found = _refreshed(ctx, model)
    _prune(ctx, len(found))
    ctx.session.flush()
    return embedded


def rebuild(ctx: Ctx, model: Model) -> int:
    """Embed every entry again; returns how many."""
    forget(ctx)
    return sync(ctx, model)


def forget(ctx: Ctx) -> None:
    """Drop the embeddings of this owner's entries (and of entries that are gone)."""
    ctx.session.execute(
        text(
            f"DELETE FROM search_vectors WHERE rid NOT IN (SELECT rowid FROM {TABLE}) "
            f"OR rid IN (SELECT rowid FROM {TABLE} WHERE 1 = 1{_owner(ctx)})"
        ),
        {"owner": ctx.owner_id},
    )
    ctx.session.flush()


@dataclass
class Status:
    model: str | None
    embedded: int
    entries: int

    def as_json(self) -> dict[str, Any]:
        return {"model": self.model, "embedded": self.embedded, "entries": self.entries}


def status(ctx: Ctx) -> Status:
    if ctx.session.get_bind().dialect.name != "sqlite":
        return Status(model=model_path(ctx), embedded=0, entries=0)
    owner = _owner(ctx)
    params = {"owner": ctx.owner_id}
    entries = ctx.session.scalar(text(f"SELECT count(*) FROM {TABLE} WHERE 1 = 1{owner}"), params)
    embedded = ctx.session.scalar(
        text(
            f"SELECT count(*) FROM search_vectors v JOIN {TABLE} ON {TABLE}.rowid = v.rid "
            f"WHERE 1 = 1{owner}"
        ),
        params,
    )
    return Status(model=model_path(ctx), embedded=int(embedded or 0), entries=int(entries or 0))


def install(ctx: Ctx, path: str) -> tuple[Model, int]:
    """Check the model in `path`, remember it, embed every entry; returns it and the count."""
    from mentormap.services.preferences import set_preference

    if ctx.session.get_bind().dialect.name != "sqlite":
        raise UserError("Meaning search works on SQLite databases only for now.")
    model = load_model(path)
    set_preference(ctx, PREFERENCE, model.path)
    return model, rebuild(ctx, model)


def remove(ctx: Ctx) -> bool:
    """Turn meaning search off and drop the embeddings; False when it was not on."""
    from mentormap.services.preferences import unset_preference

    forget(ctx)
    return unset_preference(ctx, PREFERENCE)


def closest(
    ctx: Ctx, model: Model, query: str, kinds: tuple[str, ...] = ()
) -> list[tuple[int, float]]:
    """(rowid, similarity) of the entries closest in meaning to `query`, closest first.

    The entries written since the last search are embedded first, in one batch.
    """
    import numpy as np

    _embedded, rows = _refreshed(ctx, model, kinds)
    if not kinds:
        _prune(ctx, len(rows))
    if not rows:
        return []
    wanted = model.encode([query])[0]
    size = wanted.nbytes
    kept = [(rid, blob) for rid, blob in rows if len(blob) == size]
    if not kept:
        return []
    matrix = np.frombuffer(b"".join(blob for _rid, blob in kept), dtype=np.float32)
    similarity = matrix.reshape(len(kept), -1) @ wanted
    order = np.argsort(-similarity, kind="stable")[:CANDIDATES]
    return [(kept[i][0], float(similarity[i])) for i in order if similarity[i] >= MIN_SIMILARITY]


def fuse(*rankings: list[int]) -> list[tuple[int, float]]:
    """Reciprocal rank fusion of rankings of rowids: (rowid, fused score), best first."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, rid in enumerate(ranking, 1):
            scores[rid] = scores.get(rid, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], -item[0]))


def texts(ctx: Ctx, rids: list[int]) -> dict[int, str]:
    """The text of each of `rowids`' entries (for the snippet of a hit found by meaning)."""
    if not rids:
        return {}
    marks = ", ".join(str(int(r)) for r in rids)
    rows = ctx.session.execute(text(f"SELECT rowid, {_TEXT} FROM {TABLE} WHERE rowid IN ({marks})"))
    return {int(rid): str(entry or "") for rid, entry in rows}


def excerpt(entry: str, words: int = 16) -> str:
    parts = entry.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def hybrid_rows(
    ctx: Ctx,
    model: Model,
    query: str,
    rows: list[Any],
    types: tuple[str, ...],
    where: list[str],
    params: dict[str, Any],
    limit: int,
) -> list[tuple[int, int, int, float]]:
    """The full-text rows (rowid, kind, ref, bm25) fused with the entries closest in meaning
    that pass the same filters: (rowid, kind, ref, -fused score), best first."""
    near = [rid for rid, _similarity in closest(ctx, model, query, types)]
    if near and where:
        marks = ", ".join(str(r) for r in near)
        sql = (
            f"SELECT h.rid FROM (SELECT rowid AS rid, (rowid >> {BITS}) AS kind, "
            f"(rowid & {(1 << BITS) - 1}) AS ref FROM {TABLE} WHERE rowid IN ({marks})) AS h "
            "WHERE " + " AND ".join(where)
        )
        used = {k: v for k, v in params.items() if f":{k}" in sql}
        passing = {int(r) for r in ctx.session.scalars(text(sql), used)}
        near = [rid for rid in near if rid in passing]
    fused = fuse([int(row[0]) for row in rows], near)[:limit]
    mask = (1 << BITS) - 1
    return [(rid, rid >> BITS, rid & mask, -score) for rid, score in fused]


def people_closest(
    ctx: Ctx, model: Model, topic: str, exclude: int | None
) -> dict[int, tuple[float, int]]:
    """Each person's best similarity to `topic` over her own entry, her conversations and her
    advice, with that entry's rowid: {person id: (similarity, rowid)}."""
    near = closest(ctx, model, topic, ("person", "interaction", "advice"))
    if not near:
        return {}
    mask = (1 << BITS) - 1
    by_kind: dict[int, list[int]] = {}
    for rid, _similarity in near:
        by_kind.setdefault(rid >> BITS, []).append(rid & mask)
    owners: dict[int, list[int]] = {}  # rowid → the people it belongs to
    base = {kind: band(BY_KIND[kind].code)[0] for kind in ("person", "interaction", "advice")}
    for ref in by_kind.get(BY_KIND["person"].code, []):
        owners[base["person"] + ref] = [ref]
    sources = {
        "interaction": "SELECT interaction_id, person_id FROM interaction_participants "
        "WHERE interaction_id IN ({marks})",
        "advice": "SELECT id, person_id FROM advice WHERE id IN ({marks})",
    }
    for kind, sql in sources.items():
        refs = by_kind.get(BY_KIND[kind].code, [])
        if refs:
            marks = ", ".join(str(r) for r in refs)
            for ref, pid in ctx.session.execute(text(sql.format(marks=marks))):
                owners.setdefault(base[kind] + int(ref), []).append(int(pid))
    best: dict[int, tuple[float, int]] = {}
    for rid, similarity in near:
        for pid in owners.get(rid, []):
            if pid not in best or similarity > best[pid][0]:
                best[pid] = (similarity, rid)
    if not best:
        return {}
    marks = ", ".join(str(p) for p in best)
    allowed = set(
        ctx.session.scalars(
            text(
                f"SELECT id FROM people WHERE id IN ({marks}) AND owner_id = :owner "
                "AND NOT archived AND id <> :exclude"
            ),
            {"owner": ctx.owner_id, "exclude": exclude if exclude is not None else -1},
        )
    )
    return {pid: found for pid, found in best.items() if pid in allowed}
