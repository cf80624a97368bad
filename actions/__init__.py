"""Rasa custom actions (rasa-sdk), served by `rasa run actions`."""
