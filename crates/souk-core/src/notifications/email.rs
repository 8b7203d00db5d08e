//! Notification emails: a stored notification, or a digest of unread
//! conversations, as a localized (English or Arabic) subject, plain text and
//! HTML with inline styles only.

use serde_json::Value;
use souk_db::entities::notifications;
use uuid::Uuid;

use crate::Lang;

/// Who an email is for and where its links point.
#[derive(Debug, Clone, Copy)]
pub struct EmailContext<'a> {
    /// The recipient's display name, for the greeting.
    pub user_name: &'a str,
    /// The recipient's language.
    pub lang: Lang,
    /// The app's public URL (`PUBLIC_URL`), prefix of every link.
    pub public_url: &'a str,
    /// Where the recipient can stop these emails; adds a footer line when set.
    pub unsubscribe_url: Option<&'a str>,
}

/// An email ready to send: the subject and both alternatives of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// One conversation in an unread-messages digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestItem {
    pub conversation: Uuid,
    /// The name of whoever wrote last.
    pub sender: String,
    /// The start of the latest unread message (may be empty).
    pub preview: String,
    /// How many messages are unread there; below 1 counts as 1.
    pub unread: i64,
}

/// What a notification's button does, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Quote,
    Job,
    Review,
    Wallet,
    Booking,
    Task,
    Dispute,
    Message,
    Generic,
}

fn action_of(kind: &str) -> Action {
    match kind {
        "quote_received" | "quote_accepted" | "quote_declined" => Action::Quote,
        "job_invitation"
        | "invitation_accepted"
        | "invitation_rejected"
        | "job_status"
        | "reviews_revealed" => Action::Job,
        "review_waiting" => Action::Review,
        "tip_received" | "fees_due" | "bonus_credited" => Action::Wallet,
        k if k.starts_with("escrow_")
            || k.starts_with("payment_")
            || k.starts_with("withdrawal_") =>
        {
            Action::Wallet
        }
        k if k.starts_with("booking_") => Action::Booking,
        "task_submission"
        | "submission_approved"
        | "submission_rejected"
        | "submission_appealed"
        | "appeal_upheld"
        | "appeal_denied"
        | "task_expired" => Action::Task,
        k if k.starts_with("dispute_") => Action::Dispute,
        "message_received" => Action::Message,
        _ => Action::Generic,
    }
}

fn label(action: Action, lang: Lang) -> &'static str {
    match (lang, action) {
        (Lang::En, Action::Quote) => "View the quote",
        (Lang::En, Action::Job) => "See the job",
        (Lang::En, Action::Review) => "Leave your review",
        (Lang::En, Action::Wallet) => "Open your wallet",
        (Lang::En, Action::Booking) => "View the booking",
        (Lang::En, Action::Task) => "View the task",
        (Lang::En, Action::Dispute) => "View the dispute",
        (Lang::En, Action::Message) => "Read the message",
        (Lang::En, Action::Generic) => "Open Souk",
        (Lang::Ar, Action::Quote) => "عرض عرض السعر",
        (Lang::Ar, Action::Job) => "عرض الوظيفة",
        (Lang::Ar, Action::Review) => "اكتب تقييمك",
        (Lang::Ar, Action::Wallet) => "افتح محفظتك",
        (Lang::Ar, Action::Booking) => "عرض الحجز",
        (Lang::Ar, Action::Task) => "عرض المهمة",
        (Lang::Ar, Action::Dispute) => "عرض النزاع",
        (Lang::Ar, Action::Message) => "اقرأ الرسالة",
        (Lang::Ar, Action::Generic) => "افتح سوق",
    }
}

/// An id from the notification data; anything but a UUID is ignored so
/// nothing odd ends up in a link.
fn id(data: &Value, key: &str) -> Option<Uuid> {
    data.get(key)?.as_str()?.parse().ok()
}

