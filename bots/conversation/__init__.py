"""The chat conversation: a table of states (states.py), small handlers, replies, rendering."""
