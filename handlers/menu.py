"""The command menus: one for everyone, a longer one shown only in admins' chats."""

from telegram import BotCommand

USER_MENU = [
    BotCommand("advise", "Get a recommendation"),
    BotCommand("new", "Start a new brief"),
    BotCommand("campaigns", "Your campaigns and check-ins"),
    BotCommand("results", "Results against the forecast"),
    BotCommand("remind", "Set a reminder"),
    BotCommand("reminders", "Pending reminders"),
    BotCommand("timezone", "Set your time zone"),
    BotCommand("mydata", "What I hold about you"),
    BotCommand("forget_me", "Erase everything about you"),
    BotCommand("cancel", "Stop what you are doing"),
    BotCommand("help", "What I can do"),
    BotCommand("start", "Welcome"),
]
ADMIN_MENU = [
    *USER_MENU,
    BotCommand("roster", "Search the roster"),
    BotCommand("add", "Add an influencer"),
    BotCommand("edit", "Change an influencer"),
    BotCommand("remove", "Remove an influencer"),
    BotCommand("restore", "Bring a removed influencer back"),
    BotCommand("import", "Import a roster CSV"),
    BotCommand("export", "Export the roster as CSV"),
    BotCommand("history", "Who changed what"),
    BotCommand("admin", "Manage admins"),
    BotCommand("adminhelp", "Admin commands"),
]
