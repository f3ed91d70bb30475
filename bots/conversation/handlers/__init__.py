"""Conversation handlers: each reads the turn, says something and returns the next State."""
