"""Expectations for the notification routes: every signed-in user has an inbox of their own.

A made-up notification id gets 404 for everyone (past authorisation), the same answer as someone
else's notification, so ids cannot be probed."""
from .roles import signed_in

EXPECTED = {
    "GET /api/v1/notifications": signed_in(),
    "POST /api/v1/notifications/{id}/read": signed_in(),
    "POST /api/v1/notifications/read-all": signed_in(),
}
