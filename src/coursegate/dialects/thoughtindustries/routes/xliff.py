"""XLIFF export and import of a course's text: /content/:type/:id.xlf (docs/compat: XLIFF)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from coursegate.dialects.thoughtindustries import xliff
from coursegate.dialects.thoughtindustries.mappers import KIND_OF_TYPE
from coursegate.dialects.thoughtindustries.paging import envelope
from coursegate.dialects.thoughtindustries.schemas import Errors
from coursegate.dialects.thoughtindustries.schemas_structure import Wrapped
from coursegate.domain import translations
from coursegate.domain.errors import Invalid, NotFound
from coursegate.domain.models import Course
from coursegate.platform.http import ctx_of, json

router = APIRouter(tags=["Content"])
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": Errors}, 404: {"model": Errors}}
# `course`, or the course's own kind (courseGroup, article, video, ...).
TYPES = sorted({"course", *KIND_OF_TYPE.values()})
XML = "application/xml"


def _check_type(content_type: str) -> None:
    if content_type not in TYPES:
        raise NotFound("content", content_type)


def _matches(content_type: str, course: Course) -> None:
    if content_type != "course" and KIND_OF_TYPE.get(course.course_type) != content_type:
        raise NotFound("content", content_type)


@router.get(
    "/content/{type}/{id}.xlf",
    responses={200: {"content": {XML: {}}}, **ERRORS},
    operation_id="exportXliff",
)
async def export_xliff(
    request: Request,
    type: str,
    id: str,
    version: Annotated[str, Query(description="1.2 (default) or 2.0")] = "1.2",
    language: Annotated[str | None, Query(description="Target language, e.g. de")] = None,
) -> Response:
    _check_type(type)
    if version not in xliff.VERSIONS:
        raise Invalid.one("version", "invalid_choice", value=version, choices=xliff.VERSIONS)
    texts = await translations.course_texts(ctx_of(request), id, language or None)
    _matches(type, texts.course)
    filename = f"{texts.course.slug}{'.' + texts.language if texts.language else ''}.xlf"
    return Response(
        xliff.render(texts, version),
        media_type=XML,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.put(
    "/content/{type}/{id}.xlf", response_model=Wrapped, responses=ERRORS, operation_id="importXliff"
)
@router.post(
    "/content/{type}/{id}.xlf", response_model=Wrapped, responses=ERRORS, include_in_schema=False
)
async def import_xliff(
    request: Request,
    type: str,
    id: str,
    language: Annotated[
        str | None, Query(description="Target language; defaults to the document's")
    ] = None,
) -> Response:
    _check_type(type)
    document = xliff.parse(await request.body())
    target = language or document.target_language
    if not target:
        raise Invalid.one("language", "required")
    if language and document.target_language and language != document.target_language:
        raise Invalid.one(
            "language",
            "not_allowed",
            reason=f"language '{language}' differs from the document's target language "
            f"'{document.target_language}'.",
        )
    ctx = ctx_of(request)
    texts = await translations.course_texts(ctx, id, None)
    _matches(type, texts.course)
    entries = [(kind, uuid, name, text) for (kind, uuid, name), text in document.targets.items()]
    count = await translations.import_texts(ctx, id, target, entries)
    payload = {
        "id": texts.course.uuid,
        "language": target,
        "version": document.version,
        "translatedCount": count,
    }
    return json(envelope(request, "APIImportXliff", payload))
