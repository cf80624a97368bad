"""Rasa input channels for citizens. Each checks its input, then `guard` cleans the text, rate-limits,
caps length and masks ID numbers before Rasa sees it.

`rasa run` loads these channels before it builds the server and loads the agent; the process must
have started through `bot/launch.py`, which installs our changes to Rasa (`bot.rasa_patches`).
"""

from bot import rasa_patches

rasa_patches.require("The chat channels (bot.channels)")
