"""The staff app: log-in, look-up by code, the line's closures, the overview, the review of
fallback messages, and (for admins) the audit log. Every page but the log-in page needs a session;
every form carries a CSRF token; every response carries the security headers.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, Callable, Optional

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.engine import Engine

from staff.sessions import COOKIE, Session, SessionStore, csrf_ok
from store import audit
from store.audit import UNKNOWN_USER
from store.staff_users import LOCK_MINUTES, MAX_FAILED, LoginResult, check_login

BASE = "/medewerkers"
HERE = Path(__file__).resolve().parent
FAILED_LOGIN_DELAY = 1.0  # seconds, on top of the lockout in store.staff_users
# The audit entry's subject for the wrong password that locks an account (a fixed text, no input).
LOCK_STARTED = f"nu {LOCK_MINUTES} minuten geblokkeerd"
# One answer to every failed log-in: a wrong password, an unknown name, the attempt that locks an
# account and any attempt while it is locked. A separate lockout text would tell a stranger which
# names exist (only a real account ever locks); so this text names the lockout rule for everyone.
LOGIN_FAILED = (f"Inloggen is niet gelukt. Klopt je gebruikersnaam en je wachtwoord? Na {MAX_FAILED} keer "
                f"een verkeerd wachtwoord kun je {LOCK_MINUTES} minuten niet inloggen.")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
}
STYLESHEET = f"{BASE}/static/staff.css"
PUBLIC_PATHS = {f"{BASE}/inloggen", STYLESHEET}

templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))


class StaffContext:
    """What the routes share: the store, the clock, the sessions and the cookie policy."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime], secure_cookie: bool) -> None:
        self.engine = engine
        self.clock = clock
        self.secure_cookie = secure_cookie
        self.sessions = SessionStore(engine, clock)

    async def blocking(self, function: Callable[..., Any], *args: Any) -> Any:
        """Run a database or hashing call off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(None, partial(function, *args))

    def audit(self, username: str, action: str, subject: str = "") -> Any:
        return self.blocking(audit.record, self.engine, self.clock(), username, action, subject)

    def flash(self, request: Request, message: str) -> Any:
        """A message for the page the form's redirect leads to."""
        return self.blocking(self.sessions.flash, request.ctx.session, message)


def render(request: Request, template: str, status: int = 200, **values: Any) -> HTTPResponse:
    session: Optional[Session] = request.ctx.session
    flash = session.flash if session is not None else None
    html = templates.get_template(template).render(
        base=BASE, session=session, csrf=session.csrf if session else "", flash=flash, **values)
    return response.html(html, status=status)


def redirect(path: str) -> HTTPResponse:
    return response.redirect(f"{BASE}{path}", status=303)


def set_cookie(context: StaffContext, resp: HTTPResponse, session: Session) -> None:
    resp.cookies[COOKIE] = session.id
    cookie = resp.cookies[COOKIE]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = BASE
    if context.secure_cookie:
        cookie["secure"] = True


def create_app(engine: Engine, clock: Callable[[], datetime], secure_cookie: bool = True,
               name: str = "advieslijn_staff") -> Sanic:
    """The Sanic app; routes from staff/routes_*.py are registered on it."""
    from staff import routes_audit, routes_line, routes_lookup, routes_review

    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    app.config.REQUEST_TIMEOUT = 15
    app.config.FORWARDED_SECRET = None
    context = StaffContext(engine, clock, secure_cookie)
    app.ctx.staff = context

    @app.middleware("request")
    async def require_login(request: Request) -> Optional[HTTPResponse]:
        if request.path == STYLESHEET:
            return None
        request.ctx.session = await context.blocking(context.sessions.get, request.cookies.get(COOKIE))
        logged_in = request.ctx.session is not None and request.ctx.session.username is not None
        if request.path in PUBLIC_PATHS or logged_in:
            if request.method == "POST" and not csrf_ok(request.ctx.session, request.form.get("csrf")):
                return response.text("Dit formulier is verlopen. Laad de pagina opnieuw.", status=403)
            return None
        if request.method == "GET" and request.path.startswith(BASE):
            return redirect("/inloggen")
        return response.text("Niet ingelogd.", status=403)

    @app.middleware("response")
    async def security_headers(request: Request, resp: HTTPResponse) -> None:
        for header, value in SECURITY_HEADERS.items():
            resp.headers[header] = value

    @app.get(STYLESHEET)
    async def stylesheet(request: Request) -> HTTPResponse:
        return await response.file(HERE / "static" / "staff.css", mime_type="text/css")

    @app.get(f"{BASE}/inloggen")
    async def login_form(request: Request) -> HTTPResponse:
        if request.ctx.session is not None and request.ctx.session.username:
            return redirect("/")
        if request.ctx.session is None:
            request.ctx.session = await context.blocking(context.sessions.new)
        resp = render(request, "login.html")
        set_cookie(context, resp, request.ctx.session)
        return resp

    @app.post(f"{BASE}/inloggen")
    async def login(request: Request) -> HTTPResponse:
        username = (request.form.get("gebruikersnaam") or "").strip()[:64]
        password = (request.form.get("wachtwoord") or "")[:256]
        result = await context.blocking(check_login, engine, username, password, clock())
        if result is LoginResult.OK:
            await context.blocking(context.sessions.end, request.ctx.session.id)
            request.ctx.session = await context.blocking(context.sessions.new, username)
            await context.audit(username, "login")
            resp = redirect("/")
            set_cookie(context, resp, request.ctx.session)
            return resp
        if result is LoginResult.LOCKED:  # the admin sees it apart from a wrong password; the form does not
            await context.audit(username, "login_locked")
        else:  # An unknown name is not written down: it may be a password typed in the wrong field.
            await context.audit(UNKNOWN_USER if result is LoginResult.UNKNOWN else username, "login_failed",
                                LOCK_STARTED if result is LoginResult.LOCKED_NOW else "")
        await asyncio.sleep(FAILED_LOGIN_DELAY)
        return render(request, "login.html", status=401, error=LOGIN_FAILED, username=username)

    @app.post(f"{BASE}/uitloggen")
    async def logout(request: Request) -> HTTPResponse:
        await context.audit(request.ctx.session.username, "logout")
        await context.blocking(context.sessions.end, request.ctx.session.id)
        resp = redirect("/inloggen")
        resp.cookies[COOKIE] = ""
        resp.cookies[COOKIE]["max-age"] = 0
        resp.cookies[COOKIE]["path"] = BASE
        return resp

    routes_lookup.register(app, context)
    routes_line.register(app, context)
    routes_review.register(app, context)
    routes_audit.register(app, context)
    return app
