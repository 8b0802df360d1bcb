"""发布通报 in two steps (issue 17 item 6): a preview page that names the quarter, shows which
units land in which echelon and why, how many claims publishing locks, and links the draft 通报
and workbook; then a confirm step (a plain form post, no script needed) that publishes.

A post without the confirmation — an old page, or a form that skipped the preview — publishes
nothing and leads back to the preview.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from assessment import snapshots, visibility
from assessment.formatting import quarter_name
from assessment.models import SnapshotStatus
from assessment.preview import claims_locked, echelon_sections
from assessment.snapshots import SnapshotError
from assessment.views.ranking import _quarter, _year
from units import access

CONFIRM_FIELD = "confirm"
CONFIRM_VALUE = "publish"


def _preview(request, ay, quarter, snapshot):
    result = snapshots.result_of(snapshot)
    locked = claims_locked(ay.year, quarter)
    return render(
        request,
        "assessment/publish_confirm.html",
        {
            "title": f"发布{ay.year}年{quarter_name(quarter)}通报",
            "ay": ay,
            "quarter": quarter,
            "snapshot": snapshot,
            "result": result,
            "sections": echelon_sections(result, ay.echelon_fractions()),
            "claims_locked": locked,
            "seen_token": snapshots.seen_token(snapshot),
            "confirm_field": CONFIRM_FIELD,
            "confirm_value": CONFIRM_VALUE,
        },
    )


@login_required
def snapshot_publish(request, year, quarter):
    """GET: the preview and confirmation page; POST with the confirmation: publish."""
    access.require(visibility.can_run(request.user))
    ay, quarter = _year(year), _quarter(quarter)
    snapshot = snapshots.latest_snapshot(ay, quarter)
    back = redirect("assessment:ranking", year=ay.year, quarter=quarter)
    if snapshot is None:
        messages.error(request, "请先测算本季度，再发布通报。")
        return back
    if request.method != "POST":
        if snapshot.status != SnapshotStatus.DRAFT:
            messages.error(request, "该季度没有待发布的测算结果，请重新测算后再发布。")
            return back
        return _preview(request, ay, quarter, snapshot)
    if request.POST.get("seen") != snapshots.seen_token(snapshot):
        # Someone recomputed after this page was opened: publish only figures that were seen.
        messages.error(request, "本季度在您打开页面后已重新测算，请核对最新结果后再发布。")
        return back
    if request.POST.get(CONFIRM_FIELD) != CONFIRM_VALUE:
        messages.warning(request, "发布前请核对预览并确认。")
        return redirect(reverse("assessment:publish", args=[ay.year, quarter]))
    try:
        snapshots.publish(snapshot, request.user)
        messages.success(request, f"已发布{snapshot}，本期数据已锁定。")
    except SnapshotError as exc:
        messages.error(request, str(exc))
    return back