/// The app link for a notification (PUBLIC_URL + path), from its kind and
/// data; `/notifications` when the kind has no page of its own or the id is
/// missing.
pub fn action_link(kind: &str, data: &Value, public_url: &str) -> String {
    let job = || id(data, "jobId");
    let path = match action_of(kind) {
        Action::Quote => match (job(), id(data, "quoteId")) {
            (Some(job), Some(quote)) => Some(format!("/jobs/{job}/quotes/{quote}")),
            (Some(job), None) => Some(format!("/jobs/{job}")),
            _ => None,
        },
        Action::Job | Action::Review => job().map(|job| format!("/jobs/{job}")),
        Action::Wallet => Some("/wallet".to_owned()),
        Action::Booking => id(data, "bookingId").map(|b| format!("/bookings/{b}")),
        Action::Task => id(data, "taskId").map(|t| format!("/tasks/{t}")),
        Action::Dispute => id(data, "disputeId").map(|d| format!("/disputes/{d}")),
        Action::Message => id(data, "conversationId").map(|c| format!("/messages/{c}")),
        Action::Generic => None,
    };
    link(public_url, path.as_deref().unwrap_or("/notifications"))
}

fn link(public_url: &str, path: &str) -> String {
    format!("{}{path}", public_url.trim_end_matches('/'))
}

/// A stored notification (title and body already in the user's language)
/// as an email.
pub fn render(notification: &notifications::Model, ctx: &EmailContext) -> RenderedEmail {
    let data = serde_json::from_str::<Value>(&notification.data).unwrap_or(Value::Null);
    let url = action_link(&notification.kind, &data, ctx.public_url);
    let action = label(action_of(&notification.kind), ctx.lang);
    let subject = one_line(&notification.title);
    let greeting = greeting(ctx);

    let mut text = format!(
        "{greeting}\n\n{}\n\n{}\n\n{action}: {url}\n",
        notification.title, notification.body
    );
    text.push_str(&text_footer(ctx));

    let content = format!(
        r#"<p style="margin:0 0 16px 0;">{greeting}</p>
<h1 style="margin:0 0 12px 0;font-size:20px;line-height:1.3;color:#111827;">{title}</h1>
<p style="margin:0 0 8px 0;">{body}</p>
{button}"#,
        greeting = escape(&greeting),
        title = escape(&notification.title),
        body = multiline(&notification.body),
        button = button(&url, action, ctx.lang),
    );
    RenderedEmail {
        html: layout(ctx, &subject, &content),
        subject,
        text,
    }
}

/// One email for several conversations with unread messages.
pub fn render_digest(items: &[DigestItem], ctx: &EmailContext) -> RenderedEmail {
    let total = items
        .iter()
        .fold(0_i64, |sum, item| sum.saturating_add(item.unread.max(1)));
    let subject = digest_subject(total, ctx.lang);
    let greeting = greeting(ctx);
    let intro = match ctx.lang {
        Lang::En => "These conversations have messages you have not read yet:",
        Lang::Ar => "في هذه المحادثات رسائل لم تقرأها بعد:",
    };
    let action = match ctx.lang {
        Lang::En => "Open your messages",
        Lang::Ar => "افتح رسائلك",
    };
    let inbox = link(ctx.public_url, "/messages");

    let mut text = format!("{greeting}\n\n{subject}. {intro}\n\n");
    let mut rows = String::new();
    for item in items {
        let url = link(ctx.public_url, &format!("/messages/{}", item.conversation));
        let count = unread_words(item.unread.max(1), ctx.lang);
        let preview = one_line(&item.preview);
        text.push_str(&format!("- {} ({count})", one_line(&item.sender)));
        if !preview.is_empty() {
            text.push_str(&format!(": {preview}"));
        }
        text.push_str(&format!("\n  {url}\n"));

        let preview_html = if preview.is_empty() {
            String::new()
        } else {
            format!(
                r#"<br><span style="color:#4b5563;">{}</span>"#,
                escape(&preview)
            )
        };
        rows.push_str(&format!(
            r#"<tr><td style="padding:12px 0;border-bottom:1px solid #e5e7eb;"><a href="{url}" style="color:#0f766e;font-weight:bold;text-decoration:none;">{sender}</a> <span style="color:#6b7280;font-size:14px;">({count})</span>{preview_html}</td></tr>
"#,
            url = escape(&url),
            sender = escape(&item.sender),
            count = escape(&count),
        ));
    }
    text.push_str(&format!("\n{action}: {inbox}\n"));
    text.push_str(&text_footer(ctx));

    let content = format!(
        r#"<p style="margin:0 0 16px 0;">{greeting}</p>
<h1 style="margin:0 0 12px 0;font-size:20px;line-height:1.3;color:#111827;">{subject_html}</h1>
<p style="margin:0 0 8px 0;">{intro}</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
{rows}</table>
{button}"#,
        greeting = escape(&greeting),
        subject_html = escape(&subject),
        intro = escape(intro),
        button = button(&inbox, action, ctx.lang),
    );
    RenderedEmail {
        html: layout(ctx, &subject, &content),
        subject,
        text,
    }
}

