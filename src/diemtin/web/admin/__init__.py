"""The operator's console under /admin, in Vietnamese: one module per screen.

``admin_routes`` is what the site's routing adds; every page needs a session and
every change a CSRF token (see ``core``), and every change is written to the audit
log with who made it and when (``diemtin.store.admin``).
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from diemtin.web.admin import (
    articles,
    auth,
    categories,
    dashboard,
    journal,
    source_rules,
    sources,
    stories,
    users,
)
from diemtin.web.admin.core import Console, css
from diemtin.web.site import Site


def admin_routes(site: Site) -> list[BaseRoute]:
    console = Console(site)
    return [
        Route("/admin/admin.css", css, methods=["GET"]),
        *auth.routes(console),
        *articles.routes(console),
        *sources.routes(console),
        *source_rules.routes(console),
        *stories.routes(console),
        *categories.routes(console),
        *dashboard.routes(console),
        *journal.routes(console),
        *users.routes(console),
    ]
