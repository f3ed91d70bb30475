"""What the chat says while a chair declares the unit's 合格 title after its 会员代表大会 and sends
the photos of its minutes (handlers/qualified.py, handlers/minutes.py, workers/media.py)."""

# The chat command is named where a 区级先进 kind lacks the title (handlers/kinds.py).
DECLARE_COMMAND = "合格申报"
DECLARE_HINT = f"工会主席可回复“{DECLARE_COMMAND}”申报{{label}}"
QUALIFIED_CHAIR_ONLY = "合格称号由本单位工会主席申报，请联系工会主席。"
QUALIFIED_START = "为{org}申报“{label}”（须经会员代表大会决定，由上级工会确认）。"
ASK_CONGRESS_DATE = "请回复决定本单位达到“{label}”标准的会员代表大会召开日期，如 2018-03-20；回复“取消”退出。"
ASK_MINUTES = ("请发送会员代表大会会议记录或决议的照片（可以多张，最多{limit}张），{confirmer}据此确认；"
               "发完回复“好了”。")
MINUTES_RECEIVED = "已收到会议记录照片{count}张。可继续发送，发错了回复“删除照片”，发完回复“好了”。"
MINUTES_NEEDED = "还没有收到会议记录照片。"
MINUTES_REMOVED = "已删除刚发的一张会议记录照片，现有{count}张。"
NO_MINUTES_TO_REMOVE = "这次还没有发会议记录照片，没有可删除的。"
MINUTES_MORE = "本单位的申报已附会议记录{count}张；可在这里补发会议记录或决议的照片，发完回复“好了”，不补发回复“取消”。"
MINUTES_ADDED = "会议记录共{count}张，已加入本单位的合格称号申报，{confirmer}核对后确认，确认后会通知您。"
CONFIRM_QUALIFIED = ("请核对：\n单位：{org}\n称号：{label}\n会员代表大会日期：{date}\n会议记录照片：{count}张\n"
                     "无误请回复“确认”；补发照片直接发送；改日期或照片回复“上一步”，放弃回复“取消”。")
QUALIFIED_DECLARED = ("已申报“{label}”，待{confirmer}确认，确认后会通知您；"
                      "届时即可申报区级先进。会员代表大会的决议原件请留存备查。")
QUALIFIED_FINISH_FIRST = "正在申报合格称号：请先完成（回复“取消”退出），再进行其他操作。"


def minutes_failed(reason):
    """A photo of the minutes the download job could not keep."""
    return f"您在合格称号申报中发送的一张会议记录照片未能保存（{reason}），请回复“合格申报”重新发送。"


def minutes_refused(reason):
    """A photo of the minutes downloaded after its declaration stopped taking any (decided meanwhile)."""
    return f"您发送的一张会议记录照片未能加入合格称号申报：{reason}。"
