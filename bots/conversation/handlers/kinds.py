"""申报: the kinds this org may file now, and picking one to start or resume its draft."""
from bots.conversation import flow, qualified_texts, replies, status_texts
from bots.conversation.handlers import station_setup
from bots.conversation.matchers import InputKind, normalized
from bots.conversation.position import State
from miniapp_backend.models import HONOUR_LABELS, AppStatus
from miniapp_backend.services import campaigns, drafts, eligibility, qualified, windows
from miniapp_backend.services.progress import progress

STATION_SUBJECT = "station"  # a campaign kind filed per station (暖心驿站), not per org
MIN_NAME_CHARS = 2  # a kind named by fewer characters (家) names nothing


def _open_line(option, today):
    """A kind open to the org, with its deadline and any live application's progress."""
    application = option.application
    if application is None:
        return replies.kind_line(option.spec.label, option.round)
    state = progress(application)
    note = status_texts.DRAFT_NOTE.format(status=windows.status_text(application, today),
                                     counts=status_texts.progress_counts(state))
    return replies.kind_line(option.spec.label, option.round, note)


def _still_open(application, today):
    """An application to follow or work on; not a draft whose window has closed (opening it
    would only send the chair back to this list)."""
    if application is None:
        return False
    return application.status != AppStatus.DRAFT or windows.window_open_for(application, today)


def list_kinds(turn):
    """Number the kinds open to this org; show the others with the reasons against them."""
    if turn.org is None or turn.campaign is None:
        flow.explain_not_bound(turn)
        return turn.stay()
    options = eligibility.options_for(turn.org, turn.campaign, turn.today)
    open_ = [o for o in options if o.allowed or _still_open(o.application, turn.today)]
    closed = [replies.closed_kind(o.spec.label, o.reasons + _how_to_declare(turn.org, o.spec))
              for o in options if o not in open_]
    turn.say(replies.kind_list([_open_line(o, turn.today) for o in open_], closed))
    turn.position.choices = [o.spec.kind for o in open_]
    return State.CHOOSE_KIND if open_ else turn.go_idle()


def _how_to_declare(org, spec):
    """Where a kind lacks the 合格 title it requires and the unit could declare it: the command."""
    kind = qualified.to_declare(org, spec)
    return [qualified_texts.DECLARE_HINT.format(label=HONOUR_LABELS[kind])] if kind else []


def pick_kind(turn):
    """A number from the list: a station kind asks which station, the others open the draft."""
    choices = turn.position.choices
    number = turn.number
    if not 1 <= number <= len(choices):
        turn.say(replies.PICK_NUMBER.format(count=len(choices)))
        return turn.stay()
    return _open_kind(turn, choices[number - 1])


def _named_kind(turn):
    """The one listed kind whose label the text names (暖心驿站, 示范职工之家), else None."""
    text = normalized(turn.text)
    if turn.incoming.kind != InputKind.TEXT or len(text) < MIN_NAME_CHARS or turn.campaign is None:
        return None
    labels = {kind: campaigns.kind_spec(turn.campaign, kind).label for kind in turn.position.choices}
    named = [kind for kind, label in labels.items() if text in label or label in text]
    return named[0] if len(named) == 1 else None


def names_a_kind(turn):
    """Matches a kind of the list answered by its name."""
    return _named_kind(turn) is not None


def pick_named(turn):
    """A kind of the list by its name."""
    return _open_kind(turn, _named_kind(turn))


def _open_kind(turn, kind):
    """Start or resume `kind`: a station kind asks which station first."""
    if campaigns.kind_spec(turn.campaign, kind).subject == STATION_SUBJECT:
        return station_setup.start(turn, kind)
    application = drafts.start_or_resume(turn.person, turn.org, turn.campaign, kind, today=turn.today)
    return flow.open_application(turn, application)
