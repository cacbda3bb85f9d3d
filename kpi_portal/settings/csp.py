"""The Content-Security-Policy header (django-csp): the browser runs and styles only what the site serves.

Imported by ``base.py``. No inline script, event handler or ``style=""`` is left in the templates
(``kpi_portal/tests/test_csp.py`` checks), the charts' styles are in ``static/css/charts.css``, so
the policy allows files from the site itself and nothing inline. ``CSP_REPORT_ONLY=true`` sends the
same policy as ``Content-Security-Policy-Report-Only``: the browser reports what it would block but
blocks nothing, to try the policy on an installation with its own additions first
(docs/content-security-policy.md).
"""

import environ
from csp.constants import NONE, SELF

env = environ.Env()

CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    # data: for Bootstrap's icons drawn in its stylesheet (the select arrow, the navbar toggler).
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    # As X_FRAME_OPTIONS = "DENY", which older browsers read.
    "frame-ancestors": [NONE],
}
# Where browsers send their violation reports (a Sentry/GlitchTip CSP endpoint, for instance); none by
# default: the browser's console lists them.
if _report_uri := env("CSP_REPORT_URI", default=""):
    CSP_DIRECTIVES["report-uri"] = [_report_uri]

_POLICY: dict[str, dict[str, list[str]]] = {"DIRECTIVES": CSP_DIRECTIVES}
_REPORT_ONLY = env.bool("CSP_REPORT_ONLY", default=False)
CONTENT_SECURITY_POLICY = None if _REPORT_ONLY else _POLICY
CONTENT_SECURITY_POLICY_REPORT_ONLY = _POLICY if _REPORT_ONLY else None
