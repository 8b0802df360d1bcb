"""Campaigns (专项行动, e.g. 百日会战): their models live in assessment.models.campaign."""
