"""The demo data set: realistic departments, a user for every role and fifteen projects spread
over every stage. Loading is idempotent: what exists is left alone.

DEMO ONLY: every demo user shares the password below. Never load this into production."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from egovpm.accounts import services as accounts
from egovpm.accounts.models import Department, User
from egovpm.projects import services as projects
from egovpm.projects.models import Project

DEMO_PASSWORD = "Demo-egovpm-2026"

DEPARTMENTS = [
    # code, name, kind, division, number
    ("ndrc", "国家发展和改革委员会", "ndrc", "000000", "01"),
    ("mof", "财政部", "mof", "000000", "02"),
    ("saac", "国家档案局", "archives", "000000", "03"),
    ("ciecc", "中国国际工程咨询有限公司", "agency", "000000", "04"),
    ("mohrss", "人力资源和社会保障部", "central", "000000", "11"),
    ("mee", "生态环境部", "central", "000000", "12"),
    ("mnr", "自然资源部", "central", "000000", "13"),
    ("samr", "国家市场监督管理总局", "central", "000000", "14"),
    ("gd-zsj", "广东省政务服务和数据管理局", "local", "440000", "21"),
    ("zj-dsj", "浙江省大数据发展管理局", "local", "330000", "22"),
    ("sc-rst", "四川省人力资源和社会保障厅", "local", "510000", "23"),
]

USERS = [
    # username, department, roles, display name
    ("ndrc.officer", "ndrc", ["ndrc_officer"], "王建国（发改委高技司）"),
    ("mof.viewer", "mof", ["mof_viewer"], "李财（财政部经建司）"),
    ("mohrss.staff", "mohrss", ["dept_staff"], "张明（人社部信息中心经办人）"),
    ("mohrss.leader", "mohrss", ["dept_leader"], "赵立新（人社部副部长）"),
    ("mee.staff", "mee", ["dept_staff"], "陈静（生态环境部信息中心）"),
    ("mee.leader", "mee", ["dept_leader"], "孙伟（生态环境部副部长）"),
    ("mnr.staff", "mnr", ["dept_staff"], "周涛（自然资源部信息中心）"),
    ("samr.staff", "samr", ["dept_staff", "dept_leader"], "吴敏（市场监管总局）"),
    ("gd.staff", "gd-zsj", ["dept_staff"], "黄海（广东省政数局）"),
    ("zj.staff", "zj-dsj", ["dept_staff"], "钱江（浙江省大数据局）"),
    ("zj.leader", "zj-dsj", ["dept_leader"], "郑浩（浙江省大数据局局长）"),
    ("sc.staff", "sc-rst", ["dept_staff"], "蒋川（四川省人社厅）"),
    ("expert.liu", "ciecc", ["expert"], "刘教授（政务应用）"),
    ("expert.he", "ciecc", ["expert"], "何研究员（网络与安全）"),
    ("expert.xu", "ciecc", ["expert"], "徐高工（投资概算）"),
    ("inspector.ma", "ciecc", ["inspector"], "马检查（中咨公司）"),
    ("archivist.lin", "saac", ["archivist"], "林档案（国家档案局）"),
    ("sys.admin", "ndrc", ["sys_admin"], "系统管理员"),
    ("sec.admin", "ndrc", ["sec_admin"], "安全保密管理员"),
    ("audit.admin", "ndrc", ["audit_admin"], "安全审计员"),
]

FORWARD = [
    "submit_needs_analysis",
    "submit_proposal",
    "approve_proposal",
    "approve_feasibility",
    "approve_preliminary_design",
    "start_trial_operation",
    "pass_preliminary_acceptance",
    "pass_completion_acceptance",
]
STAGE_STEPS = {
    "draft": 0,
    "needs_analysis": 1,
    "proposal": 2,
    "feasibility_study": 3,
    "preliminary_design": 4,
    "construction": 5,
    "trial_operation": 6,
    "acceptance": 7,
    "in_operation": 8,
}

# code, name, lead, participants, target stage, first date, leader (name, title), joint
PROJECTS = [
    (
        "2022-000000-11-01-000001",
        "全国社会保险公共服务平台建设工程",
        "mohrss",
        ["gd-zsj", "zj-dsj"],
        "construction",
        "2022-03-01",
        ("赵立新", "副部长"),
        True,
    ),
    (
        "2026-000000-11-01-000002",
        "人力资源市场供求信息监测系统",
        "mohrss",
        [],
        "draft",
        None,
        ("", ""),
        False,
    ),
    (
        "2021-000000-12-01-000001",
        "国家生态环境监测大数据平台",
        "mee",
        [],
        "trial_operation",
        "2021-04-12",
        ("孙伟", "副部长"),
        False,
    ),
    (
        "2026-000000-12-01-000002",
        "生态环境执法业务协同系统",
        "mee",
        [],
        "needs_analysis",
        "2026-06-15",
        ("孙伟", "副部长"),
        False,
    ),
    (
        "2024-000000-13-01-000001",
        "自然资源三维立体“一张图”工程",
        "mnr",
        [],
        "feasibility_study",
        "2024-05-20",
        ("周志远", "副部长"),
        False,
    ),
    (
        "2023-000000-13-01-000002",
        "国土空间规划实施监测网络",
        "mnr",
        ["sc-rst"],
        "preliminary_design",
        "2023-09-01",
        ("周志远", "副部长"),
        False,
    ),
    (
        "2020-000000-14-01-000001",
        "全国统一市场监管信息平台",
        "samr",
        [],
        "acceptance",
        "2020-02-10",
        ("吴敏", "副局长"),
        False,
    ),
    (
        "2018-000000-14-01-000002",
        "国家企业信用信息公示系统升级工程",
        "samr",
        [],
        "in_operation",
        "2018-03-05",
        ("吴敏", "副局长"),
        False,
    ),
    (
        "2025-000000-14-01-000003",
        "食品安全追溯监管平台",
        "samr",
        [],
        "proposal",
        "2025-08-01",
        ("吴敏", "副局长"),
        False,
    ),
    (
        "2023-440000-21-01-000001",
        "广东省数字政府政务服务一体化平台（国家试点）",
        "gd-zsj",
        [],
        "construction",
        "2023-02-15",
        ("黄海", "局长"),
        False,
    ),
    (
        "2019-330000-22-01-000001",
        "浙江省政务服务移动端“浙里办”国家节点",
        "zj-dsj",
        [],
        "in_operation",
        "2019-01-10",
        ("钱江", "局长"),
        False,
    ),
    (
        "2024-000000-12-01-000003",
        "生态环境信息化安全保障工程",
        "mee",
        [],
        "cancelled",
        "2024-03-01",
        ("孙伟", "副部长"),
        False,
    ),
    (
        "2025-000000-11-01-000003",
        "社会保障卡“一卡通”服务系统",
        "mohrss",
        ["sc-rst"],
        "proposal",
        "2025-04-01",
        ("赵立新", "副部长"),
        False,
    ),
    ("2026-000000-13-01-000003", "自然资源确权登记信息系统", "mnr", [], "draft", None, ("", ""), False),
    (
        "2025-510000-23-01-000001",
        "川渝人社业务协同平台",
        "sc-rst",
        ["mohrss"],
        "needs_analysis",
        "2025-11-03",
        ("蒋川", "厅长"),
        False,
    ),
]


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _staff_of(department: str) -> User:
    user = (
        User.objects.filter(department__code=department, roles__role="dept_staff").first()
        or User.objects.filter(department__code=department).first()
    )
    if user is None:
        raise LookupError(f"the demo department {department} has no user")
    return user


def _leader_of(department: str) -> User | None:
    return User.objects.filter(department__code=department, roles__role="dept_leader").first()


def _walk(project: Project, target: str, start: dt.date) -> None:
    ndrc = _user("ndrc.officer")
    lead = project.lead_department.code
    staff, leader = _staff_of(lead), _leader_of(lead)
    steps = STAGE_STEPS["in_operation"] if target == "cancelled" else STAGE_STEPS[target]
    if target == "cancelled":
        steps = 3  # cancelled during the feasibility study
    day = start
    for action in FORWARD[:steps]:
        if action.startswith("approve") or action == "pass_completion_acceptance":
            actor = ndrc
        elif action == "pass_preliminary_acceptance":
            actor = leader or staff
        else:
            actor = staff
        year_seq = f"{day.year}"
        reference = f"发改高技〔{year_seq}〕{100 + day.timetuple().tm_yday}号" if action.startswith("approve") else ""
        prepare_evidence(project=project, action=action, day=day)
        projects.project_transition(
            actor=actor,
            project_id=project.pk,
            action=action,
            effective_date=day,
            comment="演示数据",
            approval_reference=reference,
        )
        day += dt.timedelta(days=75 if action != "approve_preliminary_design" else 300)
    if target == "cancelled":
        projects.project_transition(
            actor=ndrc,
            project_id=project.pk,
            action="cancel",
            effective_date=day,
            comment="建设内容已并入其他项目，经研究予以撤销",
        )


@transaction.atomic
def load() -> None:
    existing = set(Department.objects.values_list("code", flat=True))
    for code, name, kind, division, number in DEPARTMENTS:
        if code not in existing:
            accounts.department_add(actor=None, code=code, name=name, kind=kind, division_code=division, number=number)
    users = set(User.objects.values_list("username", flat=True))
    for username, department, roles, display in USERS:
        if username not in users:
            accounts.user_add(
                actor=None,
                username=username,
                department_code=department,
                roles=roles,
                password=DEMO_PASSWORD,
                display_name=display,
                email=f"{username}@demo.invalid",
            )
    codes = set(Project.objects.values_list("code", flat=True))
    for code, name, lead, participants, target, start, (leader, title), joint in PROJECTS:
        if code in codes:
            continue
        project = projects.project_create(
            actor=_staff_of(lead),
            name=name,
            lead_department=lead,
            participating_departments=participants,
            code=code,
            joint_central_local=joint,
            responsible_leader_name=leader,
            responsible_leader_title=title,
            business_unit=f"{Department.objects.get(code=lead).name}业务司局" if leader else "",
            technical_unit=f"{Department.objects.get(code=lead).name}信息中心" if leader else "",
            construction_goals="建成覆盖全国的业务应用和数据共享体系，提升政务服务和监管能力。",
            main_content="业务应用系统、数据资源体系、基础设施、安全保障体系和标准规范体系建设。",
            service_outsourcing=code.endswith("1"),
            data_hosting="平台" in name,
        )
        if start:
            _walk(project, target, dt.date.fromisoformat(start))
    samr = Project.objects.get(code="2020-000000-14-01-000001")
    if not samr.completion_entrusted:
        projects.project_set_entrustment(
            actor=_user("ndrc.officer"),
            project_id=samr.pk,
            entrusted=True,
            reason="项目投资规模较小，委托项目建设部门组织竣工验收（发改委令第55号）",
        )
    sea = Project.objects.get(code="2022-000000-11-01-000001")
    for username, task in (("archivist.lin", "archivist"), ("inspector.ma", "inspector")):
        if not sea.assignments.filter(user__username=username, task=task).exists():
            projects.assignment_add(actor=_user("ndrc.officer"), project_id=sea.pk, username=username, task=task)
    _load_app_demos()


# Domain apps add their demo records in <app>/demo.py with a load() of their own (idempotent).
DEMO_APPS = ("budgets", "reports", "reviews", "security", "archives", "procurement", "inspections", "evaluations")


def _load_app_demos() -> None:
    import importlib
    import importlib.util

    for app in DEMO_APPS:
        if importlib.util.find_spec(f"egovpm.{app}.demo") is not None:
            importlib.import_module(f"egovpm.{app}.demo").load()


def prepare_evidence(*, project: Project, action: str, day: dt.date) -> None:
    """Before `action` on `project` (effective `day`), let each domain app record the evidence its
    gate rules need — an estimate, expert review, systems, a risk assessment, archive acceptance.
    Used by the demo walk and by the tests' lifecycle helper; each app's `prepare` is idempotent."""
    import importlib
    import importlib.util

    for app in DEMO_APPS:
        if importlib.util.find_spec(f"egovpm.{app}.demo") is not None:
            module = importlib.import_module(f"egovpm.{app}.demo")
            if hasattr(module, "prepare"):
                module.prepare(project=project, action=action, day=day)


def print_logins(host: str = "127.0.0.1", port: int = 8000) -> None:
    print()
    print("=" * 72)
    print(f" egovpm demo — open http://{host}:{port}/")
    print(" DEMO ONLY: these accounts share one published password; never use them in production.")
    print(f" password for every demo user: {DEMO_PASSWORD}")
    print("-" * 72)
    for username, _department, roles, display in USERS:
        print(f"  {username:<16} {','.join(roles):<24} {display}")
    print("=" * 72, flush=True)
