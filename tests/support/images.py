"""Images made with Pillow for the attachment tests (no binary fixtures): a photo carrying the metadata
that must never leave the sender's phone (GPS position, camera make and model, the time, an XMP packet
and a comment), and a PNG with text chunks. Read them back with `reopened`."""

from __future__ import annotations

import io

from PIL import Image, PngImagePlugin

GPS_IFD = 0x8825
MAKE, MODEL, ORIENTATION, DATE_TIME = 0x010F, 0x0110, 0x0112, 0x0132
SECRET_PLACE = "14 Acacia Avenue"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description exif:GPSLatitude="51,30N"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def image(mode: str = "RGB", size: tuple[int, int] = (40, 20)) -> Image.Image:
    """Left half red, right half blue: which way up it is can be read back."""
    picture = Image.new(mode, size, "red")
    picture.paste("blue", (size[0] // 2, 0, size[0], size[1]))
    return picture


def jpeg_with_exif(orientation: int = 1, size: tuple[int, int] = (40, 20)) -> bytes:
    """A photo taken with a Canon at a known place (EXIF GPS), with an XMP packet and a comment."""
    exif = Image.Exif()
    exif[MAKE] = "Canon"
    exif[MODEL] = "EOS 5D"
    exif[DATE_TIME] = "2026:11:01 21:14:00"
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0)})
    output = io.BytesIO()
    image(size=size).save(
        output, "JPEG", exif=exif, xmp=XMP, comment=f"taken at {SECRET_PLACE}".encode(), quality=95
    )
    return output.getvalue()


def png_with_text() -> bytes:
    """A screenshot with text chunks (tEXt, compressed iTXt, an XMP packet) and an eXIf chunk."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", f"taken at {SECRET_PLACE}")
    info.add_itxt("Description", "home address", zip=True)
    info.add_text("XML:com.adobe.xmp", XMP.decode())
    exif = Image.Exif()
    exif[MAKE] = "Google"
    output = io.BytesIO()
    image().save(output, "PNG", pnginfo=info, exif=exif)
    return output.getvalue()


def reopened(content: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(content))
    picture.load()
    return picture
