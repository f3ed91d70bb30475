"""`flask evaluation …`: open with a roster file, hand out codes, see turnout, close and deliver."""
import csv

from miniapp_backend.models.evaluations import EvaluationRound
from miniapp_backend.services import ballots
from tests.evaluations.helpers import SECRET, district_home_draft


def run(app, *args):
    """Invoke one command; click's result."""
    return app.test_cli_runner().invoke(args=list(args))


def test_open_status_close_from_the_terminal(app, world, tmp_path):
    roster = tmp_path / "名单.csv"
    roster.write_bytes("姓名,部门\n张伟,一车间\n李娜,二车间\n王强,一车间\n".encode("gb18030"))
    codes = tmp_path / "codes.csv"
    opened = run(app, "evaluation", "open", world.unit.full_name, "--closes", "2099-12-31",
                 "--roster", str(roster), "--voter", "赵敏，三车间", "--out", str(codes))
    assert opened.exit_code == 0, opened.output
    round_ = EvaluationRound.get()
    assert f"已开始：#{round_.id}" in opened.output and "4 人" in opened.output
    assert "截止 2099-12-31 24:00" in opened.output  # the date given is the last day, not 2100-01-01 00:00
    assert "截止 2099-12-31 24:00" in run(app, "evaluation", "rounds").output
    with codes.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["姓名"] for r in rows] == ["张伟", "李娜", "王强", "赵敏"]
    assert rows[0]["投票链接"] == f"http://127.0.0.1:8000/b/{rows[0]['投票码']}"
    ballots.cast(SECRET, rows[1]["投票码"], True, [5, 4, 5, 4, 5])
    status = run(app, "evaluation", "status", str(round_.id))
    assert "李娜（二车间）\t20" in status.output and "张伟（一车间）\t未投票" in status.output
    assert "投票进行中" in status.output
    rerun = run(app, "evaluation", "open", world.unit.full_name, "--closes", "2099-12-31",
                "--voter", "某人", "--out", str(tmp_path / "again.csv"))
    assert rerun.exit_code == 1 and "已有一轮进行中的会员评家" in rerun.output
    assert not (tmp_path / "again.csv").exists()  # a refused open leaves no empty codes file
    district_home_draft(world)
    declined = app.test_cli_runner().invoke(args=["evaluation", "close", str(round_.id)], input="n\n")
    assert declined.exit_code == 1 and "应到4人，已投票1人（参与率25.00%）。实到人数不足应到人数的三分之二" in declined.output
    assert EvaluationRound.get_by_id(round_.id).status == "open"
    closed = run(app, "evaluation", "close", str(round_.id), "--yes")
    assert closed.exit_code == 0, closed.output
    assert "实到 1，同意 1，群众满意率 100.00%" in closed.output
    assert "填报期限已过" in closed.output  # the 2018 draft's window is long gone today


def test_codes_file_is_never_overwritten(app, world, tmp_path):
    codes = tmp_path / "codes.csv"
    codes.write_text("已发放")
    result = run(app, "evaluation", "open", world.unit.full_name, "--closes", "2099-12-31",
                 "--voter", "张伟", "--out", str(codes))
    assert result.exit_code == 1 and "已存在" in result.output
    assert codes.read_text() == "已发放"
    assert EvaluationRound.select().count() == 0  # refused before any code was issued


def test_a_closing_year_out_of_range_is_refused_in_words(app, world, tmp_path):
    result = run(app, "evaluation", "open", world.unit.full_name, "--closes", "9999-12-31",
                 "--voter", "张伟", "--out", str(tmp_path / "codes.csv"))
    assert result.exit_code == 1 and "年份不对" in result.output
    assert EvaluationRound.select().count() == 0
