//! One concierge turn: check the message, load or start the conversation,
//! understand the message, answer (LLM with tools when configured, else
//! or on its failure the built-in engine), save, log.

use souk_db::enums::{AiEngine, AiFeature};
use uuid::Uuid;

use super::{
    answer::{Answer, local_time, zone_of},
    conversation::{self, Conversation},
    filters::Filters,
    llm,
    matches::{self, Match, price_text},
    proposal::{self, Proposal},
};
use crate::{
    Core, Lang,
    accounts::{Authenticated, Role},
    ai::{
        log::{self, Call},
        nlu::{self, Intent, Parsed, reply::Reply},
        prompt,
    },
    catalog::services,
    error::Result,
};

/// A message to the concierge.
#[derive(Debug, Clone, Default)]
pub struct ChatInput {
    pub message: Option<String>,
    pub conversation_id: Option<Uuid>,
}

/// The concierge's answer.
#[derive(Debug, Clone)]
pub struct Turn {
    pub conversation_id: Uuid,
    pub reply: String,
    pub intent: Intent,
    pub filters: Filters,
    pub matches: Vec<Match>,
    pub proposal: Option<Proposal>,
    pub engine: AiEngine,
    pub lang: Lang,
}

/// The category's display name in `lang`.
async fn category_name(core: &Core, slug: Option<&str>, lang: Lang) -> Result<Option<String>> {
    let Some(slug) = slug else {
        return Ok(None);
    };
    Ok(services::active_by_slug(core, slug)
        .await?
        .map(|s| services::localized_name(&s, lang).to_owned()))
}

/// The built-in engine's answer to a parsed message.
pub(super) async fn builtin(
    core: &Core,
    caller: &Authenticated,
    conversation: &mut Conversation,
    parsed: &Parsed,
    lang: Lang,
) -> Result<Answer> {
    let filters = conversation.state.filters.clone();
    let plain = |reply: Reply| Answer {
        reply: nlu::reply::render(&reply, lang),
        matches: Vec::new(),
        proposal: None,
    };
    let searchable = filters.searchable();
    match parsed.intent {
        Intent::Greeting if !searchable => return Ok(plain(Reply::Greeting)),
        Intent::Thanks => return Ok(plain(Reply::Thanks)),
        Intent::Help => return Ok(plain(Reply::Help)),
        _ => {}
    }
    if !searchable {
        return Ok(plain(Reply::AskCategory));
    }
    let name = category_name(core, filters.category.as_deref(), lang).await?;
    let tz = zone_of(&filters);
    if parsed.intent == Intent::Book {
        // Book from the matches already shown, else search first.
        let mut shown = conversation.state.matches.clone();
        if shown.is_empty() {
            shown = matches::find(core, caller, &filters, lang).await?;
            conversation.state.matches = shown.clone();
        }
        let chosen = shown
            .get(parsed.choice.unwrap_or(0))
            .filter(|m| m.kind == "offering")
            .and_then(|m| Some((m, *m.next_slots.first()?, m.price?)));
        let Some((chosen, start, price)) = chosen else {
            return Ok(Answer {
                matches: shown,
                ..plain(Reply::NothingToBook)
            });
        };
        if caller.role != Role::Client {
            return Ok(Answer {
                matches: shown,
                ..plain(Reply::NothingToBook)
            });
        }
        let proposal = proposal::propose(
            core,
            caller.user.id,
            conversation.id,
            chosen.id,
            start,
            price,
        )
        .await?;
        let start_text = local_time(start, tz, lang);
        let price_shown = price_text(price);
        let reply = nlu::reply::render(
            &Reply::Proposal {
                title: &chosen.title,
                start: &start_text,
                price: &price_shown,
            },
            lang,
        );
        return Ok(Answer {
            reply,
            matches: shown,
            proposal: Some(proposal),
        });
    }
    let found = matches::find(core, caller, &filters, lang).await?;
    conversation.state.matches = found.clone();
    let place = filters.place.as_ref().map(|p| p.name.clone());
    let when = filters.from.zip(filters.to).map(|(from, to)| {
        nlu::describe_window(&nlu::Window { from, to }, tz, core.clock.now(), lang)
    });
    let reply = if found.is_empty() {
        Reply::NoMatches {
            category: name.as_deref(),
            place: place.as_deref(),
        }
    } else {
        Reply::Matches {
            category: name.as_deref(),
            place: place.as_deref(),
            count: found.len(),
            cheap: filters.cheap,
            when: when.as_deref(),
        }
    };
    Ok(Answer {
        reply: nlu::reply::render(&reply, lang),
        matches: found,
        proposal: None,
    })
}

/// Drops a category the catalog does not have (it stays a keyword).
async fn known_category(core: &Core, mut parsed: Parsed) -> Result<Parsed> {
    if let Some(slug) = parsed.category
        && services::active_by_slug(core, slug).await?.is_none()
    {
        parsed.category = None;
        parsed.keywords.push(slug.to_owned());
    }
    Ok(parsed)
}

/// One turn of the caller's conversation.
pub async fn chat(core: &Core, caller: &Authenticated, input: ChatInput) -> Result<Turn> {
    let message = prompt::checked("message", input.message.as_deref())?;
    let mut call = Call::start(Some(caller.user.id), AiFeature::Chat);
    let now = core.clock.now();
    let mut conversation = match input.conversation_id {
        Some(id) => conversation::load(core, caller.user.id, id).await?,
        None => Conversation::new(caller.user.id, now),
    };
    let context = nlu::Context {
        now,
        tz: zone_of(&conversation.state.filters),
    };
    let parsed = known_category(core, nlu::parse(&message, &context)).await?;
    let lang = parsed.lang;
    conversation.state.filters = conversation.state.filters.merged(&parsed);
    if parsed.category.is_some() || parsed.place.is_some() || parsed.window.is_some() {
        // A changed need: earlier matches no longer apply.
        if parsed.intent != Intent::Book {
            conversation.state.matches.clear();
        }
    }
    conversation.say("user", &message, now);
    let (answer, engine) = match core.ai.llm.clone() {
        Some(model) => {
            match llm::answer(core, caller, model.as_ref(), &mut conversation, lang).await {
                Ok(outcome) => {
                    call.prompt_tokens = outcome.usage.prompt_tokens;
                    call.completion_tokens = outcome.usage.completion_tokens;
                    (outcome.answer, AiEngine::Llm)
                }
                Err(failure) => {
                    call.prompt_tokens = failure.usage.prompt_tokens;
                    call.completion_tokens = failure.usage.completion_tokens;
                    call.error = Some(failure.reason);
                    let answer = builtin(core, caller, &mut conversation, &parsed, lang).await?;
                    (answer, AiEngine::Fallback)
                }
            }
        }
        None => (
            builtin(core, caller, &mut conversation, &parsed, lang).await?,
            AiEngine::Builtin,
        ),
    };
    conversation.state.matches = answer.matches.clone();
    conversation.say("assistant", &answer.reply, core.clock.now());
    conversation::save(core, &conversation).await?;
    call.engine = engine;
    call.intent = Some(parsed.intent.as_str().to_owned());
    call.prompt = Some(message);
    call.matched = answer.matches.iter().map(|m| m.id).collect();
    log::record(core, call).await;
    Ok(Turn {
        conversation_id: conversation.id,
        reply: answer.reply,
        intent: parsed.intent,
        filters: conversation.state.filters.clone(),
        matches: answer.matches,
        proposal: answer.proposal,
        engine,
        lang,
    })
}
