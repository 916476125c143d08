"""Permission expectations of the portfolio endpoints (api.md "Department record and portfolio"),
for test_permission_matrix: the summary is NDRC's, MoF's and every department's (each scoped to
its own projects, tests/portfolio); experts, inspectors, archivists and administrators are refused."""

from __future__ import annotations

from .endpoints import BUSINESS, Call, Endpoint, _url

# fmt: off
#  columns:      anon staff_a leader_a staff_b leader_b staff_p ndrc mof
#                expert_assigned expert_other inspector_assigned inspector_other
#                archivist_assigned archivist_other sys_admin sec_admin audit_admin
COCKPIT     = "401  200 200 200 200 200  200 200  403 403 403 403 403 403  403 403 403"
# fmt: on

ENDPOINTS: list[Endpoint] = [
    Endpoint("portfolio-summary", "get", lambda ctx: Call(_url("portfolio-summary")), COCKPIT),
    # the project list as XLSX: whoever may list projects, each their own (tests/portfolio/test_export.py)
    Endpoint("project-export", "get", lambda ctx: Call(_url("project-export")), BUSINESS),
]
