"""A campaign runs on one device; `--device both` is refused before anything starts."""

from __future__ import annotations

import pytest

from a11y_audit.campaign import CampaignSettings
from a11y_audit.errors import AuditUsageError


def test_a_campaign_refuses_both_devices_with_a_hint():
    with pytest.raises(AuditUsageError, match="one device: desktop or mobile, not 'both'") as info:
        CampaignSettings(device="both")
    assert "--device both" in info.value.hint
    assert CampaignSettings(device="mobile").site_config("https://www.example.go.kr/").device == "mobile"
