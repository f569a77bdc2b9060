"""`coursegate catalog ...`: what Thinkific v1 cannot create over the API (bundles, profile
field definitions) and the site's app secret that signs inline site scripts."""

from __future__ import annotations

from typing import Annotated

import typer

from coursegate.store.database import Database

catalog_app = typer.Typer(
    help="Bundles, profile fields and the site-script secret.", no_args_is_help=True
)
SiteOption = Annotated[str, typer.Option("--site", help="The site's subdomain.")]


@catalog_app.command("scripts-secret")
def scripts_secret(site: SiteOption) -> None:
    """Print the site's app client secret (created on first use). Inline site scripts
    (`content`) must carry HMAC-SHA256-SIGNATURE = hex HMAC-SHA256(secret, content)."""
    from coursegate.domain import site_scripts
    from coursegate.platform.cli import _ctx, _run, out

    async def work(db: Database) -> str:
        return await site_scripts.app_secret(await _ctx(db, site))

    out.print(_run(work))


@catalog_app.command("bundle-create")
def bundle_create(
    name: str,
    site: SiteOption,
    course: Annotated[
        list[int] | None, typer.Option("--course", help="A course id (repeat).")
    ] = None,
    description: Annotated[str | None, typer.Option()] = None,
    published: Annotated[bool, typer.Option("--published")] = False,
) -> None:
    """Create a bundle of courses, with its product."""
    from coursegate.domain import bundles
    from coursegate.platform.cli import _ctx, _run, out

    async def work(db: Database) -> int:
        created = await bundles.create_bundle(
            await _ctx(db, site),
            name,
            course_ids=course or [],
            description=description,
            status="published" if published else "draft",
        )
        return created.id

    out.print(f"bundle {_run(work)}")


@catalog_app.command("bundle-add-course")
def bundle_add_course(bundle_id: int, course_id: int, site: SiteOption) -> None:
    """Add a course to a bundle; the bundle's students get it too."""
    from coursegate.domain import bundles
    from coursegate.platform.cli import _ctx, _run, err

    async def work(db: Database) -> None:
        await bundles.add_course_to_bundle(await _ctx(db, site), bundle_id, course_id)

    _run(work)
    err.print(f"added course {course_id} to bundle {bundle_id}")


@catalog_app.command("profile-field-add")
def profile_field_add(
    label: str,
    site: SiteOption,
    required: Annotated[bool, typer.Option("--required")] = False,
    field_type: Annotated[str, typer.Option("--type")] = "text",
) -> None:
    """Define a custom profile field users carry (Thinkific `custom_profile_fields`)."""
    from coursegate.domain import profile_fields
    from coursegate.platform.cli import _ctx, _run, out

    async def work(db: Database) -> int:
        definition = await profile_fields.define_field(
            await _ctx(db, site), label, field_type=field_type, required=required
        )
        return definition.id

    out.print(f"profile field {_run(work)}")
