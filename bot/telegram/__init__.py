"""The Telegram shell (python-telegram-bot) over the core."""
