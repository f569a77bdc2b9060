"""Bodies of the bulk endpoints. Records arrive as raw objects and are validated one by one,
so one malformed record is reported by index instead of refusing the whole request."""

from __future__ import annotations

from typing import Any

from pydantic import StrictBool, StrictStr

from coursegate.dialects.thoughtindustries.schemas import WireModel


class CoursesBulk(WireModel):
    """POST /courses/bulk: `courseAttributes`, each a POST /courses body (`kind` accepted for
    `courseType`)."""

    courseAttributes: list[Any]


class BulkUser(WireModel):
    email: StrictStr
    firstName: StrictStr | None = None
    lastName: StrictStr | None = None
    externalId: StrictStr | None = None

    def domain(self) -> dict[str, Any]:
        data: dict[str, Any] = {"email": self.email}
        if self.firstName is not None:
            data["first_name"] = self.firstName
        if self.lastName is not None:
            data["last_name"] = self.lastName
        if self.externalId is not None:
            data["external_customer_id"] = self.externalId
        return data


class BulkOptions(WireModel):
    skipExisting: StrictBool = False
    sendWelcomeEmail: StrictBool = False


class UsersBulk(WireModel):
    users: list[Any]
    options: BulkOptions = BulkOptions()


class BulkEnrollment(WireModel):
    userId: StrictStr
    courseId: StrictStr
    source: StrictStr | None = None

    def domain(self) -> dict[str, Any]:
        return {"user": self.userId, "course": self.courseId, "source": self.source}


class EnrollmentsBulk(WireModel):
    enrollments: list[Any]
