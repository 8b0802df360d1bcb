"""Model validators with a literal percent sign still give their message (no 500 in admin)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects.models import CreditShare


def test_share_over_100_percent_has_a_chinese_message():
    field = CreditShare._meta.get_field("percent")
    with pytest.raises(ValidationError) as excinfo:
        field.run_validators(Decimal("100.01"))
    assert excinfo.value.messages == ["分成比例不能超过 100%。"]