fn digest_subject(total: i64, lang: Lang) -> String {
    match (lang, total) {
        (Lang::En, 1) => "You have 1 unread message".to_owned(),
        (Lang::En, n) => format!("You have {n} unread messages"),
        (Lang::Ar, 1) => "لديك رسالة واحدة غير مقروءة".to_owned(),
        (Lang::Ar, 2) => "لديك رسالتان غير مقروءتين".to_owned(),
        (Lang::Ar, n) => format!("لديك {n} رسائل غير مقروءة"),
    }
}

fn unread_words(count: i64, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{count} unread"),
        Lang::Ar => format!("{count} غير مقروءة"),
    }
}

fn greeting(ctx: &EmailContext) -> String {
    let name = one_line(ctx.user_name);
    match (ctx.lang, name.is_empty()) {
        (Lang::En, false) => format!("Hi {name},"),
        (Lang::En, true) => "Hi,".to_owned(),
        (Lang::Ar, false) => format!("مرحبًا {name}،"),
        (Lang::Ar, true) => "مرحبًا،".to_owned(),
    }
}

fn unsubscribe_words(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::En => ("Don't want these emails?", "Unsubscribe"),
        Lang::Ar => ("لا تريد هذه الرسائل؟", "إلغاء الاشتراك"),
    }
}

fn text_footer(ctx: &EmailContext) -> String {
    let brand = match ctx.lang {
        Lang::En => "Souk",
        Lang::Ar => "سوق",
    };
    let mut footer = format!("\n-- \n{brand}: {}\n", ctx.public_url);
    if let Some(url) = ctx.unsubscribe_url {
        let (question, action) = unsubscribe_words(ctx.lang);
        footer.push_str(&format!("{question} {action}: {url}\n"));
    }
    footer
}

/// A link styled as a button (a table cell, which mail clients keep).
fn button(url: &str, label: &str, lang: Lang) -> String {
    format!(
        r##"<table role="presentation" cellpadding="0" cellspacing="0" border="0" align="{align}" style="margin:24px 0;">
<tr><td align="center" bgcolor="#0f766e" style="border-radius:6px;background-color:#0f766e;">
<a href="{url}" target="_blank" style="display:inline-block;padding:12px 24px;font-family:{font};font-size:16px;font-weight:bold;color:#ffffff;text-decoration:none;border-radius:6px;">{label}</a>
</td></tr>
</table>"##,
        align = align(lang),
        url = escape(url),
        font = font(lang),
        label = escape(label),
    )
}

