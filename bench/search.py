"""Time recall on a copy of a bench network: search, who, name resolution, the full reindex.

    python -m bench.search               # on a copy of bench/data/L.db (built on first use)
    python -m bench.search --size T --runs 1   # a smoke run (tests/test_bench.py)

Targets (issue 14) on L (20,000 people, 1,000,000 interactions): `search` median <= 20 ms
in-process and <= 0.3 s wall from the CLI; `who` <= 50 ms; name resolution <= 2 ms; a full
reindex <= 60 s; the index's size reported. The copy is upgraded first (the migration builds the
index, timed too), so the cached network is never changed.

Meaning search too, when model2vec is installed: a model of our own (random vectors of `--dim`
floats over the words of the network's entries; nothing is downloaded) is installed on the
copy, then search is timed with it on, and after a write (the entry embedded at the next search).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.generate import TODAY, compile_package, network, settings_for
from mentormap.db import Database
from mentormap.services.context import Ctx
from mentormap.services.people.resolve import find_person
from mentormap.services.search.index import rebuild
from mentormap.services.search.query import SearchFilter, index_size, search
from mentormap.services.search.who import who

RUNS = 5
# What people type: a word in 30% of the notes, a phrase, a prefix, names, an employer, a city
# and a title together, a word nowhere, and a common word under a filter.
QUERIES: list[tuple[str, SearchFilter | None]] = [
    ("roadmap", None),
    ('"new team"', None),
    ("road*", None),
    ("Noor", None),
    ("Harbour", None),
    ("berlin engineer", None),
    ("zzzz", None),
    ("roadmap", SearchFilter(role="sponsor")),
    ("roadmap", SearchFilter(city="Berlin")),
]
TOPICS = ["roadmap", "engineer", "kubernetes", "team"]


@contextmanager
def unit(db: Database) -> Iterator[Ctx]:
    with db.session() as session:
        yield Ctx(session=session, settings=db.settings)


def median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    """First call and median of the next `runs` calls, in ms."""
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times[0], statistics.median(times[1:])


def cli_wall(path: Path, runs: int) -> float:
    """Median wall seconds of `mentormap search roadmap --json`, as the user runs it."""
    env = dict(os.environ, MENTORMAP_DB=str(path), MENTORMAP_TODAY=TODAY.isoformat())
    compile_package()
    script = Path(sys.executable).with_name("mentormap")
    command = [str(script), "search", "roadmap", "--json"]
    times = []
    for _ in range(max(1, runs)):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="L")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--dim", type=int, default=64, help="Floats per word of the test model.")
    args = parser.parse_args(argv)
    source = network(args.size)
    folder = Path(tempfile.mkdtemp(prefix="mentormap-bench-search-"))
    try:
        path = folder / f"{args.size}.db"
        shutil.copyfile(source, path)
        started = time.perf_counter()
        db = Database.open(settings_for(path))
        print(f"{args.size}: open and upgrade the copy (builds the index if new): "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        try:
            run(db, path, args.size, args.runs)
            meaning(db, folder, args.size, args.runs, args.dim)
        finally:
            db.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(db: Database, path: Path, size: str, runs: int) -> None:
    with unit(db) as ctx:
        started = time.perf_counter()
        entries = rebuild(ctx)
        took = time.perf_counter() - started
    print(f"{size}: full reindex of {entries:,} entries: {took:.1f} s")
    with unit(db) as ctx:
        size_bytes = index_size(ctx)
        shown = f"{size_bytes / 1e6:.1f} MB" if size_bytes else "unknown (no dbstat)"
        print(f"{size}: index size {shown}")
        medians = []
        for query, f in QUERIES:
            label = query + (f" {f}" if f else "")
            _first, median = median_ms(partial(search, ctx, query, f), runs)
            medians.append(median)
            hits = len(search(ctx, query, f).hits)
            print(f"  search {label[:60]:<60} median {median:7.2f} ms  ({hits} hits)")
        print(f"{size}: search median over the mix {statistics.median(medians):.2f} ms")
        for topic in TOPICS:
            _first, median = median_ms(partial(who, ctx, topic), runs)
            print(f"  who {topic:<20} median {median:7.2f} ms")
        names = list(ctx.session.scalars(text("SELECT name FROM people ORDER BY id DESC LIMIT 5")))
        whole = [median_ms(partial(find_person, ctx, n), runs)[1] for n in names]
        print(f"{size}: name resolution, full name: median {statistics.median(whole):.2f} ms")
        upper = [median_ms(partial(find_person, ctx, n.upper()), runs)[1] for n in names]
        print(f"{size}: name resolution, upper case: median {statistics.median(upper):.2f} ms")
        parts = [" ".join(n.split()[1:]) for n in names]  # surname and number: unique
        part = [median_ms(partial(find_person, ctx, n), runs)[1] for n in parts]
        print(f"{size}: name resolution, a unique part: median {statistics.median(part):.2f} ms")
    print(f"{size}: `mentormap search roadmap --json` wall: median {cli_wall(path, runs):.2f} s")


def tiny_model(db: Database, folder: Path, dim: int) -> Path | None:
    """A model2vec model over the words of up to 5,000 entries, random vectors; None without
    model2vec."""
    try:
        import numpy as np
        from model2vec import StaticModel
        from tokenizers import Tokenizer, models, normalizers, pre_tokenizers
    except ImportError:
        return None
    with unit(db) as ctx:
        texts = ctx.session.scalars(
            text("SELECT name || ' ' || expertise || ' ' || work || ' ' || body "
                 "FROM search_index LIMIT 5000")
        ).all()  # fmt: skip
    words = sorted({w.lower() for t in texts for w in str(t).split() if w.isalpha()})
    vocabulary = {w: i for i, w in enumerate(["[UNK]", "[PAD]", *words])}
    tokenizer = Tokenizer(models.WordLevel(vocabulary, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Lowercase()
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    vectors = np.random.default_rng(7).standard_normal((len(vocabulary), dim)).astype(np.float32)
    target = folder / "tiny-model"
    StaticModel(vectors, tokenizer, normalize=True).save_pretrained(str(target))
    return target


def meaning(db: Database, folder: Path, size: str, runs: int, dim: int) -> None:
    from mentormap.services.search import semantic

    model_folder = tiny_model(db, folder, dim)
    if model_folder is None:
        print(f"{size}: meaning search not timed (model2vec is not installed)")
        return
    started = time.perf_counter()
    with unit(db) as ctx:
        _model, embedded = semantic.install(ctx, str(model_folder))
    took = time.perf_counter() - started
    print(f"{size}: meaning search on ({dim} floats a word): {embedded:,} entries embedded "
          f"in {took:.1f} s")  # fmt: skip
    semantic._matrices.clear()
    with unit(db) as ctx:
        first, median = median_ms(partial(search, ctx, "roadmap"), runs)
        print(f"{size}: search roadmap with meaning: first {first:.1f} ms (reads the "
              f"embeddings), then median {median:.2f} ms")  # fmt: skip
        medians = [median_ms(partial(search, ctx, q, f), runs)[1] for q, f in QUERIES]
        print(
            f"{size}: search median over the mix with meaning {statistics.median(medians):.2f} ms"
        )
        _first, median = median_ms(partial(who, ctx, "roadmap"), runs)
        print(f"{size}: who roadmap with meaning: median {median:.2f} ms")
    times = []
    for n in range(max(1, runs)):
        with unit(db) as ctx:
            ctx.session.execute(
                text("UPDATE people SET notes = :notes WHERE id = (SELECT max(id) FROM people)"),
                {"notes": f"Asked about the roadmap, round {n}"},
            )
            started = time.perf_counter()
            search(ctx, "roadmap")
            times.append((time.perf_counter() - started) * 1000)
    print(f"{size}: search right after a write (its entry embedded first): median "
          f"{statistics.median(times):.2f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
