"""Webhook mutations: a partnership's administrators register and update endpoints."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from core.services import webhooks
from schema.integrations.types import EventType, WebhookEndpoint
from schema.mutations.base import decode_id, run_write
from schema.types.errors import NotAuthorizedError, NotFoundError, ValidationError


@strawberry.input(description="A URL to receive a partnership's events, signed with a shared secret.")
class RegisterWebhookInput:
    partnership: str = strawberry.field(description="The partnership's code, e.g. `merton`.")
    url: str = strawberry.field(description="An absolute http(s) URL that accepts POSTed JSON.")
    secret: str = strawberry.field(
        description="16–200 characters: the key of the Standard Webhooks signature (`webhook-signature`); "
                    "`whsec_` + base64 for the standard form. Never shown again.")
    event_types: list[EventType] | None = strawberry.field(
        default=None, description="Types to deliver; omit (null) for every type.")
    description: str = strawberry.field(default="", description="What the endpoint is for.")


@strawberry.input(description="Changes to a webhook endpoint; omitted fields stay as they are.")
class UpdateWebhookInput:
    id: strawberry.ID = strawberry.field(description="The endpoint's ID.")
    url: str | None = strawberry.field(default=None, description="A new URL.")
    secret: str | None = strawberry.field(default=None, description="A new secret (16–200 characters).")
    event_types: list[EventType] | None = strawberry.field(
        default=strawberry.UNSET, description="New types to deliver; null for every type.")
    active: bool | None = strawberry.field(
        default=None, description="false pauses it: nothing new is queued and nothing is sent until it is true again.")
    description: str | None = strawberry.field(default=None, description="A new description.")


@strawberry.type(description="The endpoint as written.")
class WebhookEndpointPayload:
    endpoint: WebhookEndpoint = strawberry.field(description="The endpoint.")


WebhookEndpointResult = Annotated[
    WebhookEndpointPayload | ValidationError | NotFoundError | NotAuthorizedError,
    strawberry.union("WebhookEndpointResult", description="The endpoint, or why it was refused."),
]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Register a webhook endpoint for a partnership (its administrators only).")
    async def register_webhook(self, info: Info, input: Annotated[RegisterWebhookInput, strawberry.argument(description="A URL to receive a partnership's events, signed with a shared secret.")]) -> WebhookEndpointResult:
        async def action(session, principal):
            endpoint = await webhooks.register_endpoint(
                session, principal, partnership=input.partnership, url=input.url, secret=input.secret,
                event_types=input.event_types, description=input.description,
            )
            return WebhookEndpointPayload(endpoint=WebhookEndpoint.from_row(endpoint))

        return await run_write(info, action)

    @strawberry.mutation(description="Change, pause or resume a webhook endpoint (the partnership's administrators only).")
    async def update_webhook(self, info: Info, input: Annotated[UpdateWebhookInput, strawberry.argument(description="Changes to a webhook endpoint; omitted fields stay as they are.")]) -> WebhookEndpointResult:
        async def action(session, principal):
            set_types = input.event_types is not strawberry.UNSET
            endpoint = await webhooks.update_endpoint(
                session, principal, endpoint_id=decode_id(input.id, "WebhookEndpoint", "id"),
                url=input.url, secret=input.secret, event_types=input.event_types if set_types else None,
                set_event_types=set_types, active=input.active, description=input.description,
            )
            return WebhookEndpointPayload(endpoint=WebhookEndpoint.from_row(endpoint))

        return await run_write(info, action)
