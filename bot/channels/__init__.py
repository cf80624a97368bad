"""Rasa input channels for citizens. Each checks its input, then `guard` cleans the text, rate-limits,
caps length and masks ID numbers before Rasa sees it.

`rasa run` loads these channels before it builds the server and loads the agent: our changes to
Rasa (`bot.rasa_patches`) are installed here, before that.
"""

from bot import rasa_patches

rasa_patches.install()
