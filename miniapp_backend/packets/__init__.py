"""Print rendering: application packets (DOCX, PDF, zip) and station signs, as pure functions."""
