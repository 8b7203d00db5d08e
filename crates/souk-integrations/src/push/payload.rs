//! The `messages:send` request body, kept within FCM's 4096-byte limit: the body text is
//! shortened first (down to a floor), then data entries other than `kind` are dropped
//! (largest first), then the body and title are shortened further.

use std::collections::BTreeMap;

use serde::Serialize;

use super::PushMessage;

/// The largest request body we send; FCM refuses messages whose payload exceeds 4 KB, and
/// counting the whole request (token included) keeps us safely under it.
pub(crate) const MAX_REQUEST_BYTES: usize = 4096;
/// The body is not shortened below this many characters before data entries are dropped.
const BODY_FLOOR_CHARS: usize = 160;
/// Appended to shortened text.
const ELLIPSIS: char = '…';
/// The data entry that survives any shortening: the app routes on it.
const KEPT_DATA_KEY: &str = "kind";

#[derive(Serialize)]
struct Request<'a> {
    message: Message<'a>,
}

#[derive(Serialize)]
struct Message<'a> {
    token: &'a str,
    notification: Notification<'a>,
    data: &'a BTreeMap<&'a str, &'a str>,
    android: Android,
    apns: Apns,
}

#[derive(Serialize)]
struct Notification<'a> {
    title: &'a str,
    body: &'a str,
}

#[derive(Serialize)]
struct Android {
    priority: &'static str,
}

#[derive(Serialize)]
struct Apns {
    headers: ApnsHeaders,
}

#[derive(Serialize)]
struct ApnsHeaders {
    #[serde(rename = "apns-priority")]
    apns_priority: &'static str,
}

fn encode(token: &str, title: &str, body: &str, data: &BTreeMap<&str, &str>) -> Vec<u8> {
    let request = Request {
        message: Message {
            token,
            notification: Notification { title, body },
            data,
            android: Android { priority: "high" },
            apns: Apns {
                headers: ApnsHeaders {
                    apns_priority: "10",
                },
            },
        },
    };
    // Serialising borrowed strings and string maps cannot fail.
    serde_json::to_vec(&request).unwrap_or_default()
}

/// The JSON request body for `message`, shortened to fit [`MAX_REQUEST_BYTES`]; `None`
/// when even an empty body and title do not fit (an absurd token or `kind`).
pub(super) fn request_body(message: &PushMessage) -> Option<Vec<u8>> {
    let token = message.token.as_str();
    let mut data: BTreeMap<&str, &str> = message
        .data
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let fits = |title: &str, body: &str, data: &BTreeMap<&str, &str>| {
        encode(token, title, body, data).len() <= MAX_REQUEST_BYTES
    };
    let title = message.title.as_str();

    if let Some(body) = longest_fitting(&message.body, BODY_FLOOR_CHARS, |b| fits(title, b, &data))
    {
        return Some(encode(token, title, &body, &data));
    }

    let mut droppable: Vec<(&str, usize)> = data
        .iter()
        .filter(|(k, _)| **k != KEPT_DATA_KEY)
        .map(|(k, v)| (*k, k.len() + v.len()))
        .collect();
    droppable.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (key, _) in droppable {
        data.remove(key);
        if let Some(body) =
            longest_fitting(&message.body, BODY_FLOOR_CHARS, |b| fits(title, b, &data))
        {
            return Some(encode(token, title, &body, &data));
        }
    }

    if let Some(body) = longest_fitting(&message.body, 0, |b| fits(title, b, &data)) {
        return Some(encode(token, title, &body, &data));
    }
    let body = shortened(&message.body, 0);
    let title = longest_fitting(title, 0, |t| fits(t, &body, &data))?;
    Some(encode(token, &title, &body, &data))
}

/// `text` itself if it fits, else the longest `shortened(text, k)` with `k >= min_chars`
/// that fits; `None` if none does. Encoded size grows with `k`, so a binary search works.
fn longest_fitting(text: &str, min_chars: usize, fits: impl Fn(&str) -> bool) -> Option<String> {
    if fits(text) {
        return Some(text.to_owned());
    }
    let total = text.chars().count();
    if min_chars >= total {
        return None;
    }
    // Invariant: shortened(lo) fits (once checked); shortened(hi) does not.
    let mut lo = min_chars;
    let mut hi = total;
    if !fits(&shortened(text, lo)) {
        return None;
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fits(&shortened(text, mid)) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(shortened(text, lo))
}

/// The first `chars` characters of `text` followed by "…" (trailing whitespace trimmed).
fn shortened(text: &str, chars: usize) -> String {
    let mut out: String = text.chars().take(chars).collect();
    out.truncate(out.trim_end().len());
    out.push(ELLIPSIS);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn message(body: &str, data: &[(&str, &str)]) -> PushMessage {
        PushMessage {
            token: "tok-123".to_owned(),
            title: "Title".to_owned(),
            body: body.to_owned(),
            data: data
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    fn decoded(bytes: &[u8]) -> serde_json::Value {
        serde_json::from_slice(bytes).unwrap()
    }

    #[test]
    fn small_messages_are_unchanged() {
        let body = request_body(&message("hello", &[("kind", "chat")])).unwrap();
        let json = decoded(&body);
        assert_eq!(json["message"]["notification"]["body"], "hello");
        assert_eq!(json["message"]["data"]["kind"], "chat");
    }

    #[test]
    fn long_body_is_cut_on_a_char_boundary_with_an_ellipsis() {
        let long = "ج".repeat(5000);
        let body = request_body(&message(&long, &[("kind", "chat"), ("id", "42")])).unwrap();
        assert!(body.len() <= MAX_REQUEST_BYTES);
        assert!(body.len() > MAX_REQUEST_BYTES - 8, "uses the room it has");
        let json = decoded(&body);
        let text = json["message"]["notification"]["body"].as_str().unwrap();
        assert!(text.ends_with('…'));
        assert!(text.trim_end_matches('…').chars().all(|c| c == 'ج'));
        assert_eq!(json["message"]["data"]["id"], "42", "small data survives");
    }

    #[test]
    fn escaping_is_counted() {
        let quotes = "\"\u{1}".repeat(3000);
        let body = request_body(&message(&quotes, &[])).unwrap();
        assert!(body.len() <= MAX_REQUEST_BYTES);
    }

    #[test]
    fn big_data_is_dropped_but_kind_is_kept() {
        let big = "x".repeat(3950);
        let long = "y".repeat(3000);
        let body = request_body(&message(
            &long,
            &[("kind", "quote"), ("blob", &big), ("id", "7")],
        ))
        .unwrap();
        assert!(body.len() <= MAX_REQUEST_BYTES);
        let json = decoded(&body);
        assert_eq!(json["message"]["data"]["kind"], "quote");
        assert_eq!(
            json["message"]["data"]["id"], "7",
            "only the largest entry went"
        );
        assert!(json["message"]["data"].get("blob").is_none());
        let text = json["message"]["notification"]["body"].as_str().unwrap();
        assert!(text.chars().count() > BODY_FLOOR_CHARS);
    }

    #[test]
    fn hopeless_message_is_refused() {
        let mut m = message("hi", &[("kind", "x")]);
        m.token = "t".repeat(5000);
        assert!(request_body(&m).is_none());
    }
}
