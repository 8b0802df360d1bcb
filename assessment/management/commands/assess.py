"""python manage.py assess YEAR QUARTER [--publish] [--xlsx OUT]

A published quarter is not recomputed (SPEC §5: its figures are frozen until a reviewer unlocks
it): the command prints the published version and `--xlsx` writes that version's ranking
workbook from what the snapshot stored — its figures and its evidence lines — exactly what the
office's download of that version gives, so the official workbook can be written again from
the command line.
"""

from django.core.management.base import BaseCommand, CommandError

from assessment import snapshots
from assessment.bulletin import is_draft
from assessment.formatting import quarter_name
from assessment.models import AssessmentYear
from assessment.results import echelon_name
from assessment.snapshots import SnapshotError
from assessment.workbooks.ranking import snapshot_rows, write_ranking_workbook
from assessment.workbooks.ranking_job import signature_of


def _width(text):
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def _pad(text, width):
    text = str(text)
    return text + " " * max(0, width - _width(text))


def format_table(headers, rows):
    widths = [max(_width(c) for c in col) for col in zip(headers, *rows, strict=True)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "测算（并可发布）某年度某季度的考核结果，打印单位排名"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("quarter", type=int)
        parser.add_argument("--publish", action="store_true", help="测算后发布通报（锁定本期数据）")
        parser.add_argument("--xlsx", metavar="OUT", help="同时导出排名工作簿（.xlsx）")

    def handle(self, *args, year, quarter, publish=False, xlsx=None, **options):
        if quarter not in (1, 2, 3, 4):
            raise CommandError("季度必须是 1 到 4。")
        try:
            ay = AssessmentYear.objects.get(year=year)
        except AssessmentYear.DoesNotExist as exc:
            raise CommandError(f"{year} 年度尚未设置考核规则。") from exc
        snapshot = snapshots.latest_snapshot(ay, quarter)
        if snapshot is not None and snapshot.is_published:
            self.stdout.write(
                f"{year}年{quarter_name(quarter)}已发布（第{snapshot.version}版），未重新测算，"
                "以下为已发布的结果；须先解锁才能重新测算。"
            )
        else:
            snapshot = self._compute(ay, quarter, publish)
        result = snapshots.result_of(snapshot)
        state = "已发布" if snapshot.is_published else "已测算（未发布）"
        self.stdout.write(
            f"{year}年{quarter_name(quarter)} 单位排名（第{snapshot.version}版，{state}）"
        )
        rows = [
            [
                u.rank,
                u.name,
                u.group_name or "—",
                u.score,
                f"{u.overall}%",
                echelon_name(u.echelon),
                u.status,
            ]
            for u in result.units
            if u.ranked
        ]
        headers = ["排名", "单位", "协作组", "得分", "总体完成率", "方阵", "状态"]
        self.stdout.write(format_table(headers, rows))
        unranked = [u.name for u in result.units if not u.ranked]
        if unranked:
            self.stdout.write(f"未设目标、不参与排名：{len(unranked)} 个单位")
        if xlsx:
            try:
                write_ranking_workbook(
                    result,
                    xlsx,
                    claim_rows=snapshot_rows(snapshot),
                    draft=is_draft(snapshot),
                    signature=signature_of(result, snapshot),
                )
            except OSError as exc:
                raise CommandError(f"无法写入文件：{exc}") from exc
            self.stdout.write(f"已导出排名工作簿：{xlsx}")

    def _compute(self, ay, quarter, publish):
        try:
            snapshot = snapshots.compute_snapshot(ay, quarter)
            if publish:
                snapshot = snapshots.publish(snapshot)
        except SnapshotError as exc:
            raise CommandError(str(exc)) from exc
        return snapshot
