"""Plain text: the first non-empty line is the title, the rest the description."""

from __future__ import annotations

from matcher.program import Program, program_from_dict
from matcher.readers import Reader, decode_text, register


def _read_text(content: bytes, filename: str) -> Program:
    lines = [ln.rstrip() for ln in decode_text(content).splitlines()]
    non_empty = [ln for ln in lines if ln.strip()]
    title = non_empty[0].strip() if non_empty else ""
    rest = "\n".join(lines[lines.index(non_empty[0]) + 1 :]).strip() if non_empty else ""
    return program_from_dict({"title": title, "description": rest}, source_file=filename)


register(Reader("text", (".txt", ".text"), _read_text))
