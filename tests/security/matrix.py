"""The access matrix (SPEC §1): every named URL × every role × GET and POST → expected outcome.

Each URL name maps to one or more `Case`s. A case says which objects the URL points at (unit A's,
so unit B's staff is the IDOR role) and, per role, the outcome class for GET and for POST:

- OK     200, or a 302 that is not the login redirect (a re-rendered form with errors counts);
- DENY   403 or 404;
- LOGIN  302 to the login page;
- M405   405 method not allowed.

A URL in the resolver without an entry here fails tests/security/test_access_matrix.py. When SPEC
§1 is ambiguous the stricter reading is taken and said so in a comment.
"""

from dataclasses import dataclass, field

from tests.security.world import QUARTER, YEAR

OK, DENY, LOGIN, M405 = "ok", "deny", "login", "405"

ROLES = (
    "anonymous",
    "staff_a",
    "staff_b",
    "head_a",
    "coordinator",
    "reviewer",
    "leader",
    "admin",
)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
# Everyone who may read unit A's data: its own users, the coordinator of A's group, the office,
# city leaders and the administrator. Unit B's staff is the one signed-in role that may not.
READ_A = SIGNED_IN - {"staff_b"}
# Who may enter or change unit A's data: its own staff and head (and the administrator, who may
# do everything). The coordinator reads A but writes nothing of A's; leaders change no data.
WRITE_A = frozenset({"staff_a", "head_a", "admin"})
# Unit users enter data for their own unit (the coordinator's own unit is the lead unit).
UNIT_USERS = frozenset({"staff_a", "staff_b", "head_a", "coordinator"})
OFFICE = frozenset({"reviewer", "admin"})  # 考核办 (the admin may do what the office does)
# Unit A's town (issue 20 item 3): unit A's own users read it as its parent, with those who read
# everything; the coordinator reads unit A as a member of its group, not A's sub-units.
READ_TOWN = frozenset({"staff_a", "head_a", "reviewer", "leader", "admin"})
# The targets unit A passes down are its own breakdown: A's staff and head, and the office.
TOWN_TARGETS = frozenset({"staff_a", "head_a", "reviewer", "admin"})
SEES_ALL = frozenset({"reviewer", "leader", "admin"})
DUBAN_READ = frozenset({"staff_a", "head_a"}) | SEES_ALL  # a 督办 is addressed to one unit
OWNER = frozenset({"reviewer"})  # the world's background job was started by the reviewer


@dataclass(frozen=True)
class Ref:
    """A world object's primary key, looked up when the test runs."""

    name: str


def allow(roles, otherwise=DENY):
    """OK for `roles`, `otherwise` for the other signed-in roles, LOGIN for anonymous."""
    return {role: (OK if role in roles else otherwise) for role in SIGNED_IN} | {"anonymous": LOGIN}


def everyone(outcome):
    return {role: outcome for role in SIGNED_IN} | {"anonymous": LOGIN}


@dataclass
class Case:
    kwargs: dict
    get: dict
    post: dict
    label: str = ""
    # Extra POST fields (default: an empty body).
    data: dict = field(default_factory=dict)
    # An empty POST by a permitted role legitimately changes data (compute, publish, delete…);
    # every other POST, permitted or not, must leave the data exactly as it was.
    acts: bool = False
    # Session values to seed before the request (e.g. the last import's errors).
    session: dict = field(default_factory=dict)


def read_page(roles=SIGNED_IN, **kwargs):
    """A function view that renders the same page for GET and POST (POST changes nothing)."""
    return Case(kwargs, get=allow(roles), post=allow(roles))


def list_page(roles=SIGNED_IN, **kwargs):
    """A class-based read view: POST is not allowed at all."""
    return Case(kwargs, get=allow(roles), post=everyone(M405))


def form_page(roles, acts=False, **kwargs):
    """A form: the same roles may open and post it; an empty POST re-renders with errors."""
    return Case(kwargs, get=allow(roles), post=allow(roles), acts=acts)


def action(roles, acts=False, **kwargs):
    """A POST-only action."""
    return Case(kwargs, get=everyone(M405), post=allow(roles), acts=acts)