/// The page around the content: a centred 600px card, right-aligned and
/// right-to-left for Arabic.
fn layout(ctx: &EmailContext, subject: &str, content: &str) -> String {
    let lang = ctx.lang;
    let (dir, align, font) = (dir(lang), align(lang), font(lang));
    let brand = match lang {
        Lang::En => "Souk",
        Lang::Ar => "سوق",
    };
    let footer = match ctx.unsubscribe_url {
        Some(url) => {
            let (question, action) = unsubscribe_words(lang);
            format!(
                r#"<tr><td dir="{dir}" align="{align}" style="padding:16px 32px;font-family:{font};font-size:12px;line-height:1.5;color:#6b7280;text-align:{align};">{question} <a href="{url}" style="color:#6b7280;text-decoration:underline;">{action}</a></td></tr>
"#,
                question = escape(question),
                url = escape(url),
                action = escape(action),
            )
        }
        None => String::new(),
    };
    format!(
        r##"<!DOCTYPE html>
<html lang="{lang_tag}" dir="{dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{subject}</title>
</head>
<body dir="{dir}" style="margin:0;padding:0;background-color:#f3f4f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" dir="{dir}" style="background-color:#f3f4f6;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" dir="{dir}" style="width:100%;max-width:600px;">
<tr><td dir="{dir}" align="{align}" style="padding:0 32px 12px 32px;font-family:{font};font-size:22px;font-weight:bold;color:#0f766e;text-align:{align};">{brand}</td></tr>
<tr><td dir="{dir}" align="{align}" bgcolor="#ffffff" style="padding:24px 32px;background-color:#ffffff;border-radius:8px;font-family:{font};font-size:16px;line-height:1.6;color:#1f2937;text-align:{align};">
{content}
</td></tr>
{footer}</table>
</td></tr>
</table>
</body>
</html>
"##,
        lang_tag = lang.as_str(),
        subject = escape(subject),
    )
}

fn dir(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "ltr",
        Lang::Ar => "rtl",
    }
}

fn align(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "left",
        Lang::Ar => "right",
    }
}

fn font(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Helvetica,Arial,sans-serif",
        Lang::Ar => "Tahoma,Arial,sans-serif",
    }
}

