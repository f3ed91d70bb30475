"""Rosters from XLSX and CSV (UTF-8 or the GBK Excel writes), and the errors a chair can act on."""
import datetime as dt
import io
import threading

import pytest
from openpyxl import Workbook

from miniapp_backend.clock import utcnow
from miniapp_backend.db import database
from miniapp_backend.models.evaluations import EvaluationRound, Voter
from miniapp_backend.services import evaluations
from miniapp_backend.services.errors import InvalidState, ValidationFailed
from miniapp_backend.services.evaluation_roster import RosterEntry, entered, read_roster
from tests.evaluations.helpers import SECRET, open_round, vote


def xlsx(rows):
    """An XLSX file of `rows` on its first sheet."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_roster_with_phone_numbers_as_numbers():
    data = xlsx([["序号", "姓名", "手机"], [1, "张伟", 13800000001], [2, " 李娜 ", None], [3, None, None]])
    assert read_roster("名单.xlsx", data) == [RosterEntry("张伟", "13800000001"), RosterEntry("李娜", "")]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_roster_in_either_encoding(encoding):
    data = "姓名,部门\n张伟,一车间\n张伟,二车间\n".encode(encoding)
    assert read_roster("名单.csv", data) == [RosterEntry("张伟", "一车间"), RosterEntry("张伟", "二车间")]


@pytest.mark.parametrize("name, data, fragment", [
    ("名单.csv", "编号,部门\n1,一车间\n".encode(), "至少有“姓名”一列"),
    ("名单.csv", "姓名,部门\n张伟,一车间\n张伟,一车间\n".encode(), "第3行与第2行重复"),
    ("名单.csv", "姓名,部门\n,一车间\n".encode(), "第2行缺少姓名"),
    ("名单.csv", "姓名\n".encode(), "名单是空的"),
    ("名单.xlsx", b"not a workbook", "无法读取这个 Excel 文件"),
    ("名单.doc", b"", "请用 .xlsx 或 .csv 文件"),
])
def test_bad_rosters_say_what_to_fix(name, data, fragment):
    with pytest.raises(ValidationFailed) as err:
        read_roster(name, data)
    assert fragment in err.value.message


def test_adding_voters_issues_codes_and_refuses_people_already_listed(world):
    round_, issued = open_round(world.unit, world.chair, count=2)
    added = evaluations.add_voters(world.chair, round_, entered([("王五", "三车间")]), SECRET)
    assert [a.name for a in added] == ["王五"] and Voter.select().count() == 3
    vote(added[0])
    with pytest.raises(ValidationFailed) as err:
        evaluations.add_voters(world.chair, round_, entered([("会员1", "13800000001")]), SECRET)
    assert "已在名单中：会员1" in err.value.message
    closed = evaluations.close_round(world.chair, round_)
    with pytest.raises(InvalidState):
        evaluations.add_voters(world.chair, closed, entered([("赵六", "")]), SECRET)


def race(racers, act):
    """Run `act()` in `racers` threads released at one moment, each on its own connection;
    return what each returned or raised."""
    barrier, outcomes = threading.Barrier(racers), []

    def run():
        """Wait for the others, act, keep the outcome."""
        barrier.wait()
        try:
            outcomes.append(act())
        except Exception as exc:  # the test inspects every kind of outcome
            outcomes.append(exc)
        finally:
            database.close()
    threads = [threading.Thread(target=run) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def test_a_double_tapped_open_makes_one_round_and_refuses_the_rest(world):
    closes_at = utcnow() + dt.timedelta(days=30)
    outcomes = race(6, lambda: evaluations.open_round(world.chair, world.unit, entered([("张伟", "")]),
                                                      closes_at, SECRET))
    refused = [o for o in outcomes if isinstance(o, InvalidState)]
    assert len(outcomes) == 6 and len(refused) == 5, outcomes
    assert all("已有一轮进行中" in o.message for o in refused)
    assert EvaluationRound.select().where(EvaluationRound.org == world.unit).count() == 1


def test_the_same_people_added_twice_at_once_are_added_once(world):
    round_, _issued = open_round(world.unit, world.chair)
    outcomes = race(6, lambda: evaluations.add_voters(world.chair, round_, entered([("李娜", "二车间")]), SECRET))
    refused = [o for o in outcomes if isinstance(o, ValidationFailed)]
    assert len(outcomes) == 6 and len(refused) == 5, outcomes
    assert all(o.message == "已在名单中：李娜" for o in refused)
    assert Voter.select().where(Voter.round == round_, Voter.name == "李娜").count() == 1
