"""Meaning search (`mentormap semantic`): a tiny model2vec model of our own, built in a temp
folder, is loaded, refused when it is not one, embeds the entries (new and changed ones at the
next search), and ranks `search` and `who` by meaning as well as by words; without a model,
or without model2vec at all, results are exactly the full-text ones."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.conftest import CliInvoke

np = pytest.importorskip("numpy")
pytest.importorskip("model2vec")

# One direction per meaning: distributed systems, cooking, gardening. Other words (names…)
# are unknown to the model and carry no meaning.
MEANINGS = {
    "distributed": 0,
    "systems": 0,
    "kafka": 0,
    "consensus": 0,
    "raft": 0,
    "cooking": 1,
    "pasta": 1,
    "garden": 2,
    "compost": 2,
}


def build_model(folder: Path) -> Path:
    """A model2vec model: a whitespace WordLevel vocabulary and a hand-made embedding matrix."""
    from model2vec import StaticModel
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    words = ["[UNK]", "[PAD]", *MEANINGS]
    tokenizer = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Lowercase()
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    vectors = np.zeros((len(words), 4), dtype=np.float32)
    for word, axis in MEANINGS.items():
        vectors[words.index(word), axis] = 1.0
        vectors[words.index(word), 3] = 0.1  # not all exactly alike within a meaning
    vectors[words.index("kafka"), 3] = 0.3
    StaticModel(vectors, tokenizer, normalize=True).save_pretrained(str(folder))
    return folder


@pytest.fixture
def model(tmp_path: Path) -> Path:
    return build_model(tmp_path / "tiny-model")


def run(cli: CliInvoke, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return str(result.output)


def hits(cli: CliInvoke, *args: str) -> list[tuple[object, object]]:
    return [(h["type"], h["person"]) for h in json.loads(run(cli, "search", *args, "--json"))]


def helpers(cli: CliInvoke, *args: str) -> list[dict[str, object]]:
    return list(json.loads(run(cli, "who", *args, "--json"))["people"])


def status(cli: CliInvoke) -> dict[str, object]:
    return dict(json.loads(run(cli, "semantic", "status", "--json")))


@pytest.fixture
def network(cli: CliInvoke) -> CliInvoke:
    run(cli, "people", "add", "Ada Lovelace", "--expertise", "Kafka and consensus")
    run(cli, "people", "add", "Bob Baker", "--expertise", "pasta cooking")
    run(cli, "people", "add", "Dee Declared", "--expertise", "distributed systems")
    run(cli, "people", "add", "Gil Green", "--notes", "Tends a garden.")
    run(cli, "log", "Gil Green", "-k", "call", "--on", "2026-11-02", "--no-edit", "-n",
        "He explained raft to me over coffee.")  # fmt: skip
    run(cli, "goal", "add", "Grow compost")
    return cli


def test_the_tiny_model_loads_and_means(model: Path) -> None:
    from mentormap.services.search.semantic import load_model

    loaded = load_model(model)
    kafka, distributed, pasta = loaded.encode(
        ["Kafka and consensus", "distributed systems", "pasta"]
    )
    assert float(kafka @ distributed) > 0.9
    assert abs(float(pasta @ distributed)) < 0.1


def test_install_refuses_what_is_not_a_model_folder(network: CliInvoke, tmp_path: Path) -> None:
    missing = network("semantic", "install", str(tmp_path / "nowhere"))
    assert missing.exit_code != 0
    assert "is not a folder" in missing.output and "Traceback" not in missing.output
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "config.json").write_text("{}")
    refused = network("semantic", "install", str(empty))
    assert refused.exit_code != 0
    assert "is not a model2vec model folder" in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    hub_name = network("semantic", "install", "minishlab/potion-base-8M")  # never downloaded
    assert hub_name.exit_code != 0 and "is not a folder" in hub_name.output
    assert status(network)["model"] is None


def test_install_embeds_every_entry_and_status_says_so(network: CliInvoke, model: Path) -> None:
    assert status(network) == {"model": None, "embedded": 0, "entries": 6}
    out = run(network, "semantic", "install", str(model))
    assert "6 entries embedded" in out
    assert status(network) == {"model": str(model.resolve()), "embedded": 6, "entries": 6}
    assert "6 of 6 entries embedded" in run(network, "semantic", "status")
    assert "embedded" in run(network, "search", "--reindex")


def test_search_finds_by_meaning_as_well_as_by_words(network: CliInvoke, model: Path) -> None:
    before = hits(network, "distributed", "systems")
    assert before == [("person", "Dee Declared")]
    run(network, "semantic", "install", str(model))
    found = hits(network, "distributed", "systems")
    assert found[0] == ("person", "Dee Declared")  # words and meaning: first
    assert ("person", "Ada Lovelace") in found  # "Kafka and consensus": no word in common
    assert ("interaction", "Gil Green") in found  # "raft"
    assert ("person", "Bob Baker") not in found and ("goal", None) not in found
    # A hit found by meaning only shows the start of its entry.
    ada = next(h for h in json.loads(run(network, "search", "kafka", "--json")))
    assert ada["person"] == "Ada Lovelace" and "Kafka and consensus" in str(ada["snippet"])
    # Filters apply to hits found by meaning too.
    assert hits(network, "distributed", "systems", "--type", "interaction") == [
        ("interaction", "Gil Green")
    ]
    assert ("goal", None) in hits(network, "garden")  # "compost"


def test_entries_written_after_install_are_embedded_at_the_next_search(
    network: CliInvoke, model: Path
) -> None:
    run(network, "semantic", "install", str(model))
    run(network, "people", "add", "Cy Consensus")  # no meaning in her entry
    run(network, "people", "edit", "Bob Baker", "--expertise", "raft in production")
    assert status(network)["embedded"] == 7 - 1  # Cy's entry is new
    found = hits(network, "distributed", "systems")
    assert status(network) == {"model": str(model.resolve()), "embedded": 7, "entries": 7}
    assert ("person", "Bob Baker") in found  # his changed expertise was embedded again
    run(network, "people", "delete", "Ada Lovelace", "--yes")
    assert ("person", "Ada Lovelace") not in hits(network, "distributed", "systems")
    assert status(network)["embedded"] == 6


def test_who_ranks_by_meaning_too(network: CliInvoke, model: Path) -> None:
    assert [h["name"] for h in helpers(network, "distributed", "systems")] == ["Dee Declared"]
    run(network, "semantic", "install", str(model))
    people = helpers(network, "distributed", "systems")
    names = [h["name"] for h in people]
    assert names[0] == "Dee Declared"  # declared in words and in meaning
    assert set(names[1:]) == {"Ada Lovelace", "Gil Green"}  # her expertise, his conversation
    ada = next(h for h in people if h["name"] == "Ada Lovelace")
    assert ada["why"] == ["close in meaning: 'Ada Lovelace Kafka and consensus'"]
    assert "Bob Baker" not in names
    out = run(network, "who", "distributed", "systems")
    assert "Ada Lovelace" in out and "close in meaning" in out


def test_remove_gives_back_exactly_the_full_text_results(network: CliInvoke, model: Path) -> None:
    before = run(network, "search", "distributed", "systems", "--json")
    who_before = run(network, "who", "distributed", "systems", "--json")
    run(network, "semantic", "install", str(model))
    assert run(network, "search", "distributed", "systems", "--json") != before
    assert "Meaning search is off." in run(network, "semantic", "remove")
    assert run(network, "search", "distributed", "systems", "--json") == before
    assert run(network, "who", "distributed", "systems", "--json") == who_before
    assert status(network) == {"model": None, "embedded": 0, "entries": 6}
    assert "was not on" in run(network, "semantic", "remove")


def test_a_vanished_model_folder_is_a_one_line_error(network: CliInvoke, tmp_path: Path) -> None:
    folder = build_model(tmp_path / "moved")
    run(network, "semantic", "install", str(folder))
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()
    result = network("search", "kafka")
    assert result.exit_code != 0 and "semantic remove" in result.output
    run(network, "semantic", "remove")
    assert hits(network, "kafka") == [("person", "Ada Lovelace")]


def test_everything_works_without_model2vec(
    network: CliInvoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [m for m in sys.modules if m == "model2vec" or m.startswith("model2vec.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "model2vec", None)  # `import model2vec` now fails
    assert hits(network, "kafka") == [("person", "Ada Lovelace")]
    assert [h["name"] for h in helpers(network, "kafka")] == ["Ada Lovelace"]
    assert "off" in run(network, "semantic", "status")
    folder = tmp_path / "a-model"
    folder.mkdir()
    result = network("semantic", "install", str(folder))
    assert result.exit_code != 0 and "pip install 'mentormap[semantic]'" in result.output
    assert "model2vec" not in sys.modules or sys.modules["model2vec"] is None


def test_embeddings_are_derived_data_left_out_of_backups() -> None:
    from mentormap.services.interop.backup import owned_tables

    assert "search_vectors" not in {table.name for table in owned_tables()}


def test_help_texts(cli: CliInvoke) -> None:
    out = run(cli, "semantic", "--help")
    for command in ("install", "status", "remove"):
        assert command in out
    assert "nothing is downloaded" in " ".join(run(cli, "semantic", "install", "--help").split())


@pytest.mark.postgres
def test_postgres_refuses_meaning_search_for_now(postgres_url: str, model: Path) -> None:
    from datetime import date
    from zoneinfo import ZoneInfo

    from mentormap.db import Database
    from mentormap.errors import UserError
    from mentormap.services.context import Ctx
    from mentormap.services.search.semantic import install, status
    from mentormap.settings import Settings

    settings = Settings(
        database_url=postgres_url, timezone=ZoneInfo("Europe/London"), today_override=date.today()
    )
    db = Database.open(settings)
    try:
        with db.session() as session:
            ctx = Ctx(session=session, settings=settings)
            with pytest.raises(UserError, match="SQLite databases only"):
                install(ctx, str(model))
            assert status(ctx).as_json() == {"model": None, "embedded": 0, "entries": 0}
    finally:
        db.close()


def test_embeddings_stay_in_memory_and_follow_other_writers(
    network: CliInvoke, model: Path, db_path: Path
) -> None:
    import sqlite3

    from mentormap.services.search import semantic

    run(network, "semantic", "install", str(model))
    hits(network, "distributed", "systems")
    ((key, held),) = [(k, m) for k, m in semantic._matrices.items() if str(db_path) in k[0]]
    version = held.version
    hits(network, "distributed", "systems")
    assert semantic._matrices[key] is held and held.version == version  # not read again
    # Another program writes: the trigger notes the entry, the next search embeds it alone and
    # brings this process's copy along instead of reading every embedding again.
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE people SET expertise = 'consensus' WHERE name = 'Gil Green'")
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM search_changes").fetchone() == (1,)
    assert ("person", "Gil Green") in hits(network, "distributed", "systems")
    assert semantic._matrices[key] is held and held.version == version + 1
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM search_changes").fetchone() == (0,)
        # Another process embedded something: this one reads the embeddings again.
        conn.execute("UPDATE search_state SET value = value + 1 WHERE key = 'vectors'")
    assert ("person", "Gil Green") in hits(network, "distributed", "systems")
    assert semantic._matrices[key] is not held
    # Off again: writes are no longer noted.
    run(network, "semantic", "remove")
    run(network, "people", "add", "Cy Consensus")
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM search_changes").fetchone() == (0,)
