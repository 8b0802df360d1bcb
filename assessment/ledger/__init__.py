"""The ledger of rewards and sanctions (奖惩台账, issue 20): proposals from the rules, the office's
confirmations, lists, the export and the unit's history. Models: `assessment.models.ledger`."""
