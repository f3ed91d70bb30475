"""What a chat reply is decorated with, not what it says: emoji ("是👍") and WeChat's own
emoticons, which a text message carries as their names in brackets ("好的[强]", "[捂脸]") or, from
older clients, as "/:" codes ("好的/:strong", "/::)")."""
import re
import unicodedata

# The check and cross marks are answers (√ is 是), not decoration.
MARKS = frozenset({"✓", "✔", "√", "☑", "✅", "✗", "✘", "×", "✖", "❌"})
# The emoji keyboard sends ✔️ / ✖️ as the mark plus a variation selector, which shows nothing.
_VARIATION_SELECTORS = frozenset("\ufe0e\ufe0f")
_EMOJI_CATEGORIES = frozenset({"So", "Sk", "Cf"})  # symbols, skin-tone modifiers, the zero-width joiner
# WeChat's emoticons by the names its panel sends; only these: "[在建]" may be a 说明 in brackets.
_EMOTICON_NAMES = (
    "微笑 撇嘴 色 发呆 得意 流泪 害羞 闭嘴 睡 大哭 尴尬 发怒 调皮 呲牙 惊讶 难过 酷 冷汗 抓狂 吐 偷笑 愉快 白眼 "
    "傲慢 饥饿 困 惊恐 流汗 憨笑 悠闲 奋斗 咒骂 疑问 嘘 晕 疯了 衰 骷髅 敲打 再见 擦汗 抠鼻 鼓掌 糗大了 坏笑 "
    "左哼哼 右哼哼 哈欠 鄙视 委屈 快哭了 阴险 亲亲 吓 可怜 囧 笑脸 生病 脸红 破涕为笑 恐惧 失望 无语 嘿哈 捂脸 "
    "奸笑 机智 皱眉 耶 吃瓜 加油 汗 天啊 社会社会 旺柴 好的 打脸 哇 翻白眼 让我看看 叹气 苦涩 裂开 嘴唇 爱心 "
    "心碎 拥抱 强 弱 握手 胜利 抱拳 勾引 拳头 差劲 爱你 合十 啤酒 咖啡 饭 蛋糕 玫瑰 凋谢 菜刀 炸弹 便便 月亮 "
    "太阳 庆祝 礼物 红包 發 福 烟花 爆竹 猪头 跳跳 发抖 转圈 鸡 OK NO Emm 666").split()
# Older clients send the same emoticons as "/:" codes ("/::)" is 微笑, "/:strong" 强); matched
# case-sensitively ("/::D" 呲牙, "/::d" 白眼), longest first so "/::-|" is not read as "/::-".
_EMOTICON_CODES = (
    "/::) /::~ /::B /::| /:8-) /::< /::$ /::X /::Z /::'( /::-| /::@ /::P /::D /::O /::( /::+ /:--b /::Q "
    "/::T /:,@P /:,@-D /::d /:,@o /::g /:|-) /::! /::L /::> /::,@ /:,@f /::-S /:? /:,@x /:,@@ /::8 /:,@! "
    "/:!!! /:xx /:bye /:wipe /:dig /:handclap /:&-( /:B-) /:<@ /:@> /::-O /:>-| /:P-( /::'| /:X-) /::* "
    "/:@x /:8* /:pd /:<W> /:beer /:basketb /:oo /:coffee /:eat /:pig /:rose /:fade /:showlove /:heart "
    "/:break /:cake /:li /:bome /:kn /:footb /:ladybug /:shit /:moon /:sun /:gift /:hug /:strong /:weak "
    "/:share /:v /:@) /:jj /:@@ /:bad /:lvu /:no /:ok /:love /:<L> /:jump /:shake /:<O> /:circle /:kotow "
    "/:turn /:skip /:oY /:#-0 /:hiphot /:kiss /:<& /:&>").split()
_EMOTICON = r"(?:\[(?:{})\]|{})".format(
    "|".join(map(re.escape, _EMOTICON_NAMES)),
    "|".join(map(re.escape, sorted(_EMOTICON_CODES, key=len, reverse=True))))
_LEADING_EMOTICON = re.compile(_EMOTICON)
_TRAILING_EMOTICON = re.compile(_EMOTICON + r"\Z")


def is_emoji(ch: str) -> bool:
    """A pictograph a reply is decorated with ("是👍", "完成👌"), with its skin tone, joiner and
    presentation selector."""
    return ch not in MARKS and (ch in _VARIATION_SELECTORS or unicodedata.category(ch) in _EMOJI_CATEGORIES)


def strip_trailing(text: str, also: str = "") -> str:
    """`text` without the emoji, emoticons, whitespace and characters of `also` it ends with."""
    end = len(text)
    while end:
        emoticon = _TRAILING_EMOTICON.search(text, 0, end)
        if emoticon:
            end = emoticon.start()
        elif text[end - 1].isspace() or text[end - 1] in also or is_emoji(text[end - 1]):
            end -= 1
        else:
            break
    return text[:end]


def strip_leading(text: str, also=lambda ch: False) -> str:
    """`text` without the emoji, emoticons, whitespace and characters `also` accepts it starts with."""
    start = 0
    while start < len(text):
        emoticon = _LEADING_EMOTICON.match(text, start)
        if emoticon:
            start = emoticon.end()
        elif text[start].isspace() or also(text[start]) or is_emoji(text[start]):
            start += 1
        else:
            break
    return text[start:]


def is_decoration_only(text: str) -> bool:
    """Emoji and emoticons alone ("👍", "[强][强]"): an acknowledgement, no answer to anything
    (invisible characters alone are a blank answer, not decoration)."""
    visible = any(not ch.isspace() and ch not in _VARIATION_SELECTORS and unicodedata.category(ch) != "Cf"
                  for ch in text)
    return visible and not strip_trailing(text)
