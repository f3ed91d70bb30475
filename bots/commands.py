"""The bot's command-line tools: `chat` (a terminal conversation) and `menu` (install menus)."""
from bots.console import chat_command
from bots.menu import menu_command

COMMANDS = (chat_command, menu_command)
