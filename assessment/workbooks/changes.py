"""The preview of an import's change (issue 16): per sheet, the rows it creates and leaves
unchanged (counted), and the rows it changes, cell by cell (old → new), and what it removes or
clears (listed), as readable Chinese lines such as
    第5行 “XX项目”：竣工日期 2025-03-01 → （清空）

Decisions:
- A big file's preview stays readable: every change is counted, the first PREVIEW_LINES of each
  sheet are listed, and "另有 N 处变更" says how many more there are.
- Removals and clears (rows of the workbook's year and units the file no longer has, a blank
  date cell over a stored milestone) are listed and applied only when the user confirms them
  (`Plan.apply_removals`). Listed, each says whether the guard would refuse it and why
  (`removal_refusal`), so the confirmation cannot fail on it unseen.
"""

import datetime
from decimal import Decimal

from zhaoshang import guard

PREVIEW_LINES = 20
CLEARED = "（清空）"
EMPTY = "（空）"
REMOVED = "文件中没有该行，"


def shown(value):
    """A cell's value as the preview writes it."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def record(report, sheet, line):
    """List one change of `sheet` (the first PREVIEW_LINES; the rest are counted)."""
    entry = report.changes.setdefault(sheet, {"lines": [], "more": 0})
    if len(entry["lines"]) < PREVIEW_LINES:
        entry["lines"].append(line)
    else:
        entry["more"] += 1


def row_line(row, label, cells):
    """第N行 label：列 旧 → 新；列 旧 → 新"""
    changed = "；".join(f"{column} {old} → {new}" for column, old, new in cells)
    where = f"第{row}行 " if row else ""
    return f"{where}{label}：{changed}"


def removal_refusal(claim, periods):
    """Why the guard would refuse deleting `claim` now, or None (asked, nothing deleted):
    `zhaoshang.guard.claim_delete_refusal` with the import's locked `periods` (no query)."""
    return guard.claim_delete_refusal(claim, periods)


def text_lines(report, limit=PREVIEW_LINES):
    """The preview as lines for the command line: per sheet, its changes and how many more."""
    lines = []
    for sheet, entry in report.changes.items():
        for line in entry["lines"][:limit]:
            lines.append(f"{sheet} {line}")
        more = entry["more"] + max(0, len(entry["lines"]) - limit)
        if more:
            lines.append(f"{sheet}：另有 {more} 处变更")
    return lines
