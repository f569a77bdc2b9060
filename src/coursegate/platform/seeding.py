"""Seeding a site at scale: users, courses with chapters and lessons, enrollments, events.

Rows are generated here (ids reserved up front, UUIDs and times made in Python) and written
in batches through `store.bulk.BulkWriter`, all in one transaction: the seed lands whole or
not at all. Derived values are set consistently: each course's `enrollment_count`, the
maintained row counters, and one creation event per seeded entity (the event log is the
same one the API writes), topped up with progress updates when more events are asked for.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from coursegate.domain.context import Ctx
from coursegate.domain.errors import Invalid
from coursegate.store.bulk import BulkWriter, settle_bulk_load
from coursegate.store.catalog import InstructorRepo
from coursegate.store.counters import bump, event_counter
from coursegate.store.tables.catalog import chapters, courses, lessons, products
from coursegate.store.tables.events import events
from coursegate.store.tables.learning import enrollments
from coursegate.store.tables.people import users

BATCH = 5000
LESSONS_PER_CHAPTER = 5
TOPICS = (
    "Python",
    "Security",
    "Leadership",
    "Negotiation",
    "Accounting",
    "Design",
    "Marketing",
    "Compliance",
    "Statistics",
    "Writing",
    "Onboarding",
    "Kubernetes",
    "Sales",
    "Privacy",
)
LEVELS = ("Introduction to", "Practical", "Advanced", "Essentials of", "Mastering")
FIRST_NAMES = ("Ada", "Bob", "Chen", "Dana", "Eve", "Farah", "Gus", "Hana", "Ivan", "Jo")
LAST_NAMES = ("Smith", "Nguyen", "Okafor", "Kim", "Haddad", "Mendes", "Patel", "Berg")
COURSE_TYPES = ("course", "course", "course", "course", "video", "webinar", "article")


@dataclass(frozen=True, slots=True)
class Scale:
    users: int
    courses: int
    lessons_per_course: int
    enrollments: int
    events: int | None = None  # None: one creation event per seeded entity

    @property
    def chapters_per_course(self) -> int:
        return -(-self.lessons_per_course // LESSONS_PER_CHAPTER)

    @property
    def creation_events(self) -> int:
        per_course = 1 + self.chapters_per_course + self.lessons_per_course
        return self.users + self.courses * per_course + self.enrollments

    @property
    def event_total(self) -> int:
        return self.creation_events if self.events is None else self.events

    @property
    def rows(self) -> int:
        """Rows written, for progress: entities (products, chapters included) and events."""
        per_course = 2 + self.chapters_per_course + self.lessons_per_course
        return self.users + self.courses * per_course + self.enrollments + self.event_total

    def check(self) -> None:
        for name in ("users", "courses", "lessons_per_course", "enrollments"):
            if getattr(self, name) < 0:
                raise Invalid.one(name, "out_of_range", minimum=0, maximum="infinity")
        if self.events is not None and self.events < 0:
            raise Invalid.one("events", "out_of_range", minimum=0, maximum="infinity")
        # Each (user, course) pair is enrolled at most once.
        if self.enrollments > self.users * self.courses:
            raise Invalid.one(
                "enrollments", "out_of_range", minimum=0, maximum=self.users * self.courses
            )


class Uuid7:
    """Time-ordered UUIDs (RFC 9562 version 7, with a counter in the random bits): rows are
    appended to the uuid indexes in order instead of landing at random pages."""

    def __init__(self) -> None:
        self.prefix = (int(time.time() * 1000) & ((1 << 48) - 1)) << 80 | 0x7 << 76
        self.n = secrets.randbits(40)

    def __call__(self) -> str:
        self.n += 1
        n = self.n
        value = self.prefix | ((n >> 62) & 0xFFF) << 64 | 0b10 << 62 | (n & ((1 << 62) - 1))
        h = f"{value:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _batches(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _spread(start: datetime, end: datetime, count: int) -> Callable[[int], datetime]:
    """The i-th of `count` instants evenly spaced from start to end."""
    step = (end - start) / max(count, 1)
    return lambda i: start + step * i


def _course_of(k: int, scale: Scale) -> tuple[int, int]:
    """Enrollment k as (user index, course index): users round-robin, each user's j-th
    enrollment in course (user + j) mod courses, so no pair repeats while k < users*courses."""
    user = k % scale.users
    return user, (user + k // scale.users) % scale.courses


USER_COLUMNS = (
    "id",
    "uuid",
    "email",
    "email_key",
    "first_name",
    "last_name",
    "roles",
    "status",
    "external_source",
    "created_at",
    "updated_at",
)
COURSE_COLUMNS = (
    "id",
    "uuid",
    "title",
    "slug",
    "course_type",
    "status",
    "description",
    "authors",
    "custom_fields",
    "is_free",
    "language",
    "reviews_enabled",
    "price_cents",
    "enrollment_count",
    "instructor_id",
    "created_at",
    "updated_at",
    "published_at",
)
PRODUCT_COLUMNS = (
    "uuid",
    "productable_type",
    "productable_id",
    "name",
    "slug",
    "status",
    "position",
    "private",
    "hidden",
    "price_cents",
    "currency",
    "created_at",
)
CHAPTER_COLUMNS = ("id", "uuid", "course_id", "title", "slug", "position", "created_at")
LESSON_COLUMNS = (
    "id",
    "uuid",
    "course_id",
    "chapter_id",
    "title",
    "slug",
    "position",
    "kind",
    "free_preview",
    "duration_seconds",
    "created_at",
)
ENROLLMENT_COLUMNS = (
    "id",
    "uuid",
    "user_id",
    "course_id",
    "activated_at",
    "expiry_date",
    "started_at",
    "completed_at",
    "percentage_completed",
    "source",
    "created_at",
    "updated_at",
)
EVENT_COLUMNS = (
    "uuid",
    "type",
    "occurred_at",
    "subject_type",
    "subject_id",
    "subject_uuid",
    "user_uuid",
    "course_uuid",
    "payload",
)


async def seed_scale(
    ctx: Ctx, scale: Scale, advance: Callable[[int], None] = lambda _n: None
) -> None:
    """Seed `scale` into the site in one transaction, reporting rows written to `advance`."""
    scale.check()
    uuid7 = Uuid7()
    run = secrets.token_hex(3)  # keeps emails, titles and slugs unique across repeated seeds
    async with ctx.writing() as u:
        now = u.now.astimezone(UTC).replace(tzinfo=None)  # naive UTC: no per-value conversion
        writer = BulkWriter(u)
        instructor_id = await InstructorRepo(u).default_id()
        user_ids = await writer.reserve_ids(users, scale.users)
        course_ids = await writer.reserve_ids(courses, scale.courses)
        chapter_ids = await writer.reserve_ids(chapters, scale.courses * scale.chapters_per_course)
        lesson_ids = await writer.reserve_ids(lessons, scale.courses * scale.lessons_per_course)
        enrollment_ids = await writer.reserve_ids(enrollments, scale.enrollments)
        user_uuids = [uuid7() for _ in range(scale.users)]
        course_uuids = [uuid7() for _ in range(scale.courses)]
        counts = [0] * scale.courses
        for k in range(scale.enrollments):
            counts[_course_of(k, scale)[1]] += 1

        # Creation times in order of the log: courses, then users, then enrollments, then progress.
        course_time = _spread(now - timedelta(days=400), now - timedelta(days=365), scale.courses)
        user_time = _spread(now - timedelta(days=365), now - timedelta(days=180), scale.users)
        enroll_time = _spread(
            now - timedelta(days=180), now - timedelta(days=30), scale.enrollments
        )
        budget = scale.event_total

        def title(i: int) -> str:
            return f"{LEVELS[i % len(LEVELS)]} {TOPICS[i % len(TOPICS)]} {run}-{i + 1}"

        def course_rows() -> Iterator[tuple[Any, ...]]:
            for i, course_id in enumerate(course_ids):
                at = course_time(i)
                name = title(i)
                published = i % 10 != 9
                yield (
                    course_id,
                    course_uuids[i],
                    name,
                    f"course-{run}-{i + 1}",
                    COURSE_TYPES[i % len(COURSE_TYPES)],
                    "published" if published else "draft",
                    f"<p>Learn {TOPICS[i % len(TOPICS)].lower()} step by step.</p>",
                    ["Seed Author"],
                    {},
                    i % 7 == 0,
                    "en",
                    True,
                    0 if i % 7 == 0 else 4900,
                    counts[i],
                    instructor_id,
                    at,
                    at,
                    at if published else None,
                )

        def product_rows() -> Iterator[tuple[Any, ...]]:
            for i, course_id in enumerate(course_ids):
                yield (
                    uuid7(),
                    "Course",
                    course_id,
                    title(i),
                    f"course-{run}-{i + 1}",
                    "published" if i % 10 != 9 else "draft",
                    0,
                    False,
                    False,
                    0 if i % 7 == 0 else 4900,
                    "usd",
                    course_time(i),
                )

        chapter_uuids = [uuid7() for _ in chapter_ids]
        lesson_uuids = [uuid7() for _ in lesson_ids]

        def chapter_rows() -> Iterator[tuple[Any, ...]]:
            per = scale.chapters_per_course
            for n, chapter_id in enumerate(chapter_ids):
                i = n // per
                yield (
                    chapter_id,
                    chapter_uuids[n],
                    course_ids[i],
                    f"Part {n % per + 1}",
                    f"part-{n % per + 1}",
                    n % per + 1,
                    course_time(i),
                )

        def lesson_rows() -> Iterator[tuple[Any, ...]]:
            per, per_chapter = scale.lessons_per_course, scale.chapters_per_course
            for n, lesson_id in enumerate(lesson_ids):
                i, j = divmod(n, per)
                chapter = chapter_ids[i * per_chapter + j // LESSONS_PER_CHAPTER]
                kind = "Quiz" if j % LESSONS_PER_CHAPTER == LESSONS_PER_CHAPTER - 1 else "Lesson"
                yield (
                    lesson_id,
                    lesson_uuids[n],
                    course_ids[i],
                    chapter,
                    f"Lesson {j + 1}",
                    f"lesson-{j + 1}",
                    j % LESSONS_PER_CHAPTER + 1,
                    kind,
                    j == 0,
                    300 + 30 * (j % 10),
                    course_time(i),
                )

        def user_rows() -> Iterator[tuple[Any, ...]]:
            for i, user_id in enumerate(user_ids):
                email = f"learner{i + 1}.{run}@example.com"
                at = user_time(i)
                yield (
                    user_id,
                    user_uuids[i],
                    email,
                    email,
                    FIRST_NAMES[i % len(FIRST_NAMES)],
                    LAST_NAMES[i % len(LAST_NAMES)],
                    [],
                    "active",
                    "seed",
                    at,
                    at,
                )

        enrollment_uuids = [uuid7() for _ in enrollment_ids]

        def enrollment_fields(k: int) -> tuple[Any, ...]:
            """(activated_at, expiry_date, completed_at, percentage, created_at) of enrollment k."""
            at = enroll_time(k)
            activated = None if k % 10 == 9 else at  # every tenth is a free trial
            expiry = at + timedelta(days=90) if k % 25 == 0 else None
            completed = at + timedelta(days=7) if k % 5 == 0 else None
            percentage = 1.0 if completed else (k % 4) / 4
            return activated, expiry, completed, percentage, at

        def enrollment_rows() -> Iterator[tuple[Any, ...]]:
            for k, enrollment_id in enumerate(enrollment_ids):
                user, course = _course_of(k, scale)
                activated, expiry, completed, percentage, at = enrollment_fields(k)
                yield (
                    enrollment_id,
                    enrollment_uuids[k],
                    user_ids[user],
                    course_ids[course],
                    activated,
                    expiry,
                    at,
                    completed,
                    percentage,
                    "seed",
                    at,
                    completed or at,
                )

        def event_rows() -> Iterator[tuple[Any, ...]]:
            yield from course_events()
            yield from user_events()
            yield from enrollment_events()
            yield from progress_events()

        def course_events() -> Iterator[tuple[Any, ...]]:
            per_chapter, per = scale.chapters_per_course, scale.lessons_per_course
            for i, course_id in enumerate(course_ids):
                at, cu = course_time(i), course_uuids[i]
                snapshot = {
                    "id": course_id,
                    "uuid": cu,
                    "title": title(i),
                    "slug": f"course-{run}-{i + 1}",
                    "course_type": COURSE_TYPES[i % len(COURSE_TYPES)],
                    "created_at": at.isoformat() + "+00:00",
                }
                yield (uuid7(), "course.created", at, "course", course_id, cu, None, cu, snapshot)
                for c in range(i * per_chapter, (i + 1) * per_chapter):
                    payload = {
                        "id": chapter_ids[c],
                        "uuid": chapter_uuids[c],
                        "course_id": course_id,
                        "title": f"Part {c % per_chapter + 1}",
                    }
                    yield (
                        uuid7(),
                        "chapter.created",
                        at,
                        "chapter",
                        chapter_ids[c],
                        chapter_uuids[c],
                        None,
                        cu,
                        payload,
                    )
                for n in range(i * per, (i + 1) * per):
                    payload = {
                        "id": lesson_ids[n],
                        "uuid": lesson_uuids[n],
                        "course_id": course_id,
                        "title": f"Lesson {n % per + 1}",
                    }
                    yield (
                        uuid7(),
                        "lesson.created",
                        at,
                        "lesson",
                        lesson_ids[n],
                        lesson_uuids[n],
                        None,
                        cu,
                        payload,
                    )

        def user_events() -> Iterator[tuple[Any, ...]]:
            for i, user_id in enumerate(user_ids):
                at, uu = user_time(i), user_uuids[i]
                snapshot = {
                    "id": user_id,
                    "uuid": uu,
                    "email": f"learner{i + 1}.{run}@example.com",
                    "first_name": FIRST_NAMES[i % len(FIRST_NAMES)],
                    "last_name": LAST_NAMES[i % len(LAST_NAMES)],
                    "created_at": at.isoformat() + "+00:00",
                }
                yield (uuid7(), "user.created", at, "user", user_id, uu, uu, None, snapshot)

        def enrollment_event(
            k: int, event_type: str, at: datetime, extra: dict[str, Any]
        ) -> tuple[Any, ...]:
            user, course = _course_of(k, scale)
            activated, _expiry, _completed, percentage, created = enrollment_fields(k)
            payload = {
                "id": enrollment_ids[k],
                "uuid": enrollment_uuids[k],
                "user": {"id": user_ids[user], "uuid": user_uuids[user]},
                "course": {"id": course_ids[course], "uuid": course_uuids[course]},
                "activated_at": activated and activated.isoformat() + "+00:00",
                "percentage_completed": percentage,
                "created_at": created.isoformat() + "+00:00",
                **extra,
            }
            return (
                uuid7(),
                event_type,
                at,
                "enrollment",
                enrollment_ids[k],
                enrollment_uuids[k],
                user_uuids[user],
                course_uuids[course],
                payload,
            )

        def enrollment_events() -> Iterator[tuple[Any, ...]]:
            for k in range(scale.enrollments):
                kind = "enrollment.trial" if k % 10 == 9 else "enrollment.created"
                yield enrollment_event(k, kind, enroll_time(k), {})

        def progress_events() -> Iterator[tuple[Any, ...]]:
            extra_count = max(0, budget - scale.creation_events)
            if not scale.enrollments:
                return
            progress_time = _spread(now - timedelta(days=30), now, extra_count)
            for n in range(extra_count):
                changed = {"changed": ["percentage_completed"]}
                yield enrollment_event(
                    n % scale.enrollments, "enrollment.updated", progress_time(n), changed
                )

        async def write(
            table: Any, columns: tuple[str, ...], rows: Iterator[tuple[Any, ...]]
        ) -> None:
            # Pipelined: the next batch is generated while PostgreSQL copies the previous one
            # (SQLite's writes run inline, in turn: the same core would do both anyway).
            pending: asyncio.Task[int] | None = None
            for batch in _batches(rows):
                if pending is not None:
                    advance(await pending)
                pending = asyncio.ensure_future(writer.insert(table, columns, batch))
                await asyncio.sleep(0)  # let it hand the batch to the driver
            if pending is not None:
                advance(await pending)

        await write(courses, COURSE_COLUMNS, course_rows())
        await write(products, PRODUCT_COLUMNS, product_rows())
        await write(chapters, CHAPTER_COLUMNS, chapter_rows())
        await write(lessons, LESSON_COLUMNS, lesson_rows())
        await write(users, USER_COLUMNS, user_rows())
        await write(enrollments, ENROLLMENT_COLUMNS, enrollment_rows())
        by_type: Counter[tuple[str, bool]] = Counter()

        def tallied(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
            for row in rows:  # (uuid, type, at, subject, id, uuid, user, course, payload)
                by_type[(row[1], row[7] is not None)] += 1
                yield row

        await write(events, EVENT_COLUMNS, tallied(_first(event_rows(), budget)))
        totals = Counter[str]()
        for (event_type, about_course), n in by_type.items():
            totals[event_counter(event_type)] += n
            if about_course:
                totals[event_counter(event_type, about_course=True)] += n
        for name, added in (
            ("users", scale.users),
            ("courses", scale.courses),
            ("enrollments", scale.enrollments),
            *totals.items(),
        ):
            await bump(u.conn, u.site_id, name, added)
    await settle_bulk_load(
        ctx.db, [courses, products, chapters, lessons, users, enrollments, events]
    )


def _first(rows: Iterator[tuple[Any, ...]], limit: int) -> Iterator[tuple[Any, ...]]:
    for n, row in enumerate(rows):
        if n >= limit:
            return
        yield row
