"""Reading the charts' JSON out of a dashboard page the way the browser script does."""

import json
import re


def chart(response, chart_id):
    """The parsed json_script block with id `chart_id` from the response HTML."""
    html = response.content.decode()
    match = re.search(
        rf'<script id="{re.escape(chart_id)}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no chart {chart_id} on the page"
    return json.loads(match.group(1))
