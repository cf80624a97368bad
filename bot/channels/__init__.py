"""Rasa input channels for citizens. Each checks its input, then `guard` cleans the text, rate-limits,
caps length and masks ID numbers before Rasa sees it."""

from bot import speedups
from bot.channels import action_failures

speedups.apply()
action_failures.apply()