PERIOD = {"year": YEAR, "quarter": QUARTER}
CLAIM_SUBMITTED = {"kind": "milestone", "pk": Ref("milestone_a")}
CLAIM_DRAFT = {"kind": "investment", "pk": Ref("investment_a")}

MATRIX = {
    # --- site ---
    "home": [read_page()],
    "login": [
        Case(
            {},
            get=everyone(OK) | {"anonymous": OK},
            post=everyone(OK) | {"anonymous": OK},  # an empty login form re-renders with errors
        )
    ],
    # Logging out is POST only and ends on the login page (anonymous users land there too).
    "logout": [Case({}, get=everyone(M405), post=everyone(LOGIN))],
    # --- units and groups ---
    "units:unit_list": [list_page()],
    # Unit names for the search box of a unit field; results are scoped (tests/units/test_search).
    "units:unit_search": [list_page()],
    "units:unit_add": [form_page(OFFICE)],
    "units:unit_detail": [list_page(READ_A, pk=Ref("unit_a"))],
    # A unit head keeps their own unit's contacts up to date; staff, coordinator and leaders may
    # not edit a unit's profile.
    # Every contact field is optional, so the head's empty POST is a valid save.
    "units:unit_edit": [
        Case(
            {"pk": Ref("unit_a")},
            get=allow(OFFICE | {"head_a"}),
            post=allow(OFFICE | {"head_a"}),
            acts=True,
        )
    ],
    "units:unit_toggle_active": [action(OFFICE, acts=True, pk=Ref("unit_a"))],
    # 下属单位 (issue 20 item 3): the roll-up answers POST like GET; an empty POST of the target
    # grid keeps every cell (cells left out of a POST are kept), so it changes nothing.
    "units:subunits": [read_page(READ_TOWN, pk=Ref("unit_a"))],
    "units:subunit_targets": [
        Case({"pk": Ref("unit_a"), "year": YEAR}, get=allow(READ_TOWN), post=allow(TOWN_TARGETS))
    ],
    "units:group_list": [list_page()],
    "units:group_add": [form_page(OFFICE)],
    # Unit B is a member of the same group, so its staff may read the group page.
    "units:group_detail": [list_page(pk=Ref("group"))],
    "units:group_edit": [form_page(OFFICE, pk=Ref("group"))],
    # The group 通报 is the lead unit's and those who read everything; member units' staff may
    # read the group page but not its members' figures (403). The world's Q3 is unpublished, so
    # the coordinator is sent back to the group page (302, OK); the office and leaders see a draft.
    "units:group_report": [read_page(SEES_ALL | {"coordinator"}, pk=Ref("group"), quarter=QUARTER)],
    # --- projects ---
    "projects:project_list": [list_page()],
    # Every unit user enters projects for their own unit; the office and leaders enter none.
    "projects:project_add": [form_page(UNIT_USERS | {"admin"})],
    "projects:project_detail": [
        list_page(READ_A, pk=Ref("project_a")),
        # Parent/child: unit A reads its town's project; editing stays the town's.
        Case({"pk": Ref("project_town")}, get=allow(READ_TOWN), post=everyone(M405), label="town"),
    ],
    "projects:project_edit": [
        form_page(WRITE_A, pk=Ref("project_a")),
        Case(
            {"pk": Ref("project_town")}, get=allow({"admin"}), post=allow({"admin"}), label="town"
        ),
    ],
    "projects:project_terminate": [form_page(WRITE_A, pk=Ref("project_a"))],
    "projects:project_shares": [form_page(WRITE_A, pk=Ref("project_a"))],
    # --- persons registry (issue 19) ---
    # Everyone signed in reads the registry, scoped (a unit sees its own staff, intermediaries
    # and leaders); unit B's staff cannot open unit A's staff member.
    "persons:person_list": [list_page()],
    "persons:person_search": [list_page()],
    "persons:person_detail": [list_page(READ_A, pk=Ref("person_a"))],
    # 五个一 包扶 (issue 19 item 5): a person's portfolio reads like their page (the projects in
    # it are scoped by Project.visible_to); 我的包扶项目 answers everyone (a message when the
    # account has no registry leader); the city-wide 包扶表 is for those who read everything.
    "persons:person_portfolio": [list_page(READ_A, pk=Ref("person_a"))],
    "persons:my_portfolio": [list_page()],
    "persons:baofu_table": [list_page(SEES_ALL)],
    # The office registers anyone; a unit's staff and head register their own unit's staff.
    "persons:person_add": [form_page(OFFICE | {"staff_a", "staff_b", "head_a"})],
    "persons:person_edit": [form_page(WRITE_A | OFFICE, pk=Ref("person_a"))],
    # Intermediary rewards (issue 19 item 4): the office acts, leaders read, unit users (the
    # coordinator too) see nothing — outside persons' personal payments, no unit step. The list
    # page renders the same page for POST; an empty POST of a step is refused with a message
    # (302) and changes nothing; computing and applying a difference act.
    "persons:rewards": [read_page(SEES_ALL, year=YEAR)],
    "persons:reward_notice": [read_page(SEES_ALL, year=YEAR)],
    "persons:reward_rule": [action(OFFICE, year=YEAR)],
    "persons:reward_compute": [action(OFFICE, acts=True, year=YEAR)],
    "persons:reward_publicise": [action(OFFICE, year=YEAR)],
    "persons:reward_approve": [action(OFFICE, year=YEAR)],
    "persons:reward_pay": [action(OFFICE, year=YEAR)],
    "persons:reward_change": [action(OFFICE, year=YEAR, pk=Ref("reward"))],
    "persons:reward_apply": [action(OFFICE, acts=True, year=YEAR, person=Ref("intermediary"))],
    "projects:assistance_add": [form_page(WRITE_A, project_pk=Ref("project_a"))],
    "projects:claim_add": [form_page(WRITE_A, project_pk=Ref("project_a"), kind="funds")],
    "projects:claim_edit": [
        Case(CLAIM_DRAFT, get=allow(WRITE_A), post=allow(WRITE_A), label="draft"),
        # The town's draft is the town's: its parent unit may not open it.
        Case(
            {"kind": "investment", "pk": Ref("investment_town")},
            get=allow({"admin"}),
            post=allow({"admin"}),
            label="town-draft",
        ),
        # A submitted claim is out of the unit's hands: nobody edits it.
        Case(CLAIM_SUBMITTED, get=allow(()), post=allow(()), label="submitted"),
    ],
    "projects:claim_delete": [
        Case(CLAIM_DRAFT, get=everyone(M405), post=allow(WRITE_A), acts=True, label="draft"),
        Case(CLAIM_SUBMITTED, get=everyone(M405), post=allow(()), label="submitted"),
    ],
    "projects:evidence_add": [form_page(WRITE_A, **CLAIM_DRAFT)],
    "projects:evidence_download": [
        # The download view answers POST like GET; it changes nothing.
        Case(
            {"pk": Ref("evidence_submitted")},
            get=allow(READ_A),
            post=allow(READ_A),
            label="submitted",
        ),
        # "A user never sees another unit's drafts" (SPEC §1): a draft claim's evidence stays
        # with its unit — stricter than "may read the project".
        Case({"pk": Ref("evidence_draft")}, get=allow(WRITE_A), post=allow(WRITE_A), label="draft"),
        # Parent/child: unit A reads its town's submitted evidence, never the town's drafts.
        Case(
            {"pk": Ref("evidence_town_submitted")},
            get=allow(READ_TOWN),
            post=allow(READ_TOWN),
            label="town-submitted",
        ),
        Case(
            {"pk": Ref("evidence_town_draft")},
            get=allow({"admin"}),
            post=allow({"admin"}),
            label="town-draft",
        ),
    ],
    "projects:evidence_delete": [action(WRITE_A, acts=True, pk=Ref("evidence_draft"))],
    "projects:assistance_list": [list_page()],
    "projects:assistance_overdue": [list_page()],
    "projects:assistance_edit": [form_page(WRITE_A, pk=Ref("assistance_a"))],
    "projects:lead_list": [list_page()],
    # Leads and visits are collected by units; the administrator has no unit to record them for.
    "projects:lead_add": [form_page(UNIT_USERS)],
    "projects:lead_detail": [list_page(READ_A, pk=Ref("lead_a"))],
    "projects:lead_edit": [form_page(WRITE_A, pk=Ref("lead_a"))],
    # Converting marks A's lead 已转项目: only A (or a unit it shared the lead with) may.
    "projects:lead_convert": [form_page(WRITE_A, pk=Ref("lead_a"))],
    "projects:visit_list": [list_page()],
    "projects:visit_add": [form_page(UNIT_USERS)],
    "projects:visit_edit": [form_page(WRITE_A, pk=Ref("visit_a"))],
    # Every unit user files its own unit's report here; others may read, never post.
    "projects:report_list": [Case({}, get=allow(SIGNED_IN), post=allow(UNIT_USERS))],
    "projects:alert_list": [read_page()],
    "projects:settings": [form_page(OFFICE)],
    # --- verification ---
    "review:queue": [read_page(SEES_ALL)],
    # Leaders approve (审定) confirmed claims, so they may post bulk actions.
    "review:queue_act": [action(SEES_ALL)],
    "review:my_claims": [read_page(UNIT_USERS)],
    "review:my_claims_submit": [action(UNIT_USERS)],
    "review:claim_detail": [
        Case(CLAIM_SUBMITTED, get=allow(READ_A), post=allow(READ_A), label="submitted"),
        # Drafts stay with their unit (the administrator sees everything).
        Case(CLAIM_DRAFT, get=allow(WRITE_A), post=allow(WRITE_A), label="draft"),
        # Parent/child: unit A reads its town's submitted claim, not the town's draft.
        Case(
            {"kind": "milestone", "pk": Ref("milestone_town")},
            get=allow(READ_TOWN),
            post=allow(READ_TOWN),
            label="town-submitted",
        ),
        Case(
            {"kind": "investment", "pk": Ref("investment_town")},
            get=allow({"admin"}),
            post=allow({"admin"}),
            label="town-draft",
        ),
    ],
    "review:claim_act": [
        # A real step, not an empty body: only the office may review a submitted claim.
        Case(
            CLAIM_SUBMITTED,
            get=everyone(M405),
            post=allow(OFFICE),
            data={"action": "review", "version": "1"},
            acts=True,
            label="review",
        ),
        # An empty form is refused with a message to anyone who may read the claim.
        Case(CLAIM_SUBMITTED, get=everyone(M405), post=allow(READ_A), label="empty"),
    ],
    # The office check comes first, so others are refused before the method is looked at.
    "review:flag_list": [
        Case({}, get=allow(OFFICE), post=allow(()) | {role: M405 for role in OFFICE})
    ],
    "review:flag_scan": [action(OFFICE, acts=True)],
    "review:flag_detail": [form_page(OFFICE, pk=Ref("flag"))],
    "review:history": [read_page(OFFICE)],
    # --- assessment ---
    "assessment:index": [read_page()],
    "assessment:report_latest": [read_page()],
    "assessment:targets_latest": [read_page(OFFICE)],
    "assessment:ranking": [read_page(**PERIOD)],
    # Unit users are sent back to the ranking until the report is published.
    "assessment:report": [read_page(**PERIOD)],
    "assessment:compute": [action(OFFICE, acts=True, **PERIOD)],
    # GET: the publish preview; a POST publishes only with the version seen and the confirmation
    # (issue 17), so an empty one changes nothing.
    "assessment:publish": [form_page(OFFICE, **PERIOD)],
    "assessment:unlock": [action(OFFICE, **PERIOD)],
    "assessment:diff": [read_page(SEES_ALL, **PERIOD)],
    "assessment:unit_assessment": [read_page(READ_A, **PERIOD, unit_id=Ref("unit_a"))],
    "assessment:adjustment_add": [action(OFFICE, **PERIOD, unit_id=Ref("unit_a"))],
    "assessment:year_list": [read_page(SEES_ALL)],
    "assessment:year_add": [form_page(OFFICE)],
    "assessment:year_detail": [read_page(SEES_ALL, year=YEAR)],
    "assessment:year_edit": [form_page(OFFICE, year=YEAR)],
    "assessment:rules_unlock": [action(OFFICE, year=YEAR)],
    "assessment:indicator_add": [form_page(OFFICE, year=YEAR)],
    "assessment:indicator_edit": [form_page(OFFICE, year=YEAR, pk=Ref("indicator"))],
    # An empty cell clears a target, so an empty grid POST is a real save.
    "assessment:targets": [form_page(OFFICE, acts=True, year=YEAR)],
    "assessment:group_targets": [form_page(OFFICE, acts=True, year=YEAR)],
    # --- 100-day campaigns (百日会战): published ones are read by everyone ---
    "assessment:campaign_list": [read_page()],
    "assessment:campaign_add": [form_page(OFFICE)],
    "assessment:campaign_detail": [
        read_page(pk=Ref("campaign")),
        read_page(SEES_ALL, pk=Ref("campaign_draft")),
    ],
    "assessment:campaign_edit": [form_page(OFFICE, pk=Ref("campaign"))],
    # Cells left out of a POST are kept: an empty POST to the campaign grid changes nothing.
    "assessment:campaign_targets": [form_page(OFFICE, pk=Ref("campaign"))],
    "assessment:campaign_export": [
        read_page(pk=Ref("campaign")),
        read_page(SEES_ALL, pk=Ref("campaign_draft")),
    ],
    # --- the ledger of rewards and sanctions (issue 20) ---
    # Everyone signed in opens a ledger; a unit's users see only their own unit's confirmed
    # decisions in it (tests/ledger/test_ledger_views.py). Only the office acts.
    "assessment:ledger_latest": [read_page()],
    "assessment:ledger_year": [read_page(year=YEAR)],
    "assessment:ledger_campaign": [
        read_page(pk=Ref("campaign")),
        read_page(SEES_ALL, pk=Ref("campaign_draft")),
    ],
    # The world's Q4 is not published and its campaigns have no rules: nothing is generated.
    "assessment:ledger_year_generate": [action(OFFICE, year=YEAR)],
    "assessment:ledger_campaign_generate": [action(OFFICE, pk=Ref("campaign"))],
    "assessment:ledger_add": [form_page(OFFICE, year=YEAR)],
    # A proposal is not a decision: unit users may not read it. A confirmed decision is read
    # by its own unit's staff and head; the coordinator's own unit is the lead unit (stricter).
    "assessment:ledger_decision": [
        read_page(SEES_ALL, pk=Ref("decision_proposed")),
        read_page(SEES_ALL | {"staff_a", "head_a"}, pk=Ref("decision_confirmed")),
    ],
    # An empty POST re-renders the form with its message.
    "assessment:ledger_confirm": [action(OFFICE, pk=Ref("decision_proposed"))],
    "assessment:ledger_withdraw": [action(OFFICE, pk=Ref("decision_proposed"))],
    # Heads in post (issue 20 item 2): whoever reads unit A reads its terms; only the office
    # records, edits and ends them. An empty POST re-renders the form (or, ending a term,
    # returns with the message) and changes nothing.
    "assessment:unit_heads": [list_page(READ_A, pk=Ref("unit_a"))],
    "assessment:unit_head_add": [form_page(OFFICE, pk=Ref("unit_a"))],
    "assessment:unit_head_edit": [form_page(OFFICE, pk=Ref("head_term"))],
    "assessment:unit_head_end": [action(OFFICE, pk=Ref("head_term"))],
    # --- campaign measures, 周报/旬报 and 《简报》 (issue 20 item 4) ---
    "assessment:campaign_measures": [form_page(OFFICE, pk=Ref("campaign"))],
    "assessment:campaign_measure_delete": [
        action(OFFICE, acts=True, pk=Ref("campaign"), measure=Ref("campaign_measure"))
    ],
    # Cells left out of a POST are kept: an empty POST to the grid changes nothing.
    "assessment:campaign_measure_targets": [form_page(OFFICE, pk=Ref("campaign"))],
    # The office and leaders read every unit's reports; a unit taking part (甲县) its own. 乙县
    # and the coordinator's unit hold no campaign target, so they have no reports page.
    "assessment:campaign_reports": [
        read_page(SEES_ALL | {"staff_a", "head_a"}, pk=Ref("campaign")),
        read_page(SEES_ALL, pk=Ref("campaign_draft")),
    ],
    # Only the unit's own users file its report (the administrator belongs to no unit); an empty
    # POST lacks the required figure and saves nothing.
    "assessment:campaign_report_edit": [
        form_page({"staff_a", "head_a"}, pk=Ref("campaign"), period=1)
    ],
    # A brief not yet issued is a draft: the office and leaders only.
    "assessment:campaign_brief": [read_page(SEES_ALL, pk=Ref("campaign"), period=1)],
    "assessment:campaign_brief_export": [read_page(SEES_ALL, pk=Ref("campaign"), period=1)],
    "assessment:campaign_brief_issue": [action(OFFICE, acts=True, pk=Ref("campaign"), period=1)],
    # --- dashboard (every role; figures are scoped inside) ---
    "dashboard:index": [read_page()],
    "dashboard:structure": [read_page()],
    "dashboard:forecast": [read_page()],
    "dashboard:contributors": [read_page()],
    # --- workbook ---
    "workbook:import": [form_page(OFFICE)],
    "workbook:template": [read_page(OFFICE)],
    # Confirming a previewed import: the reviewer who uploaded it (the job's owner) only.
    "workbook:import_confirm": [action(OWNER, pk=Ref("job"))],
    # The whole year in the import format (every unit's projects): the office only.
    "workbook:year_export": [read_page(OFFICE, year=YEAR)],
    # Before publication only the office and leaders may download the computed ranking.
    # 下载排名表 queues a job (POST; the file comes from jobs:download).
    "workbook:ranking": [action(SEES_ALL, acts=True, **PERIOD)],
    # --- background jobs: a job is seen only by the user who started it (404 for others) ---
    "jobs:list": [read_page()],
    "jobs:detail": [read_page(OWNER, pk=Ref("job"))],
    "jobs:cancel": [action(OWNER, pk=Ref("job"))],
    "jobs:errors": [read_page(OWNER, pk=Ref("job"))],
    # The file a job produced: its owner only (404 for everyone else).
    "jobs:download": [read_page(OWNER, pk=Ref("export_job"))],
    # --- 督办 (issue 18 item 4): addressed to unit A; unit B and the coordinator get 404 ---
    "projects:duban_list": [list_page()],
    "projects:duban_detail": [list_page(DUBAN_READ, pk=Ref("duban_a"))],
    "projects:duban_file": [list_page(DUBAN_READ, pk=Ref("duban_file"))],
    # Only unit A's own users reply (an empty POST re-renders the form with its errors).
    "projects:duban_reply": [action({"staff_a", "head_a"}, pk=Ref("duban_a"))],
    # Leaders and the office issue and close.
    "projects:duban_close": [action(SEES_ALL, pk=Ref("duban_a"))],
    "projects:duban_issue": [form_page(SEES_ALL, target="project", pk=Ref("project_a"))],
    # --- notifications: each user's own (issue 18); another user's notification is a 404 ---
    "notify:list": [read_page()],
    # Opening marks it read and follows its link (GET only, a local link only).
    "notify:open": [list_page(OWNER, pk=Ref("notification"))],
    "notify:read_all": [action(SIGNED_IN, acts=True)],
    # An empty POST is a valid choice: no e-mail or robot copies of anything.
    "notify:settings": [form_page(SIGNED_IN, acts=True)],
    # Group robots: the office's (a robot's address is the group chat's credential).
    "notify:robot_list": [read_page(OFFICE)],
    "notify:robot_add": [form_page(OFFICE)],
    "notify:robot_edit": [form_page(OFFICE, pk=Ref("robot"))],
    "notify:robot_test": [action(OFFICE, pk=Ref("robot"))],
}
