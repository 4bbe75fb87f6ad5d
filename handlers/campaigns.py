"""/campaigns, a campaign's card, and /results (the latest campaign against its forecast)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from telegram import Update

from handlers import keyboards
from handlers.callbacks import Prefix, id_part, parts_of
from handlers.campaign_form import waiting_draft
from handlers.charts import send_creators_chart_after, send_results_chart_after
from handlers.context import BotContext
from handlers.services import reply, user_id_of
from knowledge.advice.stored import plan_people, verdict_of
from knowledge.campaigns.by_creator import ByCreator, by_creator
from knowledge.campaigns.checkins import Comparison, compare, latest, stage_advice
from knowledge.campaigns.pipeline import Window, counts, windows_of
from knowledge.campaigns.pipeline_words import status_words
from knowledge.campaigns.schedule import campaign_status
from knowledge.writing.render import render
from knowledge.writing.replies import Template
from storage.campaigns import CampaignDetails, campaign_details, campaigns_of, latest_campaign_id

MAX_LISTED = 20


async def campaigns_command(update: Update, context: BotContext) -> None:
    s = context.services
    user_id = user_id_of(update)
    today = s.today_for(user_id)
    with s.session() as session:
        campaigns = campaigns_of(session=session, user_id=user_id)[:MAX_LISTED]
    ids = [c.id for c in campaigns if c.id is not None]
    waiting = waiting_draft(context)
    name = waiting["name"] if waiting else None
    await reply(
        update,
        Template.CAMPAIGNS_LIST,
        keyboards.campaigns(ids, name) if ids or waiting else None,
        campaigns=[(c, campaign_status(c.start_day, c.length_days, today)) for c in campaigns],
        waiting=waiting,
        start=date.fromisoformat(waiting["start"]) if waiting else None,
    )


def comparison_of(details: CampaignDetails) -> Comparison:
    """The campaign's results so far against its forecast, judged at the last stage
    reported."""
    rec = details.brief.recommendation if details.brief else {}
    goal = details.brief.goal if details.brief else ""
    stage = details.results[-1].stage if details.results else None
    return compare(rec, goal, latest(r.model_dump() for r in details.results), stage)


def by_creator_of(details: CampaignDetails) -> ByCreator | None:
    """Each creator's and each side's results so far against their own forecast."""
    rec = details.brief.recommendation if details.brief else {}
    goal = details.brief.goal if details.brief else ""
    results = [r.model_dump() for r in details.creator_results]
    return by_creator(rec, goal, details.creators, results)


def _windows(details: CampaignDetails, lines: list[Mapping[str, Any]]) -> dict[int, Window]:
    """Each creator's posting window, by their row's id, as the plan gave it (a creator
    replacing one who declined has none of their own)."""
    planned = windows_of(lines)
    return {
        c.id: planned[(c.influencer_id, c.wave)]
        for c in details.creators
        if c.id is not None and (c.influencer_id, c.wave) in planned
    }


async def show_campaign(update: Update, context: BotContext, details: CampaignDetails) -> None:
    """The campaign card: brief, people, check-ins, and results against the forecast (with
    their chart once there are any, and the chart per side and per creator once creators
    reported theirs)."""
    s = context.services
    comparison = comparison_of(details)
    zone = s.zone_of(user_id_of(update))
    campaign, brief = details.campaign, details.brief
    rec = brief.recommendation if brief else {}
    plan = plan_people(rec)
    by = by_creator_of(details)
    await reply(
        update,
        Template.CAMPAIGN_CARD,
        keyboards.campaign_card(campaign.id, details.creators, campaign.brief_id)
        if campaign.id is not None
        else None,
        campaign=campaign,
        status=campaign_status(
            campaign.start_day, campaign.length_days, s.clock.now().astimezone(zone).date()
        ),
        brief=brief,
        verdict=verdict_of(rec),
        labels=s.labels,
        people=details.creators,
        windows=_windows(details, plan.lines),
        planned=len(plan.lines),
        tally=counts(details.creators),
        status_words=status_words,
        spent_cents=plan.spent_cents,
        waves=plan.waves,
        checkins=details.checkins,
        stage_labels={c.stage: stage_advice(c.stage or "", s.kb).label for c in details.checkins},
        tz=zone,
        zone=zone.key,
        comparison=comparison,
        by_creator=by,
        currency=s.currency,
    )
    send_results_chart_after(update, context, comparison)
    send_creators_chart_after(update, context, by)


async def campaign_button(update: Update, context: BotContext) -> None:
    """A campaign's number under /campaigns."""
    query = update.callback_query
    assert query is not None
    s = context.services
    campaign_id = id_part(parts_of(query.data, Prefix.OPEN_CAMPAIGN))
    details = None
    if campaign_id is not None:
        with s.session() as session:
            details = campaign_details(
                session=session, user_id=query.from_user.id, campaign_id=campaign_id
            )
    if details is None:
        await query.answer(render(Template.EXPIRED))
        return
    await query.answer()
    await show_campaign(update, context, details)


async def results_command(update: Update, context: BotContext) -> None:
    """/results: the latest campaign's results against its forecast."""
    s = context.services
    user_id = user_id_of(update)
    details = None
    with s.session() as session:
        campaign_id = latest_campaign_id(session=session, user_id=user_id)
        if campaign_id is not None:
            details = campaign_details(session=session, user_id=user_id, campaign_id=campaign_id)
    if details is None:
        await reply(update, Template.CAMPAIGNS_LIST, campaigns=[], waiting=None)
        return
    await show_campaign(update, context, details)
