"""Routes stay thin: parse the request, call a service, render a template.

Every id in a path is written `{name:id}`. Starlette's `int` takes any run of digits, and an id
past SQLite's largest integer (2^63 - 1) then fails inside the driver with a 500. Ids come from
SQLite counting up from 1, so up to 18 digits covers every real one; a longer number matches no
route and gets the ordinary 404 page.
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor


class IdConvertor(Convertor[int]):
    regex = "[0-9]{1,18}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(int(value))


register_url_convertor("id", IdConvertor())
