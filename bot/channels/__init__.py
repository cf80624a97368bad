"""Rasa input channels for citizens. Each masks ID numbers and caps length before Rasa sees the text."""

from bot import speedups
from bot.channels import action_failures

speedups.apply()
action_failures.apply()
