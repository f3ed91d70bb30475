"""The conversation as a table: per state, (matcher, handler) pairs tried in order.

A turn tries its state's entries, then the COMMANDS (valid in every state), then FALLBACKS.
Free-text answers match `plain_text`, so a command is never taken for an answer. Each handler
returns the next State. The diagram is in STATES.md, beside this file.
"""
from bots.conversation.handlers import (
    account, conflict, fields, header, items, kinds, longtext, minutes, navigation, nearby, photos, qualified,
    roster, station_setup, submit)
from bots.conversation.matchers import (
    Command, Word, acknowledgement, anything, apply_question, command, header_row, labour_question, location, number,
    other_steps_word, photo, plain_text, station_question, word, yes_no)
from bots.conversation.position import State

__all__ = ["State", "TABLE", "COMMANDS", "FALLBACKS", "routes", "as_command"]

# Choosing or registering a station is a flow of its own: 进度, 第N项 / 修改 N, 表头, 提交, 撤回 and
# 暂停 concern it (not an application held from before, which the chair has left for this one).
STATION_FLOW = [(command(Command.PROGRESS), station_setup.progress),
                (command(Command.JUMP), station_setup.finish_first),
                (command(Command.HEADER), station_setup.finish_first),
                (command(Command.SUBMIT), station_setup.finish_first),
                (command(Command.WITHDRAW), station_setup.finish_first),
                (command(Command.PAUSE), station_setup.pause)]
# Registering one also keeps 上一步 and 跳过 to itself, and a location is its last step.
STATION_STEP = [(command(Command.BACK), station_setup.back), (command(Command.SKIP), station_setup.no_skip),
                (location, station_setup.early_location), *STATION_FLOW]

# 合格申报 keeps the commands that would act on an application held from before to itself.
QUALIFIED_FLOW = [(command(Command.BACK), qualified.back),
                  *((command(c), qualified.not_now) for c in (Command.SKIP, Command.PROGRESS, Command.PAUSE,
                                                             Command.JUMP, Command.HEADER, Command.SUBMIT,
                                                             Command.WITHDRAW)),
                  (location, qualified.not_now), (photo, qualified.not_now)]

