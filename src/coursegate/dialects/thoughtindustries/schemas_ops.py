"""Wire schemas of the operations endpoints: request bodies, and response shapes for the
OpenAPI document (responses themselves are built as dicts)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, StrictBool, StrictInt, StrictStr

from coursegate.dialects.thoughtindustries.schemas import PageInfo, WireModel


class AssessmentAttemptsPage(BaseModel):
    pageInfo: PageInfo
    assessmentAttempts: list[dict[str, Any]]


class AssessmentAttemptsData(BaseModel):
    AssessmentAttempts: AssessmentAttemptsPage


class AssessmentAttemptsResponse(BaseModel):
    data: AssessmentAttemptsData


class AssignmentSubmissionsPage(BaseModel):
    pageInfo: PageInfo
    aggregations: list[dict[str, Any]]
    assignmentSubmissions: list[dict[str, Any]]


class AssignmentSubmissionsData(BaseModel):
    AssignmentSubmissions: AssignmentSubmissionsPage


class AssignmentSubmissionsResponse(BaseModel):
    data: AssignmentSubmissionsData


class AssignmentExternalActivityWrite(WireModel):
    status: StrictStr | None = Field(
        default=None, json_schema_extra={"enum": ["completed", "incomplete"]}
    )
    assignmentId: StrictStr | None = None
    learnerId: StrictStr | None = None
    grade: float | None = None
    gradeFeedback: StrictStr | None = None
    returnUrl: StrictStr | None = None


class CourseExternalActivityWrite(WireModel):
    courseId: StrictStr | None = None
    courseSku: StrictStr | None = None
    userId: StrictStr | None = None
    userEmail: StrictStr | None = None
    completionDate: StrictStr | None = None
    awards: list[Any] | None = None
    certificateUrl: StrictStr | None = None
    transcriptFields: list[Any] | None = None


LEARNING_PATH_STATUSES = ("not-started", "completed", "started", "not-completed")


class LearningPathExternalActivityWrite(WireModel):
    userId: StrictStr | None = None
    learningPathId: StrictStr | None = None
    status: StrictStr = Field(
        default="completed", json_schema_extra={"enum": list(LEARNING_PATH_STATUSES)}
    )
    completionDate: StrictStr | None = None
    timeStampDate: StrictStr | None = None


class MeetingsPage(BaseModel):
    pageInfo: PageInfo
    aggregations: list[dict[str, Any]]
    meetings: list[dict[str, Any]]


class MeetingsData(BaseModel):
    Meetings: MeetingsPage


class MeetingsResponse(BaseModel):
    data: MeetingsData


class MeetingByIdData(BaseModel):
    MeetingById: dict[str, Any]


class MeetingByIdResponse(BaseModel):
    data: MeetingByIdData


class MeetingAttendanceWrite(WireModel):
    userId: StrictStr | None = None
    courseId: StrictStr | None = None
    meetingId: StrictStr | None = None
    attended: StrictBool | None = None


class ClientsPage(BaseModel):
    pageInfo: PageInfo
    aggregations: list[dict[str, Any]]
    clients: list[dict[str, Any]]


class ClientsData(BaseModel):
    Clients: ClientsPage


class ClientsResponse(BaseModel):
    data: ClientsData


class ClientWrite(WireModel):
    name: StrictStr | None = None
    slug: StrictStr | None = None
    sku: StrictStr | None = None
    defaultLanguage: StrictStr | None = None
    enableSegmentation: StrictBool | None = None
    enableDiscussions: StrictBool | None = None
    enableCommunitiesSegmentation: StrictBool | None = None
    enableEcommerce: StrictBool | None = None
    enableRecommendationAssessment: StrictBool | None = None
    enableBranding: StrictBool | None = None
    enableOnboardingSurvey: StrictBool | None = None
    enableGlobalLinks: StrictBool | None = None
    enableNavLinks: StrictBool | None = None
    enableContentDetailPage: StrictBool | None = None
    enableLicenseDashboards: StrictBool | None = None
    enableCreditPurchasing: StrictBool | None = None


class ClientStatusWrite(WireModel):
    status: StrictStr | None = None


class ClientStatus(BaseModel):
    id: str
    status: str


class LicensesByClient(BaseModel):
    id: str
    name: str
    sku: str | None
    pageInfo: PageInfo
    licenses: list[dict[str, Any]]


class LicensesByClientData(BaseModel):
    APILicensesByClientId: LicensesByClient


class LicensesByClientResponse(BaseModel):
    data: LicensesByClientData


class LicenseWrite(WireModel):
    clientId: StrictStr | None = None
    name: StrictStr | None = None
    label: StrictStr | None = None
    sku: StrictStr | None = None
    seatsLimit: StrictInt | None = None
    parentLicenseId: StrictStr | None = None
    accessDays: StrictInt | None = None
    expirationDate: StrictStr | None = None
    courseIds: list[StrictStr] | None = None
    learningPathIds: list[StrictStr] | None = None
    courseTagIds: list[StrictStr] | None = None
    replaceCourseIds: StrictBool = False
    replaceLearningPathIds: StrictBool = False
    replaceCourseTagIds: StrictBool = False


class LicenseByIdData(BaseModel):
    LicenseById: dict[str, Any]


class LicenseByIdResponse(BaseModel):
    data: LicenseByIdData


class UserLicenseGrants(WireModel):
    """The Panorama part of POST /users: which licenses the user holds, and as what."""

    studentLicenseIds: list[StrictStr] | None = None
    managerLicenseIds: list[StrictStr] | None = None
    studentLicenseSkus: list[StrictStr] | None = None
    managerLicenseSkus: list[StrictStr] | None = None
    replaceLicenseAccess: StrictBool = False


class SsoLogsPage(BaseModel):
    pageInfo: PageInfo
    data: list[dict[str, Any]]


class SsoLogsData(BaseModel):
    APICacheLogs: SsoLogsPage


class SsoLogsResponse(BaseModel):
    data: SsoLogsData
