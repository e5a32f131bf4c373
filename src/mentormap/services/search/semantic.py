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

from sqlalchemy import text

from mentormap.errors import UserError
from mentormap.services.context import Ctx
from mentormap.services.search.index import (
    BITS,
    BY_CODE,
    BY_KIND,
    CHANGES,
    MEANING_PREFERENCE,
    TABLE,
    band,
)

PREFERENCE = MEANING_PREFERENCE
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


@dataclass
class _Matrix:
    """Every stored embedding in memory: rowids and their unit vectors, row by row, as of one
    `version` of `search_state`."""

    version: int
    rids: Any  # int64, one per row
    vectors: Any  # float32, one row per entry


# The embeddings each database's entries have, per process: a query multiplies one matrix
# instead of reading every stored vector. Read again when `search_state.vectors` moved on.
_matrices: dict[tuple[str, str], _Matrix] = {}


def _key(ctx: Ctx, model: Model) -> tuple[str, str]:
    bind = ctx.session.get_bind()
    return (str(bind.engine.url), model.path)


def _version(ctx: Ctx) -> int:
    found = ctx.session.scalar(text("SELECT value FROM search_state WHERE key = 'vectors'"))
    return int(found or 0)


def _bump(ctx: Ctx) -> int:
    ctx.session.execute(
        text(
            "INSERT INTO search_state (key, value) VALUES ('vectors', 1) "
            "ON CONFLICT (key) DO UPDATE SET value = search_state.value + 1"
        )
    )
    return _version(ctx)


def _note_every_entry(ctx: Ctx) -> None:
    ctx.session.execute(text(f"INSERT OR IGNORE INTO {CHANGES} (rid) SELECT rowid FROM {TABLE}"))


def sync(ctx: Ctx, model: Model) -> int:
    """Embed the entries written since the last search (the triggers note them while meaning
    search is on), and forget the embeddings of those that are gone; returns how many were
    embedded. An entry whose text is what was embedded (same checksum) keeps its embedding."""
    import numpy as np

    rows = ctx.session.execute(
        text(
            f"SELECT c.rid, s.rowid, {_text_of('s')}, v.digest FROM {CHANGES} c "
            f"LEFT JOIN {TABLE} s ON s.rowid = c.rid LEFT JOIN search_vectors v ON v.rid = c.rid"
        )
    ).all()
    if not rows:
        return 0
    noted = [int(rid) for rid, _row, _entry, _digest in rows]
    gone = [int(rid) for rid, row, _entry, _digest in rows if row is None]
    todo = []
    for rid, row, entry, stored in rows:
        if row is None:
            continue
        digest = _digest(model, entry or "")
        if stored is None or int(stored) != digest:
            todo.append((int(rid), entry or "", digest))
    made: list[tuple[int, Any]] = []
    for start in range(0, len(todo), BATCH):
        chunk = todo[start : start + BATCH]
        vectors = model.encode([entry for _rid, entry, _d in chunk])
        made.extend(zip([rid for rid, _e, _d in chunk], vectors, strict=True))
        _store(ctx, [(rid, digest, vector.tobytes()) for (rid, _e, digest), vector in
                     zip(chunk, vectors, strict=True)])  # fmt: skip
    _delete(ctx, "search_vectors", gone)
    _delete(ctx, CHANGES, noted)
    if not made and not gone:
        return 0
    before = _version(ctx)
    after = _bump(ctx)
    cached = _matrices.get(_key(ctx, model))
    if cached is not None and cached.version == before:  # bring this process's copy along
        changed = np.array([rid for rid, _v in made] + gone, dtype=np.int64)
        keep = ~np.isin(cached.rids, changed)
        fresh = [(rid, v) for rid, v in made if v.shape[0] == cached.vectors.shape[1]]
        cached.rids = np.concatenate(
            [cached.rids[keep], np.array([rid for rid, _v in fresh], dtype=np.int64)]
        )
        cached.vectors = np.concatenate(
            [cached.vectors[keep], np.array([v for _rid, v in fresh], dtype=np.float32)
             .reshape(len(fresh), cached.vectors.shape[1])]
        )  # fmt: skip
        cached.version = after
    else:
        _matrices.pop(_key(ctx, model), None)
    return len(made)


