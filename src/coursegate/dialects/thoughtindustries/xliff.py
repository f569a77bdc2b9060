"""XLIFF 1.2 and 2.0 documents for a course's translatable text: rendering, and safe parsing
with the standard library (documents carrying a DTD or entity declarations are refused, so no
external entity is ever fetched and no entity expansion can blow up)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from coursegate.domain.errors import Invalid
from coursegate.domain.translations import CourseTexts

NS_12 = "urn:oasis:names:tc:xliff:document:1.2"
NS_20 = "urn:oasis:names:tc:xliff:document:2.0"
VERSIONS = ("1.2", "2.0")
# Platform subject names -> unit id prefixes on the wire (chapters are TI sections).
WIRE_SUBJECTS = {"course": "course", "chapter": "section", "lesson": "lesson"}
SUBJECTS = {wire: platform for platform, wire in WIRE_SUBJECTS.items()}
_FORBIDDEN = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DECLARED_ENCODING = re.compile(r"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']""")


@dataclass(frozen=True, slots=True)
class Imported:
    version: str
    source_language: str | None
    target_language: str | None
    # (subject type, subject uuid, field) -> translated text
    targets: dict[tuple[str, str, str], str]


def unit_id(subject_type: str, subject_uuid: str, field_name: str) -> str:
    return f"{WIRE_SUBJECTS[subject_type]}.{subject_uuid}.{field_name}"


def _refuse(reason: str) -> Invalid:
    return Invalid.one("body", "not_allowed", reason=reason)


def _xml_text(text: str) -> str:
    """Drop the control characters XML 1.0 cannot carry (JSON input may contain them)."""
    return _NOT_XML.sub("", text)


def render(texts: CourseTexts, version: str) -> bytes:
    course = texts.course
    if version == "2.0":
        root = ET.Element("xliff", {"xmlns": NS_20, "version": "2.0", "srcLang": course.language})
        if texts.language:
            root.set("trgLang", texts.language)
        file = ET.SubElement(
            root, "file", {"id": f"course.{course.uuid}", "original": f"course/{course.slug}"}
        )
        for t in texts.texts:
            unit = ET.SubElement(
                file,
                "unit",
                {"id": unit_id(t.subject_type, t.subject_uuid, t.field), "name": t.field},
            )
            segment = ET.SubElement(
                unit, "segment", {"state": "translated" if t.target is not None else "initial"}
            )
            ET.SubElement(segment, "source").text = _xml_text(t.source)
            if t.target is not None:
                ET.SubElement(segment, "target").text = _xml_text(t.target)
    else:
        root = ET.Element("xliff", {"xmlns": NS_12, "version": "1.2"})
        attributes = {
            "original": f"course/{course.slug}",
            "source-language": course.language,
            "datatype": "html",
        }
        if texts.language:
            attributes["target-language"] = texts.language
        body = ET.SubElement(ET.SubElement(root, "file", attributes), "body")
        for t in texts.texts:
            unit = ET.SubElement(
                body,
                "trans-unit",
                {"id": unit_id(t.subject_type, t.subject_uuid, t.field), "resname": t.field},
            )
            ET.SubElement(unit, "source").text = _xml_text(t.source)
            if t.target is not None:
                ET.SubElement(unit, "target", {"state": "translated"}).text = _xml_text(t.target)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _subject(raw_id: str | None) -> tuple[str, str, str]:
    parts = (raw_id or "").split(".")
    if len(parts) != 3 or parts[0] not in SUBJECTS:
        raise _refuse(f"Unknown translation unit id '{(raw_id or '')[:120]}'.")
    return SUBJECTS[parts[0]], parts[1], parts[2]


def _text(element: ET.Element | None) -> str | None:
    """The element's full text content (inline markup kept as its text)."""
    return None if element is None else "".join(element.itertext())


def parse(raw: bytes) -> Imported:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse("XLIFF documents must be UTF-8 encoded.") from None
    if not text.strip():
        raise _refuse("Request body must be an XLIFF document.")
    declared = _DECLARED_ENCODING.match(text)
    if declared and declared.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise _refuse("XLIFF documents must be UTF-8 encoded.")
    if _FORBIDDEN.search(text):
        raise _refuse("XML documents with a DTD or entity declarations are not accepted.")
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise _refuse(f"Request body is not well-formed XML ({exc}).") from None
    if root.tag == f"{{{NS_12}}}xliff":
        return _parse_12(root)
    if root.tag == f"{{{NS_20}}}xliff":
        return _parse_20(root)
    raise _refuse("Request body is not an XLIFF 1.2 or 2.0 document.")


def _parse_12(root: ET.Element) -> Imported:
    ns = {"x": NS_12}
    files = root.findall("x:file", ns)
    if not files:
        raise _refuse("The XLIFF document has no <file> element.")
    targets: dict[tuple[str, str, str], str] = {}
    languages = {f.get("target-language") for f in files}
    for unit in root.iterfind("x:file/x:body//x:trans-unit", ns):
        target = _text(unit.find("x:target", ns))
        if target is not None and target.strip():
            targets[_subject(unit.get("id"))] = target
    if len(languages) > 1:
        raise _refuse("All <file> elements must have the same target-language.")
    return Imported("1.2", files[0].get("source-language"), languages.pop(), targets)


def _parse_20(root: ET.Element) -> Imported:
    ns = {"x": NS_20}
    targets: dict[tuple[str, str, str], str] = {}
    for unit in root.iterfind("x:file//x:unit", ns):
        pieces = [_text(s.find("x:target", ns)) for s in unit.findall("x:segment", ns)]
        if pieces and all(p is not None for p in pieces):
            joined = "".join(p or "" for p in pieces)
            if joined.strip():
                targets[_subject(unit.get("id"))] = joined
    return Imported("2.0", root.get("srcLang"), root.get("trgLang"), targets)
