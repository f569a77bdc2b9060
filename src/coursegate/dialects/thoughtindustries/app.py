"""The Thought Industries incoming/v2 dialect, served at /incoming/v2."""

from __future__ import annotations

from fastapi import FastAPI

from coursegate.dialects.thoughtindustries import errors
from coursegate.dialects.thoughtindustries.routes import (
    assessments,
    certifications,
    commerce,
    content,
    courses,
    external_activity,
    logs,
    meetings,
    panorama,
    ping,
    users,
)
from coursegate.dialects.thoughtindustries.routes import bulk as bulk_routes
from coursegate.dialects.thoughtindustries.routes import course_groups as course_group_routes
from coursegate.dialects.thoughtindustries.routes import course_list as course_list_routes
from coursegate.dialects.thoughtindustries.routes import events as event_feeds
from coursegate.dialects.thoughtindustries.routes import structure as structure_routes
from coursegate.dialects.thoughtindustries.routes import users_extras as user_extra_routes
from coursegate.dialects.thoughtindustries.routes import xliff as xliff_routes
from coursegate.dialects.thoughtindustries.wire import ThoughtIndustriesWire
from coursegate.platform.api_app import build_api
from coursegate.platform.gate import Services

PREFIX = "/incoming/v2"
ROUTERS = [ping.router, courses.router, content.router, users.router]
ROUTERS += [structure_routes.router]
ROUTERS += [bulk_routes.router]
ROUTERS += [course_group_routes.router]
ROUTERS += [course_list_routes.router]
ROUTERS += [user_extra_routes.router]
ROUTERS += [xliff_routes.router]
ROUTERS.append(commerce.router)
ROUTERS += [
    assessments.router,
    external_activity.router,
    meetings.router,
    panorama.router,
    logs.router,
]
ROUTERS += [certifications.router]
ROUTERS.append(event_feeds.router)


def build(services: Services) -> FastAPI:
    return build_api(
        title="coursegate — Thought Industries REST API incoming/v2",
        version="v2",
        description="Thought Industries-compatible REST API served by coursegate. "
        "Authenticate with `Authorization: Bearer <key>`.",
        prefix=PREFIX,
        routers=ROUTERS,
        install_errors=errors.install,
        wire=ThoughtIndustriesWire(),
        services=services,
        crash_body={"errors": ["Internal server error."]},
    )
