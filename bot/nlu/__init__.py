"""Custom Rasa NLU components (GraphComponents registered with Rasa's DefaultV1Recipe)."""
