"""Files attached to secure messages: a photo of a breach of a restraining order, a letter (issue 15).

Only JPEG, PNG and PDF, recognised by what the file holds (its first bytes), never by its name or the type
the browser declared: a PNG named "photo.jpg" is a PNG; a program named "letter.pdf" is refused. At most
MAX_BYTES each and MAX_FILES on one message; an empty file is refused.

Images are opened with Pillow (decompression bombs refused) and re-encoded, after turning them the way
their EXIF orientation says and bringing their colours into sRGB, so that nothing but the pixels is kept:
no EXIF (GPS position, camera make and model, date taken), XMP, ICC profile, comments or PNG text chunks
(and of an animated PNG or a multi-picture JPEG, only the first picture). PDFs are kept as sent
(checked by their content only); they are downloaded, never shown inline.

Names are cleaned (no folder parts, no control characters, at most 255 characters) and are only ever used
as the download's name. May flush, never commits.

Downloads (`for_victim`, `for_support_worker`, `for_officer`, served by the victim.message_file,
support.message_file and staff.message_file routes) go only to people who may read the thread
(services/common/message_access.py): never the files of an internal note to a victim or support worker.
Support workers' and officers' downloads are audited, and shown on the victim's "Who has viewed your
information". They are always downloads (`download_headers`), never shown in the browser.
"""

from __future__ import annotations

import io
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageCms, ImageOps
from sqlalchemy.orm import Session

from portal.data import secure_messages as messages_data
from portal.models.messages import MessageAttachment, SecureMessage
from portal.services.common import audit, message_access
from portal.services.common.actors import Actor

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
#: What a form that takes attachments should accept as its whole request (`request.max_content_length`,
#: as portal/victim/statement_routes.py does): five files at the limit and the message, with room to spare.
MAX_REQUEST_BYTES = MAX_FILES * MAX_BYTES + 1024 * 1024
#: The largest image accepted, in pixels (a 10 MB file could otherwise unpack to gigabytes).
MAX_PIXELS = 50_000_000
MAX_FILENAME = 255

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
_EXTENSIONS = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf"}
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"%PDF-", PDF),
)
_PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG"}
#: Image modes re-encoded as they are; others (e.g. "PA", "RGBX") become RGB or RGBA.
_KEPT_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I", "I;16"})
# Pillow's own decompression-bomb guard (a warning past this, an error past twice this), set for the
# process: no other part of the portal opens images.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
_SRGB = ImageCms.createProfile("sRGB")


class AttachmentRefused(ValueError):
    """A file that cannot be attached; the message (a GOV.UK error message naming the file) says why."""


@dataclass(frozen=True)
class CleanFile:
    """A file ready to attach: its cleaned name, the type its content shows, and the content as kept
    (images re-encoded without metadata, PDFs as sent)."""

    filename: str
    content_type: str
    content: bytes


def clean_filename(filename: str, content_type: str | None = None) -> str:
    """The name without folder parts or control characters, at most 255 characters (keeping its
    extension); "attachment.<ext>" when nothing is left."""
    name = unicodedata.normalize("NFC", filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and unicodedata.category(ch) != "Cf").strip()
    name = name.lstrip(".").strip()
    if not name:
        name = "attachment" + _EXTENSIONS.get(content_type or "", "")
    if len(name) > MAX_FILENAME:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: MAX_FILENAME - len(extension) - 1] + "." + extension
        else:
            name = name[:MAX_FILENAME]
    return name


def content_type_of(data: bytes) -> str | None:
    """image/jpeg, image/png or application/pdf from the file's first bytes; None for anything else."""
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    return None


