"""Custom profile fields: definitions an administrator configures, and each user's values."""

from __future__ import annotations

from coursegate.domain.context import Ctx
from coursegate.domain.errors import Collector, Duplicate, Invalid, Problem
from coursegate.domain.models import Page
from coursegate.domain.offering_models import ProfileFieldDefinition, ProfileFieldValue
from coursegate.domain.recording import record
from coursegate.platform.ids import new_uuid
from coursegate.store.community import ProfileFieldRepo
from coursegate.store.database import Unit

FIELD_TYPES = ("text", "number", "date", "country", "dropdown", "checkbox")
LABEL_MAX = 255
VALUE_MAX = 2000


async def define_field(
    ctx: Ctx, label: str, *, field_type: str = "text", required: bool = False
) -> ProfileFieldDefinition:
    """Add a definition (Thinkific v1 has no endpoint for it: seeding, CLI and tests)."""
    problems = Collector()
    if not label or not label.strip():
        problems.add("label", "required")
    elif len(label) > LABEL_MAX:
        problems.add("label", "too_long", count=LABEL_MAX)
    if field_type not in FIELD_TYPES:
        problems.add("field_type", "invalid_choice", value=field_type, choices=FIELD_TYPES)
    problems.raise_if_any()
    async with ctx.writing() as u:
        repo = ProfileFieldRepo(u)
        if await repo.label_taken(label.strip()):
            raise Duplicate(Problem("label", "taken", {"value": label.strip()}))
        position = await repo.count(repo.all())
        definition_id = await repo.create(
            {
                "uuid": new_uuid(),
                "label": label.strip(),
                "field_type": field_type,
                "required": required,
                "position": position,
            }
        )
        definition = (await repo.definitions())[definition_id]
        await record(
            u,
            "profile_field.created",
            "profile_field",
            definition.id,
            definition.uuid,
            {
                "id": definition.id,
                "uuid": definition.uuid,
                "label": definition.label,
                "field_type": field_type,
                "required": required,
            },
        )
        return definition


async def list_definitions(ctx: Ctx, offset: int, limit: int) -> Page[ProfileFieldDefinition]:
    async with ctx.reading() as u:
        repo = ProfileFieldRepo(u)
        stmt = repo.all()
        return Page(await repo.list_page(stmt, offset, limit), await repo.count(stmt))


async def values_of(ctx: Ctx, user_ids: list[int]) -> dict[int, list[ProfileFieldValue]]:
    if ctx.has_profile_fields is False:
        return {}  # no definitions, so no values
    async with ctx.reading() as u:
        return await ProfileFieldRepo(u).values_of(user_ids)


async def check_values(
    u: Unit,
    entries: list[tuple[int, str | None]] | None,
    *,
    user_id: int | None,
    skip_validation: bool,
) -> dict[int, str | None]:
    """Validate values given by definition id, before anything is written. Unknown
    definitions are always refused; required ones (missing or blank, counting values the user
    already has) are enforced unless the caller skips validation. `entries` None means the
    caller does not manage profile fields at all (other dialects, provisioning): no checks."""
    if entries is None:
        return {}
    repo = ProfileFieldRepo(u)
    definitions = await repo.definitions()
    given: dict[int, str | None] = {}
    problems = Collector()
    for definition_id, value in entries or []:
        if definition_id not in definitions:
            problems.add(
                "custom_profile_fields", "not_found", resource="custom profile field definition"
            )
            continue
        text = None if value is None else str(value)
        if text is not None and len(text) > VALUE_MAX:
            problems.add(definitions[definition_id].label, "too_long", count=VALUE_MAX)
            continue
        if text is not None and "\x00" in text:
            problems.add(definitions[definition_id].label, "invalid")
            continue
        given[definition_id] = text
    if not skip_validation:
        current: dict[int, str | None] = {}
        if user_id is not None:
            current = {v.definition_id: v.value for v in (await repo.values_of([user_id]))[user_id]}
        for definition in definitions.values():
            if not definition.required:
                continue
            value = given.get(definition.id, current.get(definition.id))
            if value is None or not value.strip():
                problems.add(definition.label, "required")
    problems.raise_if_any()
    return given


async def write_values(u: Unit, user_id: int, values: dict[int, str | None]) -> None:
    repo = ProfileFieldRepo(u)
    for definition_id, value in values.items():
        await repo.put_value(user_id, definition_id, value)


def require_pair(label: str | None, value: str | None) -> None:
    """The label and value filters only make sense together."""
    if (label is None) != (value is None):
        missing = "custom_profile_field_value" if value is None else "custom_profile_field_label"
        raise Invalid.one(missing, "required")
