"""How allauth fits JewelGuard: sign-ups become member jewelers; e-mails carry our site URL."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jewelguard.core.mail import email_send_on_commit


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Say what to do, not only what happened: a locked-out jeweler needs a way back in.
        "too_many_login_attempts": _(
            "Too many failed login attempts. Wait a few minutes before trying again, "
            "or reset your password."
        ),
    }

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth's e-mails (confirmation, password reset) leave through the worker, with the
        delivery log, like every e-mail; their secret link is erased from the log once sent.
        They sign with the site's name and public address, never with whatever host name the
        request happened to use."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
                "site_name": settings.JEWELGUARD_SITE_NAME,
                "site_url": settings.JEWELGUARD_SITE_URL,
            },
        )
        email_send_on_commit(
            purpose=f"account:{template_prefix.rsplit('/', 1)[-1]}",
            recipient=email,
            subject=str(message.subject),
            body=str(message.body),
            body_erased_when_sent=True,
        )

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        # Links in e-mails point at the public site URL, not whatever host the request used.
        url: str = super().get_email_confirmation_url(request, emailconfirmation)
        return self._on_site(url)

    def get_reset_password_from_key_url(self, key: str) -> str:
        return self._on_site(str(super().get_reset_password_from_key_url(key)))

    @staticmethod
    def _on_site(url: str) -> str:
        if settings.DEBUG:
            return url
        path = "/" + url.split("/", 3)[3] if url.startswith("http") else url
        return str(settings.JEWELGUARD_SITE_URL) + path
