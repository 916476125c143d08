"""Permission expectations of the department record (api.md "Department record and portfolio":
`GET /departments/{code}/record`) for test_permission_matrix: NDRC, MoF and the department itself
(moa: staff_a, leader_a); every other persona — another department (mob), a participating one
(prov), experts, inspectors, archivists, the three administrators — 404, as for an unknown code."""

from __future__ import annotations

from .endpoints import Call, Endpoint, _url

# fmt: off
#  columns:      anon staff_a leader_a staff_b leader_b staff_p ndrc mof
#                expert_assigned expert_other inspector_assigned inspector_other
#                archivist_assigned archivist_other sys_admin sec_admin audit_admin
RECORD      = "401  200 200 404 404 404  200 200  404 404 404 404 404 404  403 403 403"
# fmt: on


ENDPOINTS: list[Endpoint] = [
    Endpoint("department-record", "get", lambda ctx: Call(_url("department-record", code="moa")), RECORD),
]