def check_upload(filename: str, data: bytes) -> CleanFile:
    """The file ready to attach, or AttachmentRefused with an error message naming it."""
    name = clean_filename(filename)
    if not data:
        raise AttachmentRefused(_l("%(name)s is empty", name=name))
    if len(data) > MAX_BYTES:
        raise AttachmentRefused(_l("%(name)s must be smaller than 10MB", name=name))
    content_type = content_type_of(data)
    if content_type is None:
        raise AttachmentRefused(_l("%(name)s must be a JPEG, PNG or PDF", name=name))
    content = data if content_type == PDF else _reencode(name, data, content_type)
    if len(content) > MAX_BYTES:
        raise AttachmentRefused(_l("%(name)s must be smaller than 10MB", name=name))
    return CleanFile(
        filename=clean_filename(filename, content_type), content_type=content_type, content=content
    )


def check_uploads(files: list[tuple[str, bytes]]) -> tuple[list[CleanFile], list[str]]:
    """Each (name, content) checked: the files that can be attached, and one error for each file that
    cannot, plus "You can attach up to 5 files" when there are more than MAX_FILES (then the first
    MAX_FILES good files are kept: the sender removes the rest). A form field left empty (no name and no
    content) is not a file."""
    clean: list[CleanFile] = []
    errors: list[str] = []
    chosen = [(name, data) for name, data in files if name or data]
    if len(chosen) > MAX_FILES:
        errors.append(str(_l("You can attach up to %(count)d files", count=MAX_FILES)))
    for name, data in chosen:
        try:
            clean.append(check_upload(name, data))
        except AttachmentRefused as refused:
            errors.append(str(refused))
    return clean[:MAX_FILES], errors


def attach(session: Session, message: SecureMessage, files: list[CleanFile]) -> list[MessageAttachment]:
    """Keep the files (from check_upload/check_uploads) with the message. The message must already have
    its id (flushed)."""
    if len(files) > MAX_FILES:
        raise AttachmentRefused(_l("You can attach up to %(count)d files", count=MAX_FILES))
    if message.id is None:
        session.flush()
    now = datetime.now(UTC)
    attachments = [
        MessageAttachment(
            message_id=message.id,
            filename=file.filename,
            content_type=file.content_type,
            size=len(file.content),
            content=file.content,
            uploaded_at=now,
        )
        for file in files
    ]
    session.add_all(attachments)
    session.flush()
    return attachments


# --- Files held while the victim writes a message (until check answers is confirmed) -------------------


def hold(session: Session, victim_id: str, key: str, files: list[CleanFile]) -> None:
    """Keep checked files for the victim's message being written under `key` (the journey's draft key),
    replacing any held before: in the database, not the session or the draft (up to 5 x 10 MB)."""
    if len(files) > MAX_FILES:
        raise AttachmentRefused(_l("You can attach up to %(count)d files", count=MAX_FILES))
    messages_data.drop_held_files(session, victim_id, key)
    now = datetime.now(UTC)
    session.add_all(
        MessageAttachment(
            held_for_victim_id=victim_id,
            held_key=key,
            filename=file.filename,
            content_type=file.content_type,
            size=len(file.content),
            content=file.content,
            uploaded_at=now,
        )
        for file in files
    )
    session.flush()


def held_names(session: Session, victim_id: str, key: str) -> list[str]:
    return [held.filename for held in messages_data.held_files(session, victim_id, key)]


def drop_held(session: Session, victim_id: str, key: str) -> None:
    messages_data.drop_held_files(session, victim_id, key)


def attach_held(session: Session, message: SecureMessage, victim_id: str, key: str) -> None:
    """The files held under `key` become the (flushed) message's."""
    if message.id is None:
        session.flush()
    messages_data.attach_held_files(session, message.id, victim_id, key)


# --- Downloads ------------------------------------------------------------------------------------------

#: The audit trail's "what" for a download (services/common/audit.py words it for the victim).
VIEWED_FILE = "file on message"


def for_victim(
    session: Session, actor: Actor, urn: str, thread_id: str, attachment_id: str
) -> MessageAttachment:
    """A file on the signed-in victim's own thread (not on an internal note); NotFound otherwise."""
    _thread, attachment = message_access.attachment_for_victim(session, actor, urn, thread_id, attachment_id)
    return attachment


