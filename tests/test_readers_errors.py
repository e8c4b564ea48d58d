"""Bad input to the readers: encrypted and image-only PDFs, damaged DOCX/XLSX/ZIP, zip bombs,
oversized files, spreadsheets without the mapped columns, unknown types. Every fixture is a
real file written at test time."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
import readers_welding as W

from matcher.errors import BadInputError, TooLargeError, UnsupportedFormatError
from matcher.readers import MAX_FILE_BYTES, parse_program, read_program, read_programs
from matcher.readers.pdf import MAX_PAGES


def _pdf_bytes(pdf) -> bytes:  # type: ignore[no-untyped-def]
    return bytes(pdf.output())


def test_password_protected_pdf_is_refused_clearly() -> None:
    pdf = W.pdf_document()
    pdf.set_encryption(owner_password="owner-secret", user_password="open-sesame")
    with pytest.raises(BadInputError, match=r"encrypted \(password-protected\)"):
        parse_program(_pdf_bytes(pdf), "secret.pdf")


def test_pdf_secured_without_an_open_password_is_read() -> None:
    from fpdf.enums import EncryptionMethod

    pdf = W.pdf_document()
    pdf.set_encryption(owner_password="owner-secret", encryption_method=EncryptionMethod.AES_128)
    p = parse_program(_pdf_bytes(pdf), "secured.pdf")
    assert [c.code for c in p.courses] == W.CODES


def test_image_only_pdf_says_there_is_no_text_layer() -> None:
    from fpdf import FPDF
    from PIL import Image

    img = Image.new("RGB", (400, 200), "white")
    for x in range(50, 350):  # a dark bar, like a scanned line of text
        for y in range(90, 110):
            img.putpixel((x, y), (20, 20, 20))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(io.BytesIO(buf.getvalue()), x=10, y=10, w=180)
    with pytest.raises(BadInputError) as exc:
        parse_program(_pdf_bytes(pdf), "scan.pdf")
    assert "no text layer" in exc.value.message and "OCR is not supported" in exc.value.message
    assert "2 pages" in exc.value.message


def test_pdf_over_the_page_limit() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(MAX_PAGES + 1):
        pdf.add_page()
    with pytest.raises(TooLargeError, match=f"{MAX_PAGES + 1} pages; the limit is {MAX_PAGES}"):
        parse_program(_pdf_bytes(pdf), "huge.pdf")


@pytest.mark.parametrize("name", ["broken.pdf", "broken.docx", "broken.xlsx"])
def test_damaged_files_are_bad_input(name: str) -> None:
    with pytest.raises(BadInputError, match="not a (valid|readable)"):
        parse_program(b"this is not what the extension says " * 10, name)


def test_truncated_docx_and_zip_without_document(tmp_path: Path) -> None:
    data = W.write_docx(tmp_path).read_bytes()
    with pytest.raises(BadInputError, match="not a valid DOCX"):
        parse_program(data[: len(data) // 2], "truncated.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "not a word document")
    with pytest.raises(BadInputError, match=r"word/document\.xml is missing"):
        parse_program(buf.getvalue(), "empty.docx")


def test_zip_bomb_docx_is_refused(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<w:document/>")
        zf.writestr("word/media/bomb.bin", b"\0" * (8 * 1024 * 1024))  # ~1000-fold expansion
    assert len(buf.getvalue()) < 64 * 1024
    with pytest.raises(TooLargeError, match="zip bomb"):
        parse_program(buf.getvalue(), "bomb.docx")


def test_oversized_file_is_too_large(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_bytes(b"# Welding\n" + b"a" * MAX_FILE_BYTES)
    with pytest.raises(TooLargeError, match="limit"):
        read_program(big)


def test_csv_without_the_mapped_columns_names_them(tmp_path: Path) -> None:
    f = tmp_path / "courses.csv"
    f.write_text("Code,Summary,Hours\nWLD-110,Stick welding,75\n")
    with pytest.raises(BadInputError) as exc:
        read_program(f)
    msg = exc.value.message
    assert "missing required column(s): title" in msg and "course title" in msg
    assert "'Code', 'Summary', 'Hours'" in msg
    assert exc.value.details["missing_columns"] == ["title"]


def test_etpl_csv_given_as_course_list_gets_a_hint(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="--format etpl"):
        read_program(W.write_etpl_csv(tmp_path))


def test_etpl_file_with_several_records_is_several_programs(tmp_path: Path) -> None:
    f = tmp_path / "many.jsonl"
    second = {**W.etpl_record(), "id": "nj-test-2", "title": "Pipe Welding"}
    f.write_text(json.dumps(W.etpl_record()) + "\n" + json.dumps(second) + "\n")
    with pytest.raises(BadInputError, match=r"holds 2 programs; choose one with --id ID or --index N") as exc:
        read_program(f)
    assert [p["id"] for p in exc.value.details["programs"]] == ["nj-test-1", "nj-test-2"]
    assert read_program(f, index=2).title == "Pipe Welding"
    assert read_program(f, program_id="nj-test-1").title == W.TITLE
    assert [p.title for p in read_programs(f)] == [W.TITLE, "Pipe Welding"]
    with pytest.raises(BadInputError, match="--index must be 1 to 2, not 3"):
        read_program(f, index=3)


@pytest.mark.parametrize(
    ("name", "needle"),
    [("program.exe", "cannot tell the format"), ("syllabus.doc", "save the document as .docx")],
)
def test_unknown_types_are_unsupported(name: str, needle: str) -> None:
    with pytest.raises(UnsupportedFormatError, match=needle):
        parse_program(b"\x00\x01binary stuff", name)


def test_binary_formats_are_sniffed_without_an_extension(tmp_path: Path) -> None:
    for write in (W.write_pdf, W.write_docx, W.write_xlsx):
        p = parse_program(write(tmp_path).read_bytes(), "upload")
        assert [c.code for c in p.courses] == W.CODES


def test_jsonld_without_a_typed_resource() -> None:
    doc = {"@context": "https://schema.org", "@graph": [{"name": "untyped"}]}
    with pytest.raises(BadInputError, match="no typed resource"):
        parse_program(json.dumps(doc).encode(), "p.jsonld")


def test_plain_program_json_still_reads_as_before(etpl: dict[str, dict]) -> None:
    p = parse_program(json.dumps(etpl["nj-40812"]).encode(), "p.json")
    assert p.title == "Welding" and p.courses == [] and p.description_spans == []
    assert [u.source.label() for u in p.iter_units()][:2] == ["p.json, title", "p.json, description"]
