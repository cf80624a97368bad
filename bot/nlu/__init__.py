"""Custom Rasa NLU components (GraphComponents registered with Rasa's DefaultV1Recipe).

Every process that trains or loads our model imports this package; it must have started through
`bot/launch.py`, which installs our changes to Rasa (`bot.rasa_patches`).
"""

from bot import rasa_patches

rasa_patches.require("The model's NLU components (bot.nlu)")
