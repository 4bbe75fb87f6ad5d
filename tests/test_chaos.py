"""Issue 24, point 9: the chaos test. Two instances on PostgreSQL behind the emulator's webhook
delivery, 500 users sending briefs, reminders and results (one in twenty saves a card as a
campaign through the bot's form before the chaos, and answers its check-in with results
during it), while one instance is killed (kill -9) and started again, PostgreSQL is
unreachable for 5 s, one update in twenty is sent again to the other instance, and Telegram
refuses every send for 3 s (a 429 storm; bench.chaos, which `python -m bench.chaos` runs with
the same figures; bench/RESULTS.md records the runs).

"PostgreSQL stops for 5 s" is played by a loopback proxy between the instances and the
server (bench.pgproxy): it drops every open connection and every new one for 5 s. The
machine's PostgreSQL server itself is never stopped (other test runs use it meanwhile).

Like every test that needs a PostgreSQL server whatever the run's database, it runs where
TEST_DATABASE_URL is set (CI's second run of the suite) and is skipped, saying why, in the
README's SQLite run.

What a kill -9 can't avoid is bounded here rather than hidden (AT_MOST_TWICE,
AT_MOST_UNCONFIRMED): Telegram has no way to ask whether it got a message, so an instance
killed between Telegram taking a message and the database recording it leaves the other
instance unable to know. For replies the bot then sends again (a reply twice beats none);
for reminders and check-ins, delivered at most once, it never does (one sent twice would be
a second nudge; it stays "claimed", shown to its owner as not confirmed). Everything else is
exact: an update whose handlers the outage cut off is answered 503, its user told nothing,
and handled in full when Telegram sends it again (bot.processing); a results line handled a
second time that way updates its check-in's one row (storage.campaigns.record_results, a
unique index holding it).
"""

from __future__ import annotations

from pathlib import Path

from bench import chaos

USERS = 500
# Replies sent twice after the kill: those Telegram had taken from the killed instance in the
# milliseconds before their update's claim was marked done (bot.dedup); the other instance
# sends the replies held on the claim. A Telegram limit, not a fault: marking the claim done
# before sending would lose those replies instead. The window widens with the machine's load
# (the event loop is late to mark the claim): 0 to 4 a run in 16 runs of session 32, at load
# averages of 5 to 40 on 2 cores, and 6 in one fresh-clone CI run (of 675 updates) while the
# PostgreSQL suite's other worker ran beside it.
AT_MOST_TWICE = 10
# Updates cut by the outage answered "something went wrong, try again" rather than 503:
# none. Until this fix, 0 to 3 a run were (sessions 30 and 32): python-telegram-bot writes
# every user's pending state in whichever update's turn comes first, and a write refused by
# the lost database was counted for that turn's update; a user whose write, and its try
# again, both ran in other updates' turns was told to try again. A refused write is now its
# user's (bot.persistence's refusal), and their own update is given up (503) for it
# (test_webhook_outage::test_state_writes_refused_in_other_updates_turns_give_their_own_updates_up).
AT_MOST_WENT_WRONG = 0
# Reminders and check-ins delivered but left claimed, not recorded as sent: those the killed
# instance had sent in the milliseconds between the send and its record (at most once: see
# above). A Telegram limit. 0 or 1 a run (1 check-in in 16 runs of session 32; one reminder
# in five CI runs of session 31).
AT_MOST_UNCONFIRMED = 2


async def test_two_instances_under_kills_outages_resends_and_a_429_storm(
    postgres_url: str, tmp_path: Path
) -> None:
    f = await chaos.chaos(postgres_url, USERS, tmp_path)
    print("\n".join(f"{key}: {value}" for key, value in f.items()))  # shown when it fails
    faults = " / ".join(f["faults"])
    assert "killed" in faults and "unreachable" in faults and "429 storm over" in faults, faults
    assert f["storm_refusals"] > 0
    # Every update answered, with the answer it asks for; none lost, none handled twice.
    assert f["unanswered"] == [] and f["answers"] >= f["expected_answers"]
    assert f["wrong_answers"] == [] and f["extra_answers"] == []
    assert len(f["answered_twice"]) <= AT_MOST_TWICE, f["answered_twice"]
    assert f["went_wrong_then_tried_again"] <= AT_MOST_WENT_WRONG, f["went_wrong_updates"]
    assert f["resent"] >= f["updates"] // chaos.RESEND_EVERY
    assert set(f["resend_answers"]) == {200}  # skipped by the other instance, not handled
    # Every reminder delivered exactly once and recorded as sent, but for the kill's few; none
    # set twice.
    assert f["reminders_delivered"] == f["reminders_set"] == USERS // 4
    assert f["reminders_twice"] == 0 and f["reminders_set_twice"] == []
    statuses, checkins = f["reminder_statuses"], f["checkin_statuses"]
    assert set(statuses) <= {"sent", "claimed"} and sum(statuses.values()) == f["reminders_set"]
    unconfirmed = statuses.get("claimed", 0) + checkins.get("claimed", 0)
    assert unconfirmed <= AT_MOST_UNCONFIRMED, (statuses, checkins)
    # Every campaign saved, its check-in delivered exactly once and its results stored exactly
    # once (none lost, none doubled), with the figures typed.
    assert f["campaigns_saved"] == USERS // chaos.CAMPAIGN_EVERY
    assert f["campaigns_saved_twice"] == []
    assert f["checkins_delivered"] == f["campaigns_saved"] and f["checkins_twice"] == 0
    assert set(checkins) <= {"sent", "claimed"} and sum(checkins.values()) == f["campaigns_saved"]
    assert f["results_stored"] == f["campaigns_saved"] and f["results_wrong"] == {}
    # No state lost: each user's typed budget is in their brief.
    assert f["states_lost"] == [] and f["states_kept"] == USERS
    # Both instances stopped cleanly at the end; no process left.
    assert f["exit_codes"] == [0, 0] and f["processes_left"] == []
