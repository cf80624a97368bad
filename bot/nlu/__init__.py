"""Custom Rasa NLU components (GraphComponents registered with Rasa's DefaultV1Recipe).

Every process that loads our model imports this package (`rasa run`, `rasa shell`, `rasa test`,
the tests' `Agent.load`), so all of them run with our changes to Rasa (`bot.rasa_patches`).
"""

from bot import rasa_patches

rasa_patches.install()