TABLE = {
    State.IDLE: [],
    State.CHOOSE_KIND: [(number, kinds.pick_kind), (kinds.names_a_kind, kinds.pick_named)],
    State.CHOOSE_STATION: [(number, station_setup.pick), (word(Word.NEW), station_setup.ask_name),
                           (command(Command.BACK), kinds.list_kinds),
                           (command(Command.SKIP), station_setup.no_skip), *STATION_FLOW],
    State.STATION_NAME: [(station_setup.stray_number, station_setup.refuse_number),
                         (word(Word.NEW), station_setup.already_new),
                         (station_setup.acknowledged, station_setup.refuse_acknowledgement),
                         (plain_text, station_setup.take_name), *STATION_STEP],
    State.STATION_ADDRESS: [(plain_text, station_setup.take_address), *STATION_STEP],
    # The hours are optional: 跳过, or the location straight away, leaves them unregistered.
    State.STATION_HOURS: [(plain_text, station_setup.take_hours), (command(Command.SKIP), station_setup.skip_hours),
                          (location, station_setup.take_location), *STATION_STEP],
    State.STATION_LOCATION: [(location, station_setup.take_location), *STATION_STEP],
    State.HEADER: [(word(Word.CONFIRM), header.confirm), (header_row, header.edit),
                   (word(Word.AGREE), header.confirm)],
    # A bare 否 on a checklist's last item may be followed by its 说明 after the step moved on (to
    # the extra row 其他配套设施设备或服务, say): that text belongs to the item, not the step.
    # A bare number where words are asked is a pick meant for an earlier list, not the value.
    # 好的 / 收到 after “当前：…。无误回复“确认””: the chair agrees, as with 确认 (never the value 好的).
    # 覆盖 / 保留 with no conflict question open answer nothing here (never the value 覆盖).
    State.FIELD: [(word(Word.CONFIRM), fields.keep), (acknowledgement, fields.keep),
                  (other_steps_word, fields.stray_word), (fields.stray_number, fields.refuse_number),
                  (word(Word.OVERWRITE), conflict.none_open), (word(Word.KEEP), conflict.none_open),
                  (items.late_note, items.add_note), (plain_text, fields.answer)],
    State.ITEM: [(yes_no, items.answer), (items.stray_note, items.refuse_note), (items.late_note, items.add_note),
                 (items.figure, items.refuse_figure), (photo, photos.attach)],
    State.ROSTER: [(word(Word.DONE), roster.finish), (word(Word.CLEAR), roster.clear),
                   (items.late_note, items.add_note), (acknowledgement, roster.acknowledged),
                   (plain_text, roster.add_row)],
    State.LONGTEXT: [(items.late_note, items.add_note),
                     (word(Word.DONE), longtext.finish), (word(Word.REWRITE), longtext.rewrite),
                     (word(Word.APPEND), longtext.append_mode), (word(Word.CLEAR), longtext.clear),
                     (word(Word.VIEW), longtext.show),
                     (fields.stray_number, fields.refuse_number), (acknowledgement, longtext.acknowledged),
                     (word(Word.OVERWRITE), conflict.none_open), (word(Word.KEEP), conflict.none_open),
                     (plain_text, longtext.add)],
    State.CONFLICT: [(word(Word.OVERWRITE), conflict.overwrite), (word(Word.KEEP), conflict.keep),
                     (conflict.new_value, conflict.answer_anew), (conflict.stray_number, conflict.refuse_number)],
    State.REVIEW: [],
    State.QUALIFIED_DATE: [(plain_text, qualified.take_date), *QUALIFIED_FLOW],
    State.QUALIFIED_MINUTES: [(photo, minutes.take_photo), (word(Word.DONE), minutes.done),
                              (command(Command.REMOVE_PHOTO), minutes.remove_last), *QUALIFIED_FLOW],
    State.QUALIFIED_CONFIRM: [(word(Word.CONFIRM), qualified.confirm), (word(Word.AGREE), qualified.confirm),
                              (photo, minutes.take_photo), (command(Command.REMOVE_PHOTO), minutes.remove_last),
                              *QUALIFIED_FLOW],
    State.PAUSED: [(station_setup.resumes_registration, station_setup.resume),
                   (station_setup.cancels_registration, station_setup.cancel)],
}

COMMANDS = [
    (command(Command.BACK), navigation.back),
    (command(Command.SKIP), navigation.skip),
    (command(Command.JUMP), navigation.jump),
    (command(Command.HEADER), navigation.header),
    (command(Command.PROGRESS), submit.show_progress),
    (command(Command.PAUSE), navigation.pause),
    (command(Command.RESUME), navigation.resume),
    (command(Command.SUBMIT), submit.submit),
    (command(Command.WITHDRAW), submit.withdraw),
    (command(Command.CANCEL), navigation.cancel),
    (command(Command.HELP), account.help_),
    (command(Command.MORE), navigation.more),
    (command(Command.APPLY), kinds.list_kinds),
    (command(Command.DECLARE), qualified.start),
    (command(Command.BIND), account.bind),
    (command(Command.LINK), account.link),
    (command(Command.NEARBY), nearby.ask_location),
    (command(Command.HOTLINE), account.hotline),
    (command(Command.HUMAN), account.human),
    (command(Command.SHARE), photos.share),
    (command(Command.REMOVE_PHOTO), photos.remove),
    (command(Command.BALLOT_CODE), account.ballot_code),
    (location, nearby.answer_location),
    (photo, photos.elsewhere),
]

FALLBACKS = [(labour_question, account.labour_question), (apply_question, kinds.list_kinds),
             (station_question, nearby.ask_location), (anything, navigation.reask)]


def routes(state):
    """Everything a turn in `state` may match, in the order tried."""
    return TABLE[state] + COMMANDS + FALLBACKS


def as_command(turn):
    """A menu click: the command it stands for, whatever the state (a number list is no matter)."""
    handler = next(handler for matches, handler in COMMANDS + FALLBACKS if matches(turn))
    return handler(turn)
