"""Filing windows: a round is open between its dates; a 整改截止 reopens one application."""
from miniapp_backend.clock import format_day
from miniapp_backend.models import APP_STATUS_LABELS, Application, AppStatus, Round

# A returned application past its 整改截止: still 退回整改 in the database (the date says the rest),
# listed apart so nobody waits on a rectification that can no longer come.
OVERDUE = "returned_overdue"
OVERDUE_LABEL = "退回整改（已逾期）"


def round_open(round_, today):
    """True while `today` is inside the round's filing dates (inclusive)."""
    return round_.opens_on <= today <= round_.closes_on


def round_state_text(round_, today):
    """Why a round is not open, in Chinese, or "" when it is."""
    if today < round_.opens_on:
        return f"{round_.name}申报将于{format_day(round_.opens_on)}开始"
    if today > round_.closes_on:
        return f"{round_.name}申报已于{format_day(round_.closes_on)}截止"
    return ""


def editable_until(application):
    """The last day the application may be edited and submitted."""
    if application.status == AppStatus.RETURNED and application.rectify_deadline:
        return application.rectify_deadline
    return application.round.closes_on


def window_open_for(application, today):
    """True when the application may be edited/submitted today (整改截止 overrides the round)."""
    if application.status == AppStatus.RETURNED and application.rectify_deadline:
        return today <= application.rectify_deadline
    return round_open(application.round, today)


def rectify_overdue(application, today):
    """True when the application was returned and its 整改截止 has passed."""
    return (application.status == AppStatus.RETURNED and application.rectify_deadline is not None
            and today > application.rectify_deadline)


def overdue_condition(today):
    """The query condition matching rectify_overdue."""
    return (Application.status == AppStatus.RETURNED) & (Application.rectify_deadline < today)


def status_text(application, today):
    """The application's status in Chinese, 退回整改（已逾期） once its 整改截止 has passed."""
    return OVERDUE_LABEL if rectify_overdue(application, today) else APP_STATUS_LABELS[application.status]


def pick_round(campaign, kind, today):
    """The round of `kind` open today, else the next one to open, else the last one."""
    rounds = list(Round.select().where(Round.campaign == campaign, Round.kind == kind)
                  .order_by(Round.opens_on))
    for candidate in rounds:
        if round_open(candidate, today):
            return candidate
    upcoming = [r for r in rounds if r.opens_on > today]
    return upcoming[0] if upcoming else (rounds[-1] if rounds else None)


