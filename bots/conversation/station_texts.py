"""What the chat says while a chair picks or registers the 暖心驿站 an application is for
(handlers/station_setup.py)."""


STATION_NONE_YET = "本单位还没有登记暖心驿站，先登记一个："
ASK_STATION_NAME = "请回复驿站名称，如：良乡拱辰大街暖心驿站。"
ASK_STATION_ADDRESS = "请回复驿站地址，写到门牌号，如：房山区良乡镇拱辰大街1号。"
ASK_STATION_HOURS = ("请回复驿站的开放时间，如：周一至周五 9:00-17:00，多段用“；”分开，全天开放回复“24小时”。"
                     "（选填，不填请回复“跳过”，职工看到的将是“开放时间未登记”）")
ASK_STATION_LOCATION = "请发送驿站的位置：点输入框旁的“+”→“位置”，在地图上选好驿站位置后发送。"
STATION_STRAY_NUMBER = "“{number}”没有记为驿站名称：单独一个数字不像名称，可能是发给之前列表的序号。{back}"
STATION_ACKNOWLEDGED = "“{word}”没有记为驿站名称：这是答复用语，不像驿站的名称。"
STATION_ALREADY_NEW = "“新建”没有记为驿站名称：正在登记新驿站，请回复它的名称。"
STATION_BACK_TO_LIST = "要为已有的驿站申报，请回复“上一步”回到驿站列表。"
STATION_NO_SKIP = "登记驿站需要名称、地址和位置，不能跳过；不登记请回复“取消”。"
STATION_LOCATION_LATER = "这一步请回复文字；驿站的位置在最后一步发送。"
STATION_CHOOSING = "正在选择为哪个驿站申报，选好后打开它的申报。"
STATION_PICK_FIRST = "请先回复序号选择驿站（或“新建”），再修改、提交或撤回申报；不申报请回复“取消”。"
STATION_FINISH_FIRST = "请先完成驿站登记，再修改、提交或撤回申报；不登记请回复“取消”。"
STATION_CHOICE_NO_SKIP = "申报需要先选定驿站，不能跳过：请回复序号选择驿站，或回复“新建”登记新驿站；不申报请回复“取消”。"
STATION_PROGRESS = ("正在登记新驿站（发送位置后登记完成，再打开它的申报）：\n名称：{name}\n地址：{address}\n"
                    "开放时间：{hours}\n还需：{missing}。")
STATION_PAUSED = "已暂停驿站登记，驿站还没有登记。{kept}回复“继续”接着登记，不登记请回复“取消”。"
STATION_CHOICE_PAUSED = "已暂停。回复“继续”接着选择驿站，不申报请回复“取消”。"
STATION_KEPT = "已填的{values}会保留。"
STATION_PARTS = {"name": "名称", "address": "地址"}
STATION_HOURS_PART = "开放时间"
STATION_LOCATION_PART = "位置"
STATION_CREATED = "已登记驿站“{name}”（建设中，验收通过后向职工开放）。"


def station_choices(lines):
    """The org's stations for a 暖心驿站 application."""
    numbered = [f"{n}. {line}" for n, line in enumerate(lines, 1)]
    return "\n".join(["为哪个驿站申报？回复序号；登记新驿站请回复“新建”。"] + numbered)


def station_line(name, status, address):
    """One of the org's stations in a numbered list."""
    return f"{name}（{status}）· {address}"
