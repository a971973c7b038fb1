"""Login forms (the portal's and the admin's) that refuse a username after repeated failures."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from attain.apps.portal import lockout


class LockoutMixin:
    """Checks the lockout before the password, counts a wrong password, forgets the count on success."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = lockout.client_address(self.request)
        minutes = lockout.minutes_locked(username, address) if username else 0
        if minutes:
            raise forms.ValidationError(lockout.locked_message(username, minutes), code="locked_out")
        cleaned = super().clean()
        if self.user_cache is not None:
            lockout.forget_failures(username, address)
        return cleaned

    def get_invalid_login_error(self):
        username = self.cleaned_data.get("username") or ""
        lockout.record_failure(username, lockout.client_address(self.request))
        return super().get_invalid_login_error()


class LoginForm(LockoutMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The username or password is not right (both are case-sensitive). After repeated "
                         "failures the username has to wait a few minutes.",
    }


class AdminLoginForm(LockoutMixin, AdminAuthenticationForm):
    pass
