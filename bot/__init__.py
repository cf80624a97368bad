"""Servicekontor assistant: our Rasa extensions (channels, NLU, NLG), the case queue and settings."""
