"""Thought Industries course structure: sections, lessons, topics, completion criteria, and the
write paths, seen through both dialects."""

from __future__ import annotations

from pathlib import Path

from tests import builders
from tests.conftest import Tenant
from tests.contract import thinkific_contract
from tests.event_log import event_types

QUIZ_Q = "5f0c7a1e-2b8e-4d7a-9a1e-0c2b3d4e5f60"


async def _build_through_ti(tenant: Tenant) -> dict[str, str]:
    course = await tenant.ti(
        "POST", "/courses", json={"title": "Structured", "courseType": "course"}
    )
    assert course.status_code == 201
    course_id = course.json()["id"]
    section = await tenant.ti(
        "POST", f"/courses/{course_id}/sections", json={"title": "Getting started"}
    )
    assert section.status_code == 201, section.text
    section_id = section.json()["id"]
    lesson = await tenant.ti(
        "POST",
        f"/sections/{section_id}/lessons",
        json={"title": "Welcome", "accessLevel": "openToAll"},
    )
    assert lesson.status_code == 201, lesson.text
    lesson_id = lesson.json()["id"]
    topic = await tenant.ti(
        "POST",
        f"/lessons/{lesson_id}/topics",
        json={
            "title": "Check yourself",
            "type": "quiz",
            "quizQuestions": [QUIZ_Q],
            "passMessage": "Well done",
            "allowToResume": True,
        },
    )
    assert topic.status_code == 201, topic.text
    return {
        "course": course_id,
        "section": section_id,
        "lesson": lesson_id,
        "topic": topic.json()["id"],
    }


async def test_structure_built_through_ti_reads_back_in_every_shape(tenant: Tenant) -> None:
    ids = await _build_through_ti(tenant)
    await tenant.ti(
        "POST", f"/lessons/{ids['lesson']}/topics", json={"title": "Read me", "type": "text"}
    )

    tree = (await tenant.ti("GET", f"/courses/{ids['course']}/structure")).json()["data"][
        "APICourseStructure"
    ]
    assert (
        tree["id"] == ids["course"] and tree["title"] == "Structured" and tree["status"] == "draft"
    )
    [section] = tree["sections"]
    assert section["id"] == ids["section"] and section["releaseAt"] is None
    [lesson] = section["lessons"]
    assert lesson["accessLevel"] == "openToAll"
    assert [t["title"] for t in lesson["topics"]] == ["Check yourself", "Read me"]
    assert lesson["topics"][0] == {
        "id": ids["topic"],
        "title": "Check yourself",
        "type": "quiz",
        "editableByChildren": False,
    }
    assert tree["completionCriteria"][0]["type"] == "coursePercentViewed"
    assert tree["completionCriteria"][0]["coursePercentViewed"] == 100

    sections = (await tenant.ti("GET", f"/courses/{ids['course']}/sections")).json()["data"][
        "APICourseSections"
    ]
    assert sections["pageInfo"] == {"perPage": 25, "currentPage": 1, "total": 1, "hasMore": False}
    assert sections["sections"][0] == {
        "id": ids["section"],
        "title": "Getting started",
        "slug": "getting-started",
        "status": "draft",
        "releaseAt": None,
        "parentSectionId": None,
        "lessonCount": 1,
    }

    for path, key in (
        (f"/courses/{ids['course']}/lessons", "APICourseLessons"),
        (f"/sections/{ids['section']}/lessons", "APISectionLessons"),
    ):
        listed = (await tenant.ti("GET", path)).json()["data"][key]
        assert listed["lessons"] == [
            {
                "id": ids["lesson"],
                "title": "Welcome",
                "slug": "welcome",
                "accessLevel": "openToAll",
                "sectionId": ids["section"],
                "sectionTitle": "Getting started",
                "topicCount": 2,
            }
        ]

    one = (await tenant.ti("GET", f"/lessons/{ids['lesson']}")).json()["data"]["APILessonById"]
    assert one["courseId"] == ids["course"] and one["courseTitle"] == "Structured"
    assert [t["type"] for t in one["topicOutline"]] == ["quiz", "text"]

    topics = (await tenant.ti("GET", f"/topics/lesson/{ids['lesson']}")).json()["data"][
        "APILessonTopics"
    ]
    assert topics["pageInfo"]["total"] == 2
    quiz = topics["topics"][0]
    assert (
        quiz["quizQuestions"] == [QUIZ_Q]
        and quiz["passMessage"] == "Well done"
        and quiz["allowToResume"] is True
    )
    assert quiz["originalId"] is None and quiz["isProctored"] is False
    by_course = (await tenant.ti("GET", f"/topics/course/{ids['course']}")).json()["data"][
        "APICourseTopics"
    ]
    assert [t["id"] for t in by_course["topics"]] == [t["id"] for t in topics["topics"]]
    single = (await tenant.ti("GET", f"/topics/{ids['topic']}")).json()["data"]["APITopicById"]
    assert single == quiz
    logged = await event_types(tenant.ctx)
    assert logged == [
        "course.created",
        "chapter.created",
        "lesson.created",
        "topic.created",
        "topic.created",
    ]


async def test_sections_and_lessons_from_ti_are_thinkific_chapters_and_contents(
    tenant: Tenant, shared_dir: Path
) -> None:
    contract = thinkific_contract(shared_dir)
    ids = await _build_through_ti(tenant)
    course = await tenant.ti("GET", f"/courses/{ids['course']}")
    slug = course.json()["slug"]
    listed = await tenant.tk("GET", "/courses")
    contract.check("GET", "/courses", 200, listed.content)
    [tk_course] = [c for c in listed.json()["items"] if c["slug"] == slug]
    chapters = await tenant.tk("GET", f"/courses/{tk_course['id']}/chapters")
    contract.check("GET", f"/courses/{tk_course['id']}/chapters", 200, chapters.content)
    [chapter] = chapters.json()["items"]
    assert chapter["name"] == "Getting started"
    contents = await tenant.tk("GET", f"/chapters/{chapter['id']}/contents")
    contract.check("GET", f"/chapters/{chapter['id']}/contents", 200, contents.content)
    [content] = contents.json()["items"]
    assert content["name"] == "Welcome" and content["free"] is True


