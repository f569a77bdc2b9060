"""Thought Industries wire schemas for certifications (reference §5)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

ISO = "ISO 8601 date-time (a bare date means midnight UTC)."


class Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class CertifyUserInput(Loose):
    userId: StrictStr | None = Field(
        default=None, description="Must name the user in the path when given."
    )
    resourceType: StrictStr | None = Field(default=None, json_schema_extra={"enum": ["course"]})
    resourceId: StrictStr | None = Field(default=None, description="Course UUID.")
    expirationDate: StrictStr | None = Field(default=None, description=ISO)
    sendEmail: StrictBool | None = Field(
        default=None, description="Accepted; coursegate sends no email."
    )
    issuedAt: StrictStr | None = Field(default=None, description=ISO)
    recertificationDate: StrictStr | None = Field(default=None, description=ISO)


class RecertifyUserInput(Loose):
    userId: StrictStr | None = None
    resourceType: StrictStr | None = Field(default=None, json_schema_extra={"enum": ["course"]})
    resourceId: StrictStr | None = None


class BulkCertifyUserInput(CertifyUserInput):
    userId: StrictStr | None = Field(
        default=None, description="User UUID (or give email / externalCustomerId)."
    )
    email: StrictStr | None = None
    externalCustomerId: StrictStr | None = None


class BulkCertifyUsersInput(Loose):
    users: list[BulkCertifyUserInput]


class CertificateTemplateInput(Loose):
    id: StrictStr | None = Field(default=None, description="Template UUID (updates only).")
    title: StrictStr | None = None
    resourceType: StrictStr | None = Field(default=None, json_schema_extra={"enum": ["course"]})
    resourceId: StrictStr | None = Field(default=None, description="Course the template is for.")
    asset: StrictStr | None = Field(default=None, description="URL of the certificate artwork.")
    supplementalAssets: list[StrictStr] | None = None
    expirationDate: StrictStr | None = Field(default=None, description=ISO)


class CertificateTemplatesInput(Loose):
    templates: list[CertificateTemplateInput]


class CertificateTemplate(BaseModel):
    id: str
    resource: str | None
    resourceType: str | None
    title: str
    asset: str | None
    supplementalAssets: list[str]
    expirationDate: str | None


class Certification(BaseModel):
    id: str
    userId: str | None
    resource: str | None
    resourceType: str
    issuedAt: str
    expirationDate: str | None
    recertificationDate: str | None
    certificateTemplate: CertificateTemplate | None


class CertifyResponse(BaseModel):
    data: dict[str, Certification] = Field(description='{"APICertifyUser": ...}')


class RecertifyResponse(BaseModel):
    data: dict[str, bool] = Field(description='{"APIRecertifyUser": true}')


class BulkCertifyError(BaseModel):
    userId: str | None
    email: str | None
    externalCustomerId: str | None
    resourceId: str | None
    error: str
    record: str


class BulkCertifyResult(BaseModel):
    grantedCount: int
    errors: list[BulkCertifyError]


class BulkCertifyResponse(BaseModel):
    data: dict[str, BulkCertifyResult] = Field(description='{"APIBulkCertifyUsers": ...}')


class TemplateError(BaseModel):
    resourceId: str | None
    title: str | None
    error: str
    record: str


class BackgroundJob(BaseModel):
    id: str
    type: str
    description: str
    errorMessage: str | None
    createdAt: str
    repeatable: bool
    status: str


class BulkTemplatesResult(BaseModel):
    createdCount: int
    updatedCount: int
    createdIds: list[str]
    errors: list[TemplateError]
    warnings: list[str]
    backgroundJob: BackgroundJob


class BulkTemplatesResponse(BaseModel):
    data: dict[str, BulkTemplatesResult] = Field(
        description='{"APIBulkCreateCertificateTemplates": ...}'
    )


def record_text(item: BaseModel) -> str:
    """The `record` of a per-item error: the item as it was sent, as JSON text."""
    import orjson

    payload: dict[str, Any] = item.model_dump(exclude_unset=True)
    return orjson.dumps(payload).decode()
