"""XLIFF export/import of a course's text, both versions, and refusal of unsafe XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tests import builders
from tests.conftest import Tenant
from tests.event_log import event_types

NS12 = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
NS20 = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
OPEN_12 = b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">'
NO_LESSON = b"lesson.00000000-0000-0000-0000-000000000000.title"


async def _course(tenant: Tenant):  # type: ignore[no-untyped-def]
    course = await builders.course(
        tenant.ctx, title="Safety & Health", description="<p>Stay <b>safe</b></p>"
    )
    chapter = await builders.chapter(tenant.ctx, course.id, "Basics")
    lesson = await builders.lesson(tenant.ctx, chapter.id, "First steps")
    return course, chapter, lesson


async def test_export_12_then_translate_and_import_round_trips(tenant: Tenant) -> None:
    course, chapter, lesson = await _course(tenant)
    path = f"/content/course/{course.uuid}.xlf"
    exported = await tenant.ti("GET", path, params={"language": "de"})
    assert exported.status_code == 200 and exported.headers["content-type"].startswith(
        "application/xml"
    )
    root = ET.fromstring(exported.content)
    file = root.find("x:file", NS12)
    assert root.get("version") == "1.2" and file is not None
    assert file.get("source-language") == "en" and file.get("target-language") == "de"
    units = {u.get("id"): u for u in root.iterfind(".//x:trans-unit", NS12)}
    assert set(units) == {
        f"course.{course.uuid}.title",
        f"course.{course.uuid}.description",
        f"section.{chapter.uuid}.title",
        f"lesson.{lesson.uuid}.title",
    }
    assert (
        units[f"course.{course.uuid}.description"].findtext("x:source", namespaces=NS12)
        == "<p>Stay <b>safe</b></p>"
    )
    assert all(u.find("x:target", NS12) is None for u in units.values())

    german = {
        f"course.{course.uuid}.title": "Sicherheit & Gesundheit",
        f"section.{chapter.uuid}.title": "Grundlagen",
        f"lesson.{lesson.uuid}.title": "Erste Schritte",
    }
    for unit_id, text in german.items():
        ET.SubElement(units[unit_id], f"{{{NS12['x']}}}target").text = text
    imported = await tenant.ti(
        "PUT",
        path,
        content=ET.tostring(root, encoding="utf-8", xml_declaration=True),
        headers={"Content-Type": "application/xml"},
    )
    assert imported.status_code == 200, imported.text
    assert imported.json()["data"]["APIImportXliff"] == {
        "id": course.uuid,
        "language": "de",
        "version": "1.2",
        "translatedCount": 3,
    }
    assert (await event_types(tenant.ctx))[-1] == "course.translations_imported"

    again = ET.fromstring((await tenant.ti("GET", path, params={"language": "de"})).content)
    targets = {
        u.get("id"): u.findtext("x:target", namespaces=NS12)
        for u in again.iterfind(".//x:trans-unit", NS12)
    }
    assert targets == {**german, f"course.{course.uuid}.description": None}
    french = ET.fromstring((await tenant.ti("GET", path, params={"language": "fr"})).content)
    assert french.find(".//x:target", NS12) is None
    # The platform's own text is untouched.
    assert (await tenant.ti("GET", f"/courses/{course.uuid}")).json()["title"] == "Safety & Health"


async def test_export_and_import_20(tenant: Tenant) -> None:
    course, chapter, _lesson = await _course(tenant)
    path = f"/content/courseGroup/{course.uuid}.xlf"
    exported = await tenant.ti("GET", path, params={"version": "2.0", "language": "es"})
    root = ET.fromstring(exported.content)
    assert (
        root.get("version") == "2.0" and root.get("srcLang") == "en" and root.get("trgLang") == "es"
    )
    unit = next(
        u
        for u in root.iterfind(".//x:unit", NS20)
        if u.get("id") == f"section.{chapter.uuid}.title"
    )
    segment = unit.find("x:segment", NS20)
    assert segment is not None and segment.get("state") == "initial"
    ET.SubElement(segment, f"{{{NS20['x']}}}target").text = "Conceptos básicos"
    response = await tenant.ti("POST", path, content=ET.tostring(root, encoding="utf-8"))
    assert (
        response.status_code == 200
        and response.json()["data"]["APIImportXliff"]["translatedCount"] == 1
    )
    back = ET.fromstring(
        (await tenant.ti("GET", path, params={"version": "2.0", "language": "es"})).content
    )
    unit = next(
        u
        for u in back.iterfind(".//x:unit", NS20)
        if u.get("id") == f"section.{chapter.uuid}.title"
    )
    assert unit.findtext("x:segment/x:target", namespaces=NS20) == "Conceptos básicos"
    assert unit.find("x:segment", NS20).get("state") == "translated"  # type: ignore[union-attr]


async def test_unsafe_or_invalid_documents_are_refused(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    course, _chapter, _lesson = await _course(tenant)
    path = f"/content/course/{course.uuid}.xlf"
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        + OPEN_12
        + b'<file target-language="de"><body><trans-unit id="course.'
        + course.uuid.encode()
        + b'.title"><source>a</source><target>&e;</target></trans-unit></body></file></xliff>'
    )
    refused = await tenant.ti("PUT", path, content=xxe)
    assert refused.status_code == 400
    assert refused.json() == {
        "errors": ["XML documents with a DTD or entity declarations are not accepted."]
    }
    broken = await tenant.ti("PUT", path, content=b"<xliff><file>")
    assert broken.status_code == 400 and broken.json()["errors"][0].startswith(
        "Request body is not well-formed XML"
    )
    not_xliff = await tenant.ti("PUT", path, content=b"<html/>")
    assert not_xliff.json() == {"errors": ["Request body is not an XLIFF 1.2 or 2.0 document."]}
    utf16 = await tenant.ti(
        "PUT", path, content='<?xml version="1.0" encoding="UTF-16"?><x/>'.encode("utf-16")
    )
    assert utf16.status_code == 400 and "UTF-8" in utf16.json()["errors"][0]
    foreign = (
        OPEN_12
        + b'<file target-language="de"><body><trans-unit id="'
        + NO_LESSON
        + b'"><source>a</source>'
        + b"<target>b</target></trans-unit></body></file></xliff>"
    )
    unknown = await tenant.ti("PUT", path, content=foreign)
    assert unknown.status_code == 400 and "unit" in unknown.json()["errors"][0]
    no_language = await tenant.ti(
        "PUT", path, content=foreign.replace(b' target-language="de"', b"")
    )
    assert no_language.status_code == 400 and no_language.json() == {
        "errors": ["Field 'language' is required."]
    }
    differs = await tenant.ti("PUT", path, params={"language": "fr"}, content=foreign)
    assert differs.status_code == 400 and "differs" in differs.json()["errors"][0]

    bad_version = await tenant.ti("GET", path, params={"version": "3.0"})
    assert bad_version.status_code == 400 and "version" in bad_version.json()["errors"][0]
    bad_language = await tenant.ti("GET", path, params={"language": "German!"})
    assert bad_language.status_code == 400
    wrong_kind = await tenant.ti("GET", f"/content/video/{course.uuid}.xlf")
    assert wrong_kind.status_code == 404 and wrong_kind.json() == {"errors": ["Content not found."]}
    hidden = await other_tenant.ti("GET", path)
    assert hidden.status_code == 404 and hidden.json() == {"errors": ["Course not found."]}
    assert "course.translations_imported" not in await event_types(tenant.ctx)


async def test_export_is_well_formed_even_with_control_characters(tenant: Tenant) -> None:
    created = await tenant.ti(
        "POST", "/courses", json={"title": "Bell\u0007 course", "courseType": "course"}
    )
    assert created.status_code == 201
    course_id = created.json()["id"]
    section = await tenant.ti(
        "POST",
        f"/courses/{course_id}/sections",
        json={"title": "Tab\tand\u0001", "description": "<script>x</script><p>ok</p>"},
    )
    assert section.status_code == 201
    for version in ("1.2", "2.0"):
        exported = await tenant.ti(
            "GET", f"/content/course/{course_id}.xlf", params={"version": version}
        )
        root = ET.fromstring(exported.content)
        sources = ["".join(s.itertext()) for s in root.iter() if s.tag.endswith("source")]
        assert "Bell course" in sources and "Tab\tand" in sources