async def test_structure_written_by_the_platform_shows_in_ti(tenant: Tenant) -> None:
    course = await builders.course(tenant.ctx, chapters=2, lessons=2)
    listed = await tenant.ti(
        "GET", f"/courses/{course.uuid}/lessons", params={"perPage": "3", "page": "1"}
    )
    body = listed.json()["data"]["APICourseLessons"]
    assert body["pageInfo"] == {"perPage": 3, "currentPage": 1, "total": 4, "hasMore": True}
    assert [x["title"] for x in body["lessons"]] == ["Lesson 1.1", "Lesson 1.2", "Lesson 2.1"]
    second = await tenant.ti(
        "GET", f"/courses/{course.uuid}/lessons", params={"perPage": "3", "page": "2"}
    )
    rest = second.json()["data"]["APICourseLessons"]
    assert [x["title"] for x in rest["lessons"]] == ["Lesson 2.2"] and rest["pageInfo"][
        "hasMore"
    ] is False
    assert (
        rest["lessons"][0]["accessLevel"] == "studentsOnly"
        and rest["lessons"][0]["sectionTitle"] == "Chapter 2"
    )


async def test_structure_errors_use_the_errors_envelope(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    ids = await _build_through_ti(tenant)
    for path in (
        f"/courses/{ids['course']}/structure",
        f"/lessons/{ids['lesson']}",
        f"/topics/{ids['topic']}",
        f"/sections/{ids['section']}/lessons",
    ):
        hidden = await other_tenant.ti("GET", path)
        assert hidden.status_code == 404 and hidden.json()["errors"], path
    missing = await tenant.ti("GET", "/courses/00000000-0000-0000-0000-000000000000/sections")
    assert missing.status_code == 404 and missing.json() == {"errors": ["Course not found."]}
    for path in (
        "/lessons/1",
        "/lessons/not-a-uuid",
        "/topics/nope",
        "/sections/x/lessons",
        "/topics/lesson/x",
        "/topics/course/x",
        "/courses/x/structure",
    ):
        assert (await tenant.ti("GET", path)).status_code == 404, path

    no_title = await tenant.ti("POST", f"/courses/{ids['course']}/sections", json={})
    assert no_title.status_code == 400 and no_title.json() == {
        "errors": ["Field 'title' is required."]
    }
    bad_type = await tenant.ti(
        "POST", f"/lessons/{ids['lesson']}/topics", json={"title": "X", "type": "poll"}
    )
    assert bad_type.status_code == 400 and "type" in bad_type.json()["errors"][0]
    bad_access = await tenant.ti(
        "POST",
        f"/sections/{ids['section']}/lessons",
        json={"title": "X", "accessLevel": "everyone"},
    )
    assert bad_access.status_code == 400 and "accessLevel" in bad_access.json()["errors"][0]
    not_quiz = await tenant.ti(
        "POST",
        f"/lessons/{ids['lesson']}/topics",
        json={"title": "X", "type": "video", "quizQuestions": [QUIZ_Q]},
    )
    assert not_quiz.status_code == 400
    topics = (await tenant.ti("GET", f"/topics/lesson/{ids['lesson']}")).json()["data"][
        "APILessonTopics"
    ]
    assert topics["pageInfo"]["total"] == 1  # nothing half-written by the refused requests


async def test_completion_criteria_default_and_replace(tenant: Tenant) -> None:
    ids = await _build_through_ti(tenant)
    path = f"/courses/{ids['course']}/completionCriteria"
    first = (await tenant.ti("GET", path)).json()["data"]["APICourseCompletionCriteria"]
    again = (await tenant.ti("GET", path)).json()["data"]["APICourseCompletionCriteria"]
    assert first == again and len(first) == 1
    assert first[0]["course"] == ids["course"] and first[0]["coursePercentViewed"] == 100
    assert first[0]["videoTopicId"] is None

    put = await tenant.ti(
        "PUT",
        path,
        json={
            "completionCriteria": [
                {"type": "coursePercentViewed", "coursePercentViewed": 80},
                {"type": "courseTopicViewed", "courseTopicViewed": ids["topic"]},
            ]
        },
    )
    assert put.status_code == 200, put.text
    stored = (await tenant.ti("GET", path)).json()["data"]["APICourseCompletionCriteria"]
    assert [(c["type"], c["coursePercentViewed"], c["courseTopicViewed"]) for c in stored] == [
        ("coursePercentViewed", 80, None),
        ("courseTopicViewed", None, ids["topic"]),
    ]

    bad = await tenant.ti(
        "PUT",
        path,
        json={"completionCriteria": [{"type": "coursePercentViewed", "coursePercentViewed": 140}]},
    )
    assert bad.status_code == 400 and "coursePercentViewed" in bad.json()["errors"][0]
    unknown_topic = await tenant.ti(
        "PUT",
        path,
        json={
            "completionCriteria": [
                {
                    "type": "courseTopicViewed",
                    "courseTopicViewed": "00000000-0000-0000-0000-000000000000",
                }
            ]
        },
    )
    assert unknown_topic.status_code == 400
    assert len((await tenant.ti("GET", path)).json()["data"]["APICourseCompletionCriteria"]) == 2
    assert (await event_types(tenant.ctx)).count("course.completion_criteria_changed") == 1
