"""Import (upload, preview the plan, confirm), export downloads, and restoring a backup.

An upload waits in this process's memory between the preview and the confirmation, under a
random key that only the page showing the preview knows; nothing touches the database until the
user confirms. Only the newest few uploads are kept.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from mentormap.errors import InvalidInput, UserError
from mentormap.web.forms import Form
from mentormap.web.render import csrf_ok, forbidden, redirect, render, unit_of_work

if TYPE_CHECKING:
    from mentormap.services.interop.plan import ImportPlan

router = APIRouter()

IMPORT_FORMATS = [
    ("", "Detect it"),
    ("vcard", "vCard (.vcf)"),
    ("linkedin", "LinkedIn connections (CSV)"),
    ("google", "Google contacts (CSV)"),
    ("csv", "Other CSV"),
    ("ics", "Calendar (.ics)"),
]
EXPORTS = {
    "vcard": ("contacts", "vcf", "text/vcard", "Contacts as vCard 4.0"),
    "csv": ("contacts", "csv", "text/csv", "Contacts as CSV"),
    "ics": ("catch-ups", "ics", "text/calendar", "Planned catch-ups and follow-ups (.ics)"),
    "json": ("backup", "json", "application/json", "Full backup (JSON), to restore later"),
}
KEEP_UPLOADS = 4
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
PREVIEW_ROWS = 300


@dataclass
class Upload:
    name: str
    data: bytes
    fmt: str | None
    skip_bad: bool


def _uploads(request: Request) -> OrderedDict[str, Upload]:
    store = getattr(request.app.state, "uploads", None)
    if store is None:
        store = request.app.state.uploads = OrderedDict()
    return store


async def _file(raw: object, form: Form, field: str = "file") -> tuple[str, bytes] | None:
    upload = raw.get(field)  # type: ignore[attr-defined]
    if not isinstance(upload, UploadFile) or not upload.filename:
        form.errors[field] = "Choose a file."
        return None
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        form.errors[field] = "That file is larger than 50 MB."
        return None
    if not data:
        form.errors[field] = "That file is empty."
        return None
    return upload.filename, data


def _page(request: Request, form: Form, status: int = 200, **extra: object) -> HTMLResponse:
    context = {"form": form, "formats": IMPORT_FORMATS, "exports": EXPORTS, **extra}
    return render(request, "import.html", context, status=status)


@router.get("/import")
def import_page(request: Request) -> HTMLResponse:
    return _page(request, Form())


@router.post("/import/preview")
async def import_preview(request: Request) -> Response:
    from mentormap.services.interop.imports import import_file

    raw = await request.form()
    if not csrf_ok(request, raw):
        return forbidden(request)
    form = Form.of(raw)
    fmt = form.text("format")
    if fmt is not None and fmt not in dict(IMPORT_FORMATS):
        form.errors["format"] = f"Unknown format {fmt!r}."
    found = await _file(raw, form)
    if found is None or form.errors:
        return _page(request, form, status=400)
    name, data = found
    upload = Upload(name=name, data=data, fmt=fmt, skip_bad=form.checked("skip_bad"))

    def preview() -> ImportPlan:
        with unit_of_work(request) as ctx:  # a dry run writes nothing
            return import_file(ctx, data, fmt=upload.fmt, dry_run=True, skip_bad=upload.skip_bad)

    try:
        # Off the event loop: reading a 50 MB file takes seconds, and other pages must answer.
        plan = await run_in_threadpool(preview)
    except UserError as exc:
        form.errors["file"] = _file_error(exc)
        return _page(request, form, status=400)
    key = secrets.token_urlsafe(16)
    store = _uploads(request)
    store[key] = upload
    while len(store) > KEEP_UPLOADS:
        store.popitem(last=False)
    return _page(
        request,
        form,
        plan=plan,
        shown=plan.items[:PREVIEW_ROWS],
        warnings=plan.warnings[:PREVIEW_ROWS],
        key=key,
        upload=upload,
    )


def _file_error(exc: UserError) -> str:
    """The error shown by the file field; a bad record says how to import the rest."""
    from mentormap.interop.records import BadRecord

    if isinstance(exc, BadRecord):
        return f"{exc.where}: {exc.problem} Tick “{SKIP_BAD_LABEL}” to import the rest."
    return str(exc)


SKIP_BAD_LABEL = "Leave out unreadable records instead of stopping"


@router.post("/import/confirm")
async def import_confirm(request: Request) -> Response:
    from mentormap.services.interop.imports import import_file

    raw = await request.form()
    if not csrf_ok(request, raw):
        return forbidden(request)
    form = Form.of(raw)
    upload = _uploads(request).pop(form.values.get("key", ""), None)
    if upload is None:
        form.errors["file"] = "That preview has expired; upload the file again."
        return _page(request, form, status=400)

    def apply() -> ImportPlan:
        with unit_of_work(request) as ctx:
            return import_file(ctx, upload.data, fmt=upload.fmt, skip_bad=upload.skip_bad)

    try:
        plan = await run_in_threadpool(apply)
    except UserError as exc:
        form.errors["file"] = _file_error(exc)
        return _page(request, form, status=400)
    summary = ", ".join(f"{count} {action}" for action, count in plan.counts.items())
    return redirect("/people", f"Imported {upload.name} ({plan.format}): {summary}.")


@router.get("/export/{fmt}")
def export_download(request: Request, fmt: str) -> Response:
    """Stream an export as a download; the session stays open only while it streams.

    A plain `def` route and a plain iterator: Starlette runs both in its thread pool, so a big
    export never holds up the event loop.
    """
    from mentormap.services.interop.exports import export_chunks

    if fmt not in EXPORTS:
        raise InvalidInput(f"Unknown export format {fmt!r}; choose one of: {', '.join(EXPORTS)}.")
    what, suffix, media, _label = EXPORTS[fmt]
    day = request.app.state.settings.today().isoformat()

    def chunks() -> Iterator[bytes]:
        with unit_of_work(request) as ctx:
            if fmt == "json":
                from mentormap.services.interop.backup import backup_chunks

                yield from (chunk.encode() for chunk in backup_chunks(ctx))
            else:
                yield from (chunk.encode() for chunk in export_chunks(ctx, fmt))

    filename = f"mentormap-{what}-{day}.{suffix}"
    return StreamingResponse(
        chunks(),
        media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post("/restore")
async def restore_backup(request: Request) -> Response:
    """Load a JSON backup into this (empty) database, off the event loop."""
    from starlette.concurrency import run_in_threadpool

    from mentormap.services.interop.backup import RestoreReport, restore

    raw = await request.form()
    if not csrf_ok(request, raw):
        return forbidden(request)
    form = Form.of(raw)
    upload = raw.get("backup")
    if not isinstance(upload, UploadFile) or not upload.filename:
        form.errors["backup"] = "Choose a file."
    elif not upload.size:
        form.errors["backup"] = "That file is empty."
    elif not form.checked("confirm"):
        form.errors["backup"] = "Tick the box to confirm the restore."
    if form.errors or not isinstance(upload, UploadFile):
        return _page(request, form, status=400)

    def run() -> RestoreReport:
        # The upload is a spooled temporary file: the restore streams it, never whole in memory.
        with unit_of_work(request) as ctx:
            return restore(ctx, upload.file)

    try:
        report = await run_in_threadpool(run)
    except UserError as exc:
        form.errors["backup"] = str(exc)
        return _page(request, form, status=400)
    message = f"Restored {report.total} rows from {upload.filename}."
    if report.warnings:
        shown = " ".join(report.warnings[:3])
        more = len(report.warnings) - 3
        message += f" {shown}" + (f" (and {more} more warnings)" if more > 0 else "")
    return redirect("/", message)
