"""The 登记表's 审议情况 filled from a closed 会员评家's count, keeping what the chair typed."""
from dataclasses import dataclass, field
from decimal import Decimal

from miniapp_backend.models import Application
from miniapp_backend.services.answer_rules import refused_across
from miniapp_backend.services.drafts import PREFILL_CHANNEL, answer_place, answers_of, clear_answer, write_answer
from miniapp_backend.services.errors import InvalidState
from miniapp_backend.services.evaluation_targets import deliberation_forms
from miniapp_backend.services.evaluations import counted_votes
from miniapp_backend.services.progress import progress

EVALUATION_CHANNEL = "evaluation"


@dataclass
class PrefillResult:
    """What prefill_deliberation wrote, the hand-entered values it kept though the count differs
    ({key: (typed, counted)}), the counts it left out as a typed answer would be refused
    ({key: (counted, why)}), the earlier counts or prefills it emptied for those ({key: old value}),
    the warnings."""

    application: Application
    written: dict = field(default_factory=dict)
    kept: dict = field(default_factory=dict)
    refused: dict = field(default_factory=dict)
    cleared: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)

    def mismatch_lines(self):
        """What the chair should check, in Chinese: one line per kept value, then per count left out."""
        kept = [f"{answer_place(self.application, key)}已填写为{typed}，计票结果为{counted}，保留了已填写的数值；"
                f"如计票结果才准确，请在申报中改正" for key, (typed, counted) in self.kept.items()]
        return kept + [f"{answer_place(self.application, key)}的计票结果{counted}没有填入：{why}；"
                       f"{self._cleared_note(key)}请在申报中填写" for key, (counted, why) in self.refused.items()]

    def _cleared_note(self, key):
        """Which earlier value was emptied for a count left out, so the chair does not look for it."""
        return f"先前计票填入的{self.cleared[key]}已清除，" if key in self.cleared else ""


def _filled_by_hand(answer):
    """An answer a person typed (not a prefill or an earlier evaluation)."""
    return (answer is not None and answer.value not in (None, "")
            and answer.channel not in (PREFILL_CHANNEL, EVALUATION_CHANNEL))


def prefill_deliberation(application, round_, person=None, today=None):
    """Write the 审议情况 from the count through write_answer (channel "evaluation").

    Only empty fields and values an earlier count wrote are filled: what the chair typed stays
    (the printed form must say what the meeting recorded, e.g. 45 members where the roster held
    2), and a typed value that differs from the count is listed in `kept` for the chair to check.
    A count is checked as a typed answer is, across fields too (会议的会员人数 not above the
    分会's, 实到 not above a typed 应到): one refused is not written, and is listed in `refused`.
    """
    if round_.accepting():
        raise InvalidState("评议尚未结束，结束后才能填入审议情况")
    person = person or round_.closed_by or round_.opened_by
    counted = counted_votes(round_)
    values = (counted.expected, counted.present, counted.agreed, counted.satisfaction)
    result = PrefillResult(application)
    for form, keys in deliberation_forms(application):
        before = answers_of(application)
        writes = {}  # {key: (text, counted)}
        for key, value in zip(keys, values):
            full_key = f"{form}:{key}"
            old = before.get(full_key)
            if _filled_by_hand(old):
                if old.value != value:
                    result.kept[full_key] = (old.value, value)
                continue
            # The rate (a Decimal) goes with its % sign: a bare 0.50 is refused as a likely 50%.
            writes[full_key] = (f"{value}%" if isinstance(value, Decimal) else str(value), value)
        # Judged together, as the mini-program's save of several answers is.
        refused = refused_across(application, {key: (text, None) for key, (text, _) in writes.items()}, today)
        for full_key, (text, value) in writes.items():
            if full_key in refused:
                result.refused[full_key] = (value, refused[full_key])
                _clear_stale(result, before.get(full_key), person, today)
                continue
            answer = write_answer(application, person, full_key, text, channel=EVALUATION_CHANNEL, today=today)
            result.written[full_key] = answer.value
    result.warnings = progress(application).warnings
    return result


def _clear_stale(result, old, person, today):
    """Empty what an earlier count (or prefill) left in a field whose new count was refused: kept,
    it would stand for this count's fact, and the field would not ask to be filled."""
    if old is None or old.value in (None, ""):
        return
    clear_answer(result.application, person, old.key, channel=EVALUATION_CHANNEL, today=today)
    result.cleared[old.key] = old.value
