"""Radicale's own filesystem storage, made fit for thousands of new cards in a test.

Radicale (3.x) answers every PUT of a new card by reading each item of the collection, looking
for one with the same UID (`BaseCollection.has_uid`): linear in the address book, so writing
2,000 new cards into an address book of 2,000 costs it about 0.15 s a card on this machine,
some five minutes in all. This storage answers that one question from an index of the UIDs,
read from Radicale's items once per collection and kept by every upload, delete and whole
collection written. Each write also looks through the whole sync history for expired entries
of deleted items (`_clean_history`), linear again: here it is left to the sync requests, which
do it too, and nothing expires within a test anyway. And it does not wait for the disk after
each write (Radicale's private `_filesystem_fsync`, which its own tests turn off too): a temp
folder needs no durability.
Everything a client sees (items, ETags, sync tokens, multiget, the clash itself: 409) is
Radicale's own. Loaded by `radicale_server(..., indexed_uids=True)`.
"""

from __future__ import annotations

from typing import Any

from radicale.storage import multifilesystem


class _Index:
    """The UIDs of one collection's items, by href (Radicale allows one item per UID)."""

    def __init__(self, items: Any) -> None:
        self.by_href = {item.href: item.uid for item in items if item.href}
        self.uids = set(self.by_href.values())

    def put(self, href: str, uid: str) -> None:
        self.drop(href)
        self.by_href[href] = uid
        self.uids.add(uid)

    def drop(self, href: str) -> None:
        old = self.by_href.pop(href, None)
        if old is not None:
            self.uids.discard(old)


# filesystem path of a collection -> its index; Radicale writes under its exclusive lock.
_INDEXES: dict[str, _Index] = {}


class Collection(multifilesystem.Collection):
    def _index(self) -> _Index:
        found = _INDEXES.get(self._filesystem_path)
        if found is None:
            found = _INDEXES[self._filesystem_path] = _Index(self.get_all())
        return found

    def has_uid(self, uid: str) -> bool:
        return uid in self._index().uids

    def upload(self, href: str, item: Any) -> Any:
        index = self._index()
        self._writing = True
        try:
            answer = super().upload(href, item)
        finally:
            self._writing = False
        index.put(href, item.uid)
        return answer

    def _clean_history(self) -> None:
        if not getattr(self, "_writing", False):
            super()._clean_history()

    def delete(self, href: str | None = None) -> None:
        super().delete(href)
        if href is None:
            _INDEXES.pop(self._filesystem_path, None)
        else:
            self._index().drop(href)


class Storage(multifilesystem.Storage):
    _collection_class = Collection

    def __init__(self, configuration: Any) -> None:
        super().__init__(configuration)
        self._filesystem_fsync = False

    def create_collection(self, href: str, items: Any = None, props: Any = None) -> Any:
        _INDEXES.clear()  # a whole collection written (or made): read the UIDs again
        return super().create_collection(href, items, props)
