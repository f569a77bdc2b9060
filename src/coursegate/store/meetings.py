"""Meetings (ILT/VILT sessions of a course) and attendance."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select, update

from coursegate.domain.models import Course, User
from coursegate.domain.models_ops import Attendance, Meeting
from coursegate.store.base import Repo
from coursegate.store.tables.catalog import courses
from coursegate.store.tables.meetings import meeting_attendance, meetings
from coursegate.store.tables.people import users

_COURSE_COLS = [c.label(f"c_{c.name}") for c in courses.columns]


class MeetingRepo(Repo):
    table = meetings

    def joined(self) -> Select[Any]:
        return (
            select(meetings, *_COURSE_COLS)
            .join(courses, courses.c.id == meetings.c.course_id)
            .where(meetings.c.site_id == self.site_id)
        )

    def of_course(self, course_id: int | None) -> Select[Any]:
        stmt = self.joined()
        return stmt if course_id is None else stmt.where(meetings.c.course_id == course_id)

    async def list_page(self, stmt: Select[Any], offset: int, limit: int) -> list[Meeting]:
        rows = await self.page(stmt, [meetings.c.starts_at, meetings.c.id], offset, limit)
        found = [_meeting(r) for r in rows]
        await self._attendees(found)
        return found

    async def get_by_uuid(self, meeting_uuid: str) -> Meeting | None:
        row = (
            await self.conn.execute(self.joined().where(meetings.c.uuid == meeting_uuid))
        ).first()
        if row is None:
            return None
        found = _meeting(row)
        await self._attendees([found])
        return found

    async def get(self, meeting_id: int) -> Meeting | None:
        row = (await self.conn.execute(self.joined().where(meetings.c.id == meeting_id))).first()
        if row is None:
            return None
        found = _meeting(row)
        await self._attendees([found])
        return found

    async def _attendees(self, found: list[Meeting]) -> None:
        if not found:
            return
        by_id = {m.id: m for m in found}
        rows = await self.conn.execute(
            select(
                meeting_attendance.c.meeting_id,
                meeting_attendance.c.attended,
                meeting_attendance.c.updated_at.label("attendance_updated_at"),
                users,
            )
            .join(users, users.c.id == meeting_attendance.c.user_id)
            .where(
                meeting_attendance.c.site_id == self.site_id,
                meeting_attendance.c.meeting_id.in_(by_id),
                users.c.deleted_at.is_(None),
            )
            .order_by(meeting_attendance.c.id)
        )
        for r in rows:
            m = r._mapping
            by_id[int(m["meeting_id"])].attendees.append(
                Attendance(User.from_row(m), bool(m["attended"]), m["attendance_updated_at"])
            )

    async def create(self, values: dict[str, Any]) -> int:
        return await self.insert_row(values)

    async def set_attendance(self, meeting_id: int, user_id: int, attended: bool, now: Any) -> bool:
        """Upsert one learner's attendance; True when it changed."""
        a = meeting_attendance.c
        current = (
            await self.conn.execute(
                select(a.id, a.attended).where(
                    a.site_id == self.site_id, a.meeting_id == meeting_id, a.user_id == user_id
                )
            )
        ).first()
        if current is None:
            await self.conn.execute(
                meeting_attendance.insert().values(
                    site_id=self.site_id,
                    meeting_id=meeting_id,
                    user_id=user_id,
                    attended=attended,
                    updated_at=now,
                )
            )
            return True
        if bool(current.attended) == attended:
            return False
        await self.conn.execute(
            update(meeting_attendance)
            .where(a.id == current.id)
            .values(attended=attended, updated_at=now)
        )
        return True


def _meeting(row: Any) -> Meeting:
    m = row._mapping
    meeting = Meeting.from_row(m)
    meeting.course = Course.from_row({k[2:]: v for k, v in m.items() if k.startswith("c_")})
    return meeting
