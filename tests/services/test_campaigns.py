"""Campaign files: loading is idempotent, and bad rounds are refused with the reason."""
import pytest

from miniapp_backend.models import Round, Target
from miniapp_backend.services import campaigns
from miniapp_backend.services.errors import ValidationFailed

SHIPPED = campaigns.CAMPAIGNS_DIR / "2018.yaml"


def test_loading_twice_keeps_one_set_of_rounds_and_targets(db):
    campaigns.load_campaign(SHIPPED)
    campaign = campaigns.load_campaign(SHIPPED)
    assert Round.select().count() == 8
    assert {(t.kind, t.count, t.funding_yuan) for t in Target.select()} == {
        ("model_home", 2, 100000), ("new_union_home", 27, 30000), ("warm_station", 200, 2000)}
    assert campaigns.kind_spec(campaign, "small_home").chain == ("base_union", "unit_paper", "system", "district")


SECOND_ROUND = "{name: 下半年, opens_on: 2018-07-01, closes_on: 2018-10-31}"


@pytest.mark.parametrize("replacement, reason", [
    ("{name: 下半年, opens_on: 2018-07-01, closes_on: 2018-06-30}", "先后颠倒"),
    ("{name: 上半年, opens_on: 2018-07-01, closes_on: 2018-10-31}", "不重复"),
])
def test_bad_rounds_are_refused(tmp_path, replacement, reason):
    path = tmp_path / "2018.yaml"
    path.write_text(SHIPPED.read_text(encoding="utf-8").replace(SECOND_ROUND, replacement), encoding="utf-8")
    with pytest.raises(ValidationFailed, match=reason):
        campaigns.read_campaign_file(path)
