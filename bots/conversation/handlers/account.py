"""Anyone's keywords: binding, linking the mini-program, help, the 12351 hotline, a human."""
from bots import menu
from bots.conversation import flow, replies
from bots.conversation.matchers import parse_command
from miniapp_backend.models import Channel
from miniapp_backend.services import campaigns, people


def _argument(turn):
    """The text after a command word (绑定 <码>, 关联 <码>)."""
    return parse_command(turn.text)[1].group(1).strip()


def bind(turn):
    """绑定 <邀请码>: wrong, used and expired codes each get the domain's own message."""
    role = people.redeem_invite(turn.person, _argument(turn))
    turn.say(replies.BOUND.format(role=people.describe_role(role)))
    notice = people.other_chairs_notice(role)
    if notice:
        turn.say(notice)
    menu.tag_later(turn.redis, turn.openid)
    return turn.go_idle()


def link(turn):
    """关联 <码> joins the mini-program identity; 关联 alone shows a code to type there."""
    code = _argument(turn)
    if not code:
        code = people.create_link_code(turn.person, Channel.OFFICIAL).code
        turn.say(replies.LINK_CODE.format(code=code))
        return turn.stay()
    people.redeem_link_code(turn.person, Channel.OFFICIAL, code)
    turn.say(replies.LINKED)
    return turn.stay()


def help_(turn):
    """帮助: what can be said here, and the 组宣部 contact of the campaign."""
    contact = campaigns.contact(turn.campaign) if turn.campaign else {}
    chair = turn.org is not None
    turn.say(replies.help_text(chair, contact, turn.human_available, "" if chair else flow.reviewer_note(turn)))
    flow.reask_after_aside(turn)
    return turn.stay()


def hotline(turn):
    """12351: the Beijing workers' hotline and what it helps with."""
    turn.say(replies.HOTLINE)
    flow.reask_after_aside(turn)
    return turn.stay()


def ballot_code(turn):
    """A 会员评家 voting code pasted here: voting is on its own page (the code is not repeated, so
    no reply or cache of ours ties it to this openid)."""
    turn.say(replies.BALLOT_CODE_HERE)
    return turn.stay()


def labour_question(turn):
    """A worker asks about pay, a contract, an injury…: the hotline, a person where there is one,
    and the current question again for a chair in the middle of a form."""
    turn.say(replies.labour_question(turn.human_available))
    flow.reask_after_aside(turn)
    return turn.stay()


def human(turn):
    """人工: hand the user to customer service where the account has it."""
    if turn.human_available:
        turn.hand_over = True
    else:
        turn.say(replies.NO_HUMAN)
    return turn.stay()


def welcome(turn):
    """A new (or returning) follower."""
    org = turn.org
    turn.say(replies.welcome(org.full_name if org else None, turn.human_available))
    return turn.stay()