/// Collapses line breaks so a value fits a subject or a list line.
fn one_line(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escaped text with its line breaks kept as `<br>`.
fn multiline(value: &str) -> String {
    escape(value).replace("\r\n", "\n").replace('\n', "<br>")
}

/// Escapes text for HTML element content and quoted attribute values.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::json;

    use super::*;

    const URL: &str = "https://souk.test";

    fn ctx(lang: Lang, unsubscribe_url: Option<&'static str>) -> EmailContext<'static> {
        EmailContext {
            user_name: match lang {
                Lang::En => "Amal",
                Lang::Ar => "أمل",
            },
            lang,
            public_url: URL,
            unsubscribe_url,
        }
    }

    fn notification(kind: &str, title: &str, body: &str, data: Value) -> notifications::Model {
        notifications::Model {
            id: Uuid::now_v7(),
            user_id: Uuid::now_v7(),
            kind: kind.to_owned(),
            title: title.to_owned(),
            body: body.to_owned(),
            data: data.to_string(),
            read_at: None,
            created_at: chrono::Utc::now(),
        }
    }

    fn quote() -> (Uuid, Uuid, notifications::Model) {
        let (job, quote) = (Uuid::now_v7(), Uuid::now_v7());
        let n = notification(
            "quote_received",
            "عرض سعر جديد",
            "وصلك عرض سعر جديد على «دهان شقة».",
            json!({ "jobId": job, "quoteId": quote, "price": 1500 }),
        );
        (job, quote, n)
    }

    #[test]
    fn arabic_is_right_to_left_with_arabic_greeting_and_label() {
        let (job, quote, n) = quote();
        let email = render(&n, &ctx(Lang::Ar, None));
        assert_eq!(email.subject, "عرض سعر جديد");
        assert!(email.html.contains(r#"<html lang="ar" dir="rtl">"#));
        assert!(email.html.contains("text-align:right"));
        assert!(!email.html.contains("text-align:left"));
        assert!(email.html.contains("مرحبًا أمل،"));
        assert!(email.html.contains("عرض عرض السعر"));
        assert!(email.html.contains("وصلك عرض سعر جديد على «دهان شقة»."));
        let link = format!("{URL}/jobs/{job}/quotes/{quote}");
        assert!(email.html.contains(&format!(r#"href="{link}""#)));
        assert!(email.text.starts_with("مرحبًا أمل،"));
        assert!(email.text.contains(&format!("عرض عرض السعر: {link}")));
        assert!(email.text.contains("عرض سعر جديد"));
    }

    #[test]
    fn english_is_left_to_right() {
        let job = Uuid::now_v7();
        let n = notification(
            "job_invitation",
            "You are invited to a job",
            "A client invited you to quote on \"Paint a flat\".",
            json!({ "jobId": job, "invitationId": Uuid::now_v7() }),
        );
        let email = render(&n, &ctx(Lang::En, None));
        assert!(email.html.contains(r#"<html lang="en" dir="ltr">"#));
        assert!(!email.html.contains("rtl"));
        assert!(email.html.contains("Hi Amal,"));
        assert!(email.html.contains("See the job"));
        assert!(email.html.contains("quote on &quot;Paint a flat&quot;."));
        assert!(
            email
                .text
                .contains(&format!("See the job: {URL}/jobs/{job}"))
        );
        assert!(email.text.contains("quote on \"Paint a flat\"."));
        // No external resources.
        assert!(!email.html.contains("<img"));
        assert!(!email.html.contains("<link"));
        assert!(!email.html.contains("src="));
    }

    #[test]
    fn interpolated_values_are_escaped() {
        let n = notification(
            "announcement",
            "<script>alert('x')</script> & more",
            "Body <b>bold</b>\nsecond line",
            json!({}),
        );
        let mut context = ctx(Lang::En, Some("https://souk.test/u?a=1&b=\"2\""));
        context.user_name = "<Amal>";
        let email = render(&n, &context);
        assert!(!email.html.contains("<script>"));
        assert!(
            email
                .html
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more")
        );
        assert!(
            email
                .html
                .contains("Body &lt;b&gt;bold&lt;/b&gt;<br>second line")
        );
        assert!(email.html.contains("Hi &lt;Amal&gt;,"));
        assert!(
            email
                .html
                .contains(r#"href="https://souk.test/u?a=1&amp;b=&quot;2&quot;""#)
        );
        assert!(email.html.contains("Open Souk"));
        // The plain text is not HTML: it keeps the characters.
        assert!(email.text.contains("<script>alert('x')</script> & more"));
    }

    #[test]
    fn unsubscribe_footer_only_when_given() {
        let (_, _, n) = quote();
        let without = render(&n, &ctx(Lang::En, None));
        assert!(!without.html.contains("Unsubscribe"));
        assert!(!without.text.contains("Unsubscribe"));

        let unsubscribe = "https://souk.test/unsubscribe/t0k3n";
        let with = render(&n, &ctx(Lang::En, Some(unsubscribe)));
        assert!(with.html.contains("Don&#39;t want these emails?"));
        assert!(with.html.contains(&format!(r#"href="{unsubscribe}""#)));
        assert!(with.text.contains(&format!(
            "Don't want these emails? Unsubscribe: {unsubscribe}"
        )));

        let arabic = render(&n, &ctx(Lang::Ar, Some(unsubscribe)));
        assert!(arabic.html.contains("إلغاء الاشتراك"));
        assert!(
            arabic
                .text
                .contains(&format!("إلغاء الاشتراك: {unsubscribe}"))
        );
    }

    #[test]
    fn action_links_by_kind() {
        let (job, quote, booking, task, dispute, conversation) = (
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
        );
        let base = "https://souk.test/";
        let cases = [
            (
                "job_invitation",
                json!({ "jobId": job }),
                format!("/jobs/{job}"),
            ),
            (
                "job_status",
                json!({ "jobId": job, "status": "hired" }),
                format!("/jobs/{job}"),
            ),
            (
                "quote_received",
                json!({ "jobId": job, "quoteId": quote }),
                format!("/jobs/{job}/quotes/{quote}"),
            ),
            (
                "quote_accepted",
                json!({ "jobId": job, "quoteId": quote }),
                format!("/jobs/{job}/quotes/{quote}"),
            ),
            (
                "escrow_funded",
                json!({ "jobId": job }),
                "/wallet".to_owned(),
            ),
            ("withdrawal_rejected", json!({}), "/wallet".to_owned()),
            ("fees_due", json!({}), "/wallet".to_owned()),
            (
                "booking_requested",
                json!({ "bookingId": booking }),
                format!("/bookings/{booking}"),
            ),
            (
                "submission_approved",
                json!({ "taskId": task, "submissionId": Uuid::now_v7() }),
                format!("/tasks/{task}"),
            ),
            (
                "dispute_opened",
                json!({ "disputeId": dispute, "jobId": job }),
                format!("/disputes/{dispute}"),
            ),
            (
                "message_received",
                json!({ "conversationId": conversation, "jobId": null }),
                format!("/messages/{conversation}"),
            ),
            ("announcement", json!({}), "/notifications".to_owned()),
            (
                "verification_approved",
                json!({ "verified": true }),
                "/notifications".to_owned(),
            ),
            // A missing or malformed id falls back rather than building a broken link.
            ("booking_accepted", json!({}), "/notifications".to_owned()),
            (
                "job_invitation",
                json!({ "jobId": "../admin" }),
                "/notifications".to_owned(),
            ),
        ];
        for (kind, data, path) in cases {
            assert_eq!(
                action_link(kind, &data, base),
                format!("https://souk.test{path}"),
                "{kind}"
            );
        }
    }

    #[test]
    fn money_kinds_open_the_wallet() {
        let n = notification("escrow_released", "Payment released", "…", json!({}));
        assert!(
            render(&n, &ctx(Lang::En, None))
                .html
                .contains("Open your wallet")
        );
        assert!(
            render(&n, &ctx(Lang::Ar, None))
                .html
                .contains("افتح محفظتك")
        );
    }

    #[test]
    fn malformed_data_still_renders() {
        let mut n = notification("quote_received", "New quote", "Body", json!({}));
        n.data = "not json".to_owned();
        let email = render(&n, &ctx(Lang::En, None));
        assert!(
            email
                .text
                .contains("View the quote: https://souk.test/notifications")
        );
    }

    #[test]
    fn digest_lists_each_conversation() {
        let items = vec![
            DigestItem {
                conversation: Uuid::now_v7(),
                sender: "Omar".into(),
                preview: "Can you come <tomorrow>?".into(),
                unread: 2,
            },
            DigestItem {
                conversation: Uuid::now_v7(),
                sender: "Laila".into(),
                preview: String::new(),
                unread: 3,
            },
        ];
        let email = render_digest(&items, &ctx(Lang::En, None));
        assert_eq!(email.subject, "You have 5 unread messages");
        assert!(email.html.contains("Hi Amal,"));
        assert!(email.html.contains(r#"dir="ltr""#));
        for item in &items {
            let link = format!("{URL}/messages/{}", item.conversation);
            assert!(email.html.contains(&format!(r#"href="{link}""#)));
            assert!(email.text.contains(&link));
            assert!(email.html.contains(&item.sender));
        }
        assert!(email.html.contains("(2 unread)"));
        assert!(email.html.contains("Can you come &lt;tomorrow&gt;?"));
        assert!(
            email
                .text
                .contains("- Omar (2 unread): Can you come <tomorrow>?")
        );
        assert!(email.text.contains("- Laila (3 unread)\n"));

        let arabic = render_digest(&items, &ctx(Lang::Ar, Some("https://souk.test/u/x")));
        assert_eq!(arabic.subject, "لديك 5 رسائل غير مقروءة");
        assert!(arabic.html.contains(r#"<html lang="ar" dir="rtl">"#));
        assert!(arabic.html.contains("مرحبًا أمل،"));
        assert!(arabic.html.contains("(2 غير مقروءة)"));
        assert!(arabic.html.contains("إلغاء الاشتراك"));

        let one = render_digest(&items[..1], &ctx(Lang::En, None));
        assert_eq!(one.subject, "You have 2 unread messages");
        let single = DigestItem {
            unread: 1,
            ..items[0].clone()
        };
        assert_eq!(
            render_digest(std::slice::from_ref(&single), &ctx(Lang::En, None)).subject,
            "You have 1 unread message"
        );
    }
}
