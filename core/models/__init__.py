"""Typed SQLAlchemy models, one module per aggregate. Importing this package registers them
all on ``Base.metadata`` (alembic and the tests rely on that)."""

from core.models import disputes, funding, governance, reviews  # noqa: F401  (register tables)
from core.models.audit import AuditEvent
from core.models.base import Base
from core.models.group import Group, Seat
from core.models.identity import ApiToken
from core.models.integrations import WebhookEndpoint  # noqa: F401  (registers the webhook tables)
from core.models.partnership import Agency, Partnership, Person, StatutoryPartner

__all__ = [
    "AuditEvent",
    "ApiToken",
    "Agency",
    "Base",
    "Group",
    "Partnership",
    "Person",
    "Seat",
    "StatutoryPartner",
]