def for_support_worker(
    session: Session, actor: Actor, victim_id: str, urn: str, thread_id: str, attachment_id: str
) -> MessageAttachment:
    """A file on the victim's thread for a support worker with "send-messages" now (not on an internal
    note); audited. NotFound otherwise."""
    thread, attachment = message_access.attachment_for_worker(
        session, actor, victim_id, urn, thread_id, attachment_id
    )
    audit.record_view(session, actor, thread.victim_id, f"{VIEWED_FILE} {thread.reference}")
    return attachment


def for_officer(session: Session, actor: Actor, thread_id: str, attachment_id: str) -> MessageAttachment:
    """A file on a thread the officer's unit answers (internal notes too); audited. NotFound otherwise."""
    thread, attachment = message_access.attachment_for_officer(session, actor, thread_id, attachment_id)
    audit.record_view(session, actor, thread.victim_id, f"{VIEWED_FILE} {thread.reference}")
    return attachment


def download_headers(attachment: MessageAttachment) -> dict[str, str]:
    """The headers of a download: always saved as a file under its cleaned name (RFC 6266: an ASCII
    name for old browsers and the exact name as filename*), of the type its content showed, never
    sniffed as anything else, never stored by a browser or proxy."""
    fallback = unicodedata.normalize("NFKD", attachment.filename).encode("ascii", "ignore").decode()
    fallback = "".join(ch for ch in fallback if ch.isprintable() and ch not in '"\\%;').strip() or (
        "attachment" + _EXTENSIONS.get(attachment.content_type, "")
    )
    return {
        "Content-Type": attachment.content_type,
        "Content-Disposition": (
            f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(attachment.filename, safe='')}"
        ),
        "Content-Length": str(len(attachment.content)),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }


def _reencode(name: str, data: bytes, content_type: str) -> bytes:
    """The image's pixels only, upright, in the format it came in."""
    try:
        with warnings.catch_warnings():
            # Pillow warns past Image.MAX_IMAGE_PIXELS (and raises DecompressionBombError past twice
            # that) when it reads the header: the warning is an error here too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[_PILLOW_FORMATS[content_type]]) as image:
                if image.width * image.height > MAX_PIXELS:  # before a pixel is decoded
                    raise Image.DecompressionBombError(f"{image.width}x{image.height}")
                image.load()
                upright = ImageOps.exif_transpose(image)
                return _encode(_pixels_only(_in_srgb(upright)), content_type)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        message = _l(
            "%(name)s must be smaller than %(count)d megapixels", name=name, count=MAX_PIXELS // 10**6
        )
        raise AttachmentRefused(message) from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:  # Pillow's ways of saying "not an image"
        raise AttachmentRefused(_l("%(name)s must be a JPEG, PNG or PDF", name=name)) from error


def _in_srgb(image: Image.Image) -> Image.Image:
    """The colours the photo's ICC profile meant (a phone's Display P3, a printer's CMYK) in sRGB, so that
    they are not dulled when the profile is dropped; the image as it is when it has no profile or the
    profile cannot be used."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in {"RGB", "CMYK"}:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image with the same pixels (and palette) and none of the original's EXIF, XMP, ICC
    profile, comments or text chunks."""
    if image.mode not in _KEPT_MODES:
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    if image.mode == "P":
        bare.putpalette(image.getpalette() or [])
        if isinstance(image.info.get("transparency"), (int, bytes)):
            bare.info["transparency"] = image.info["transparency"]
    return bare


def _encode(image: Image.Image, content_type: str) -> bytes:
    output = io.BytesIO()
    if content_type == JPEG:
        if image.mode not in {"L", "RGB", "CMYK"}:
            image = image.convert("RGB")
        image.save(output, format="JPEG", quality=90, optimize=True)
    elif "transparency" in image.info:
        image.save(output, format="PNG", optimize=True, transparency=image.info["transparency"])
    else:
        image.save(output, format="PNG", optimize=True)
    return output.getvalue()
