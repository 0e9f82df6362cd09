"""Files attached to secure messages: recognised by content, limited in size and number, images stripped
of their location and camera metadata and turned upright (portal/services/secure_messages/attachments.py).
Every image is made here with Pillow: no binary fixtures."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageCms, PngImagePlugin

from portal.services.secure_messages.attachments import (
    MAX_BYTES,
    MAX_FILES,
    AttachmentRefused,
    check_upload,
    check_uploads,
    clean_filename,
)
from tests.support.images import (
    DATE_TIME,
    GPS_IFD,
    MAKE,
    MODEL,
    ORIENTATION,
    PDF,
    image,
    jpeg_with_exif,
    png_with_text,
    reopened,
)

pytestmark = pytest.mark.usefixtures("babel_app_context")


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims to be width x height pixels (a decompression bomb needs no more)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("photo.jpg", jpeg_with_exif(), "image/jpeg"),
        ("screenshot.png", png_with_text(), "image/png"),
        ("letter.pdf", PDF, "application/pdf"),
        # The content decides, not the name: a PNG named .jpg is a PNG, a PDF without an extension a PDF.
        ("photo.jpg", png_with_text(), "image/png"),
        ("letter", PDF, "application/pdf"),
    ],
)
def test_each_kind_of_file_is_recognised_by_its_content(name: str, content: bytes, content_type: str) -> None:
    clean = check_upload(name, content)
    assert (clean.filename, clean.content_type) == (name, content_type)
    if content_type == "application/pdf":
        assert clean.content == content  # kept as sent
    else:
        assert reopened(clean.content).format == {"image/jpeg": "JPEG", "image/png": "PNG"}[content_type]


def test_a_photo_loses_its_location_camera_and_comments() -> None:
    original = reopened(jpeg_with_exif())
    assert original.getexif()[MAKE] == "Canon" and original.getexif().get_ifd(GPS_IFD)  # the test can fail

    clean = reopened(check_upload("photo.jpg", jpeg_with_exif()).content)

    exif = clean.getexif()
    assert MAKE not in exif and MODEL not in exif and DATE_TIME not in exif
    assert not exif.get_ifd(GPS_IFD)
    assert not {"exif", "xmp", "comment", "icc_profile"} & set(clean.info)
    assert b"Acacia" not in check_upload("photo.jpg", jpeg_with_exif()).content
    assert clean.size == (40, 20)


def test_a_png_loses_its_text_chunks_and_exif() -> None:
    assert reopened(png_with_text()).text  # the test can fail

    content = check_upload("screenshot.png", png_with_text()).content
    clean = reopened(content)

    assert isinstance(clean, PngImagePlugin.PngImageFile) and clean.text == {}
    assert not clean.getexif() and b"Acacia" not in content and b"adobe" not in content


def test_a_sideways_photo_is_turned_the_way_its_exif_says_before_the_exif_goes() -> None:
    # Orientation 6: the camera was turned; the picture is shown turned 90 degrees clockwise.
    clean = reopened(check_upload("photo.jpg", jpeg_with_exif(orientation=6)).content).convert("RGB")

    assert clean.size == (20, 40)
    assert ORIENTATION not in clean.getexif()
    red, blue = clean.getpixel((10, 5)), clean.getpixel((10, 35))
    assert red[0] > 200 > red[2] and blue[2] > 200 > blue[0]  # the left (red) half is now at the top


@pytest.mark.parametrize(
    ("mode", "icc_profile"),
    [
        ("RGB", ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()),
        ("RGB", b"not a colour profile"),  # unusable: dropped, the colours kept as they are
        ("CMYK", None),
    ],
)
def test_a_colour_profile_is_applied_then_dropped(mode: str, icc_profile: bytes | None) -> None:
    picture = Image.new("RGB", (16, 16), (200, 100, 50))
    if mode == "CMYK":
        picture = picture.convert("CMYK")
    output = io.BytesIO()
    picture.save(output, "JPEG", quality=95, **({"icc_profile": icc_profile} if icc_profile else {}))
    assert reopened(output.getvalue()).info.get("icc_profile") == icc_profile  # the test can fail

    clean = reopened(check_upload("photo.jpg", output.getvalue()).content)

    assert "icc_profile" not in clean.info
    red, green, blue = clean.convert("RGB").getpixel((8, 8))
    assert abs(red - 200) < 12 and abs(green - 100) < 12 and abs(blue - 50) < 12


def test_a_palette_png_with_transparency_keeps_its_pixels() -> None:
    picture = image().quantize(4)
    picture.info["transparency"] = 0
    output = io.BytesIO()
    picture.save(output, "PNG", transparency=0)

    clean = reopened(check_upload("icon.png", output.getvalue()).content)

    assert clean.mode == "P" and clean.info.get("transparency") == 0
    assert clean.convert("RGB").tobytes() == picture.convert("RGB").tobytes()


@pytest.mark.security(10)
@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("photo.heic", b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", "photo.heic must be a JPEG, PNG or PDF"),
        ("letter.pdf", b"MZ\x90\0\x03\0\0\0" + b"\0" * 200, "letter.pdf must be a JPEG, PNG or PDF"),
        ("page.pdf", b"<html><script>alert(1)</script>", "page.pdf must be a JPEG, PNG or PDF"),
        # Starts like a JPEG or a PNG but is not one.
        (
            "photo.jpg",
            b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 20,
            "photo.jpg must be a JPEG, PNG or PDF",
        ),
        ("photo.png", png_with_text()[:60], "photo.png must be a JPEG, PNG or PDF"),
        ("letter.pdf", b"%PDF-" + b"0" * MAX_BYTES, "letter.pdf must be smaller than 10MB"),
        ("notes.pdf", b"", "notes.pdf is empty"),
        ("bomb.png", png_header_only(20_000, 20_000), "bomb.png must be smaller than 50 megapixels"),
        ("../../etc/evil.exe", b"MZ", "evil.exe must be a JPEG, PNG or PDF"),
    ],
)
def test_sec10_a_file_that_cannot_be_attached_gets_an_error_naming_it(
    name: str, content: bytes, error: str
) -> None:
    with pytest.raises(AttachmentRefused) as refused:
        check_upload(name, content)
    assert str(refused.value) == error


def test_up_to_five_files_and_one_error_for_each_that_fails() -> None:
    files = [(f"letter-{n}.pdf", PDF) for n in range(MAX_FILES)]

    clean, errors = check_uploads([*files, ("", b"")])  # a file field left empty is not a file
    assert [file.filename for file in clean] == [name for name, _ in files] and errors == []

    clean, errors = check_uploads([*files, ("extra.pdf", PDF)])
    assert errors == ["You can attach up to 5 files"] and len(clean) == MAX_FILES

    clean, errors = check_uploads([("photo.jpg", jpeg_with_exif()), ("virus.pdf", b"MZ"), ("empty.png", b"")])
    assert [file.filename for file in clean] == ["photo.jpg"]
    assert errors == ["virus.pdf must be a JPEG, PNG or PDF", "empty.png is empty"]


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\Sam\\Pictures\\photo.jpg", "photo.jpg"),
        ("bad\x00na\x1bme\u202egpj.pdf", "badnamegpj.pdf"),
        ("  .hidden.pdf ", "hidden.pdf"),
        ("", "attachment.pdf"),
        ("x" * 300 + ".pdf", "x" * 251 + ".pdf"),
    ],
)
def test_names_are_cleaned(given: str, kept: str) -> None:
    assert clean_filename(given, "application/pdf") == kept
    assert check_upload(given, PDF).filename == kept
