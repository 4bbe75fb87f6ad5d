"""The local sandbox: a Bot API emulator on 127.0.0.1 (`emulator`) and the terminal chat that
drives it (`terminal`), so the bot can be tried without Telegram. Only the entry point
(`bot.__main__`) imports it; the tests use the emulator as their Telegram.
"""