def _text_of(alias: str) -> str:
    """The SQL of an entry's text (as `_TEXT`) over the index under `alias`."""
    columns = ("name", "expertise", "work", "body")
    return "trim(" + " || ' ' || ".join(f"{alias}.{column}" for column in columns) + ")"


def _store(ctx: Ctx, rows: list[tuple[int, int, bytes]]) -> None:
    if rows:
        ctx.session.execute(
            text(
                "INSERT OR REPLACE INTO search_vectors (rid, digest, vector) "
                "VALUES (:rid, :digest, :vector)"
            ),
            [{"rid": rid, "digest": digest, "vector": blob} for rid, digest, blob in rows],
        )


def _delete(ctx: Ctx, table: str, rids: list[int]) -> None:
    for start in range(0, len(rids), 5000):
        marks = ", ".join(str(int(r)) for r in rids[start : start + 5000])
        ctx.session.execute(text(f"DELETE FROM {table} WHERE rid IN ({marks})"))


def _matrix(ctx: Ctx, model: Model, size: int) -> _Matrix:
    """Every stored embedding of `size` floats, from this process's copy when still current."""
    import numpy as np

    version = _version(ctx)
    key = _key(ctx, model)
    cached = _matrices.get(key)
    if cached is not None and cached.version == version and cached.vectors.shape[1] == size:
        return cached
    # Straight from the driver: a few hundred thousand rows through SQLAlchemy's result
    # machinery would take several times as long.
    cursor = ctx.session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    cursor.execute("SELECT rid, vector FROM search_vectors WHERE length(vector) = ?", (size * 4,))
    rows = cursor.fetchall()
    cursor.close()
    vectors = np.frombuffer(b"".join(blob for _rid, blob in rows), dtype=np.float32)
    found = _Matrix(
        version=version,
        rids=np.fromiter((rid for rid, _blob in rows), dtype=np.int64, count=len(rows)),
        vectors=vectors.reshape(len(rows), size),  # read-only: replaced, never changed
    )
    _matrices.clear()  # one database and model at a time is what a process uses
    _matrices[key] = found
    return found


def rebuild(ctx: Ctx, model: Model) -> int:
    """Embed every entry again; returns how many."""
    forget(ctx)
    _note_every_entry(ctx)
    return sync(ctx, model)


def forget(ctx: Ctx) -> None:
    """Drop every embedding (derived data, made again from the entries by `rebuild`)."""
    ctx.session.execute(text("DELETE FROM search_vectors"))
    ctx.session.execute(text(f"DELETE FROM {CHANGES}"))
    _bump(ctx)
    _matrices.clear()
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
    ctx.session.flush()  # from here on the triggers note every write to the index
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

    The entries written since the last search are embedded first, in one batch; then one
    product of the query with the matrix of every embedding, held by this process between
    searches (read again only when another process changed the embeddings).
    """
    import numpy as np

    sync(ctx, model)
    wanted = model.encode([query])[0]
    matrix = _matrix(ctx, model, wanted.shape[0])
    if not len(matrix.rids):
        return []
    similarity = matrix.vectors @ wanted
    if kinds:
        wanted_kinds = np.zeros(1 + max(BY_CODE), dtype=bool)
        wanted_kinds[[BY_KIND[kind].code for kind in kinds]] = True
        similarity[~wanted_kinds[matrix.rids >> BITS]] = -1.0
    many = _owner(ctx) != ""  # other owners' entries are dropped below: look at more
    count = min(len(similarity), CANDIDATES * (4 if many else 1))
    best = np.argpartition(-similarity, count - 1)[:count]
    best = best[np.lexsort((-matrix.rids[best], -similarity[best]))]
    found = [
        (int(matrix.rids[i]), float(similarity[i])) for i in best if similarity[i] >= MIN_SIMILARITY
    ]
    if many and found:
        marks = ", ".join(str(rid) for rid, _s in found)
        mine = set(
            ctx.session.scalars(
                text(f"SELECT rowid FROM {TABLE} WHERE rowid IN ({marks}) AND owner_id = :owner"),
                {"owner": ctx.owner_id},
            )
        )
        found = [(rid, s) for rid, s in found if rid in mine][:CANDIDATES]
    return found


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
