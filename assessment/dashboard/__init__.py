"""The leaders' dashboard (领导看板): charts, structure analysis, forecast and contributors."""
