"""Thin Telegram handlers: read the update, call the domain, render a template, reply."""
