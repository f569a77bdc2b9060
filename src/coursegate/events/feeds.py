"""Projection of the domain event log onto Thought Industries' 23 `/events/<type>` feeds.

A feed is a set of domain event types, each with the `type`/`source` it shows as and the `kind`
its `?kind=` filter selects. `courseAction` is the unified course feed; `courseEnrollment` and
`courseCompletion` are the same entries filtered (reference §3.2). Event objects carry the fields
of reference §3.3.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coursegate.events.model import LoggedEvent
from coursegate.platform.wiretime import iso_ms


@dataclass(frozen=True, slots=True)
class Entry:
    """How one domain event type shows in a feed."""

    domain_type: str
    type: str
    source: str
    kind: str
    # Only events about a course (purchases of a course, not of any product).
    needs_course: bool = False


ENROLLED = (
    Entry("enrollment.created", "enrollment", "course_enrolled", "enrolled"),
    Entry("enrollment.trial", "enrollment", "course_enrolled", "enrolled"),
)
STARTED = (Entry("enrollment.started", "status_change", "course_started", "started"),)
COMPLETED = (Entry("enrollment.completed", "status_change", "course_completed", "completed"),)
CERTIFIED = (Entry("certificate.issued", "certificate", "certificate_granted", "certificate"),)
REVOKED = (
    Entry("enrollment.revoked", "access_revoked", "access_revoked", "revoked"),
    Entry("enrollment.expired", "access_revoked", "access_revoked", "expired"),
)

FEEDS: dict[str, tuple[Entry, ...]] = {
    "courseAction": (*ENROLLED, *STARTED, *COMPLETED, *CERTIFIED, *REVOKED),
    "courseEnrollment": ENROLLED,
    "courseCompletion": COMPLETED,
    "courseView": (Entry("course.viewed", "view", "course_viewed", "viewed"),),
    "coursePurchase": (
        Entry("order.created", "purchase", "course_purchased", "purchased", needs_course=True),
    ),
    "courseCertificate": CERTIFIED,
    "activeCourseCertificate": CERTIFIED,
    "quizAttempt": (Entry("quiz.attempted", "quiz", "quiz_attempted", "attempted"),),
    "registration": (Entry("user.created", "registration", "user_registered", "registered"),),
    "emailCapture": (),
    "newsletterSignup": (),
    "visit": (),
    "userLastActive7": (),
    "userLastActive14": (),
    "userLastActive31": (),
    "bundlePurchase": (),
    "productPurchase": (Entry("order.created", "purchase", "product_purchased", "purchased"),),
    "bulkPurchase": (),
    "pickableGroupPurchase": (),
    "failedPurchase": (),
    "failedSubscription": (),
    "subscriptionReactivation": (),
    "redemptionCodeRedeem": (
        Entry("redemption_code.redeemed", "redemption", "redemption_code_redeemed", "redeemed"),
    ),
}


def entries(feed: str, kind: str | None = None) -> tuple[Entry, ...]:
    """The feed's entries, narrowed by `?kind=` (which matches an entry's kind or source)."""
    found = FEEDS[feed]
    if kind:
        found = tuple(e for e in found if kind in (e.kind, e.source, e.type))
    return found


def feeds_for(event: LoggedEvent) -> list[tuple[str, Entry]]:
    """Every (feed, entry) an event appears in."""
    out: list[tuple[str, Entry]] = []
    for feed, feed_entries in FEEDS.items():
        for entry in feed_entries:
            if entry.domain_type == event.type and (not entry.needs_course or event.course_uuid):
                out.append((feed, entry))
                break
    return out


def entry_for(feed: str, event: LoggedEvent) -> Entry | None:
    for entry in FEEDS.get(feed, ()):
        if entry.domain_type == event.type:
            return entry
    return None


def _person_of(event: LoggedEvent) -> dict[str, Any] | None:
    p = event.payload
    if event.subject_type == "user":
        return p
    user = p.get("user")
    return user if isinstance(user, dict) else None


def _title_of(event: LoggedEvent) -> str | None:
    p = event.payload
    for key in ("course", "product", "quiz", "certificate"):
        item = p.get(key)
        if isinstance(item, dict) and (item.get("title") or item.get("name")):
            return str(item.get("title") or item.get("name"))
    if event.subject_type == "user":
        names = [p.get("first_name"), p.get("last_name")]
        return " ".join(n for n in names if n) or p.get("email")
    value = p.get("title") or p.get("name") or p.get("product_name")
    return str(value) if value else None


# The person fields an event object shows.
_SHOWN = ("uuid", "email", "first_name", "last_name", "external_customer_id")


def _person_shown(looked_up: Mapping[str, Any], snapshot: Mapping[str, Any]) -> Mapping[str, Any]:
    """The payload's snapshot (as of the event) first, the user record for what it lacks; the
    record alone once the user is erased (an erased user stays erased in every feed). Only the
    fields shown are merged: a user's snapshot is the whole payload."""
    if looked_up.get("deleted_at") is not None:
        return looked_up
    shown: dict[str, Any] = {}
    for name in _SHOWN:
        value = snapshot.get(name)
        shown[name] = looked_up.get(name) if value is None else value
    return shown


def event_object(
    event: LoggedEvent,
    feed: str,
    entry: Entry,
    company_id: str,
    people: Mapping[str, Mapping[str, Any]] | None = None,
    titles: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The §3.3 event object. `people`/`titles` fill in what the payload does not carry."""
    looked_up = (people or {}).get(event.user_uuid or "") or {}
    person = _person_shown(looked_up, _person_of(event) or {})
    title = _title_of(event) or (titles or {}).get(event.course_uuid or "")
    return {
        "id": event.uuid,
        "source": entry.source,
        "timestamp": iso_ms(event.occurred_at),
        "type": entry.type,
        "user": person.get("email"),
        "companyId": company_id,
        "event": feed,
        "notifiableId": notifiable_id(event),
        "title": title,
        "userDetail": {
            "id": event.user_uuid or person.get("uuid"),
            "firstName": person.get("first_name"),
            "lastName": person.get("last_name"),
            "externalCustomerId": person.get("external_customer_id"),
            "sfContactId": None,
            "sfAccountId": None,
            "client": None,
            "ref1": None,
            "ref2": None,
            "ref3": None,
        },
    }


def notifiable_id(event: LoggedEvent) -> str | None:
    """The resource the event is about: the course for course events, else the subject."""
    return event.course_uuid or event.subject_uuid
