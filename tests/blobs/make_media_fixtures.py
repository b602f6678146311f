#!/usr/bin/env python3
"""Writes the small document fixtures of the media tests into the directory given as argv[1].

Generated at test time (never committed as binaries): PDFs with author metadata in the forms real
producers use, OOXML/ODF packages, a zip bomb (argument "bomb"), a zip whose headers lie, and
files that must be refused (a Windows executable, a script, a web page).
"""
import os
import random
import struct
import sys
import zipfile
import zlib


def pdf(objects, trailer_extra=""):
    """A well-formed PDF with the given object bodies (1-based), with an xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer_extra.encode(), xref)
    return bytes(out)


PAGES = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
]

XMP = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
       b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
       b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
       b'<dc:creator><rdf:Seq><rdf:li>Ana Garc&#237;a</rdf:li></rdf:Seq></dc:creator>'
       b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>')

CORE = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:title>Unit plan</dc:title><dc:creator>Maria Lopez</dc:creator>'
        '<cp:lastModifiedBy>Jamal O&apos;Neil</cp:lastModifiedBy></cp:coreProperties>')

CORE_CLEAN = ('<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties '
              'xmlns:cp="x" xmlns:dc="y"><dc:title>Unit plan</dc:title><dc:creator/>'
              '<cp:lastModifiedBy></cp:lastModifiedBy></cp:coreProperties>')

META = ('<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="o" '
        'xmlns:meta="m" xmlns:dc="d"><office:meta><meta:initial-creator>Li Wei</meta:initial-creator>'
        '<dc:creator>Li Wei</dc:creator></office:meta></office:document-meta>')


def docx(path, core):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        if core is not None:
            z.writestr("docProps/core.xml", core)


def bomb(d):
    """A zip bomb: core.xml is a few kilobytes that inflate to 64 MiB of spaces."""
    with zipfile.ZipFile(os.path.join(d, "bomb.docx"), "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("word/document.xml", "<w:document/>")
        with z.open("docProps/core.xml", "w", force_zip64=True) as f:
            f.write(b"<dc:creator>")
            block = b" " * (1 << 20)
            for _ in range(64):
                f.write(block)
            f.write(b"Hidden Name</dc:creator>")


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    if sys.argv[2:] == ["bomb"]:
        bomb(d)
        return

    def write(name, data):
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)

    info = b"<< /Author (Maria Lopez) /Title (Unit \\(plan\\)) /Producer (Word) >>"
    write("author.pdf", pdf(PAGES + [info], "/Info 4 0 R "))
    # UTF-16BE hex string, as many producers write non-ASCII names.
    hexname = "FEFF" + "José Núñez".encode("utf-16-be").hex().upper()
    write("author_hex.pdf", pdf(PAGES + [b"<< /Author <%s> >>" % hexname.encode()], "/Info 4 0 R "))
    packed = zlib.compress(XMP)
    meta = b"<< /Type /Metadata /Subtype /XML /Filter /FlateDecode /Length %d >>\nstream\n" % len(
        packed) + packed + b"\nendstream"
    write("author_xmp.pdf", pdf(PAGES + [meta]))
    # The Info dictionary may point at the string instead of holding it.
    write("author_ref.pdf", pdf(PAGES + [b"<< /Author 5 0 R >>", b"(Priya Patel)"], "/Info 4 0 R "))
    write("clean.pdf", pdf(PAGES + [b"<< /Title (Unit plan) /Author () >>"], "/Info 4 0 R "))

    docx(os.path.join(d, "author.docx"), CORE)
    docx(os.path.join(d, "clean.docx"), CORE_CLEAN)
    with zipfile.ZipFile(os.path.join(d, "author.odt"), "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
        z.writestr("meta.xml", META, zipfile.ZIP_DEFLATED)
    # Central directory entries whose offsets and sizes point far outside the file.
    good = open(os.path.join(d, "author.docx"), "rb").read()
    cd = good.rfind(b"PK\x01\x02")
    liar = bytearray(good)
    struct.pack_into("<I", liar, cd + 20, 0x7FFFFFF0)  # compressed size
    struct.pack_into("<I", liar, cd + 42, 0x7FFFFFF0)  # local header offset
    write("liar.docx", bytes(liar))
    with zipfile.ZipFile(os.path.join(d, "plain.zip"), "w") as z:
        z.writestr("notes/readme.txt", "hello")

    # A minimal PE image: MZ header pointing at a PE signature and an i386 COFF header.
    mz = bytearray(128)
    mz[0:2] = b"MZ"
    struct.pack_into("<I", mz, 0x3C, 0x40)
    mz[0x40:0x44] = b"PE\0\0"
    struct.pack_into("<HHIIIHH", mz, 0x44, 0x14C, 1, 0, 0, 0, 0xE0, 0x102)
    pe = bytes(mz) + bytes(0xE0)
    pe = bytearray(pe)
    struct.pack_into("<H", pe, 0x58, 0x10B)  # PE32 optional header magic
    write("homework.pdf.exe", bytes(pe))
    write("essay.pdf", bytes(pe))  # the name lies: the bytes decide
    write("run.sh", b"#!/bin/sh\necho hello\n")
    write("notes.txt", b"#include <stdio.h>\nint main(void) { return 0; }\n")
    write("reflection.md", b"# My reflection\n\nThe lesson went *well* because students talked.\n")
    write("page.html", b"<!DOCTYPE html><html><head><title>x</title></head><body>hi</body></html>")
    write("empty.bin", b"")
    rng = random.Random(7)
    write("random.bin", bytes(rng.randrange(256) for _ in range(4096)))


if __name__ == "__main__":
    main()
