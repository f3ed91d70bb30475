"""The official-account (公众号) chat bot: the /wechat endpoint, dispatch and the conversation."""
