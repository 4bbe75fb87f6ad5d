"""Settings, application wiring and the entry point (`python -m bot`)."""
