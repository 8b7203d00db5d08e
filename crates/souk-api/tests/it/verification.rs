//! Craftsman verification: documents sealed at rest and opened only for
//! their owner and staff (staff downloads logged), staff decisions both
//! ways, resubmission, deletion after the retention days, key rotation.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use souk_core::{
    accounts::Role,
    sealed::{DataKey, DataKeys},
};
use souk_db::entities::verification_documents;

use crate::support::{Account, BOUNDARY, TestApp, png};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF national id 29001011234567";

/// A multipart body of `(field, file name or none, content type, bytes)` parts.
fn form(parts: &[(&str, Option<&str>, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (field, file, content_type, bytes) in parts {
        let head = match file {
            Some(name) => format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n"
            ),
            None => {
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n")
            }
        };
        body.extend_from_slice(head.as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn submit(app: &TestApp, who: &Account, body: Vec<u8>) -> crate::support::TestResponse {
    app.post_multipart("/api/users/craftsman/verification", body, Some(&who.access))
        .await
}

/// Submits a PNG national ID and a PDF certificate.
async fn submit_two(app: &TestApp, who: &Account) -> Value {
    let picture = png(60, 40);
    let body = form(&[
        ("documents", Some("id.png"), "image/png", &picture),
        ("docType", None, "", b"national_id"),
        ("documents", Some("cert.pdf"), "application/pdf", PDF),
        ("docType", None, "", b"certificate"),
    ]);
    let sent = submit(app, who, body).await;
    sent.assert_status(201);
    sent.body
}

fn urls(mine: &Value) -> Vec<String> {
    mine["documents"]
        .as_array()
        .map(|docs| {
            docs.iter()
                .filter_map(|d| d["url"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

async fn pending_id(app: &TestApp, staff: &Account) -> String {
    let queue = app
        .get(
            "/api/admin/verifications?status=pending",
            Some(&staff.access),
        )
        .await;
    queue.assert_status(200);
    queue.body["data"][0]["id"]
        .as_str()
        .expect("a pending verification")
        .to_owned()
}

#[tokio::test]
async fn documents_are_sealed_at_rest_and_open_only_for_their_owner_and_staff() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let other = app.register("craftsman").await;
    let client = app.register("client").await;
    let admin = app.staff(Role::Admin).await;
    let mine = submit_two(&app, &craftsman).await;
    assert_eq!(mine["status"], "pending");
    assert_eq!(mine["documents"][0]["docType"], "national_id");
    assert_eq!(mine["documents"][1]["docType"], "certificate");
    assert_eq!(mine["documents"][1]["contentType"], "application/pdf");
    let profile = app.get(&format!("/api/users/{}", craftsman.id), None).await;
    assert_eq!(profile.body["verificationStatus"], "pending");

    // On disk: not the plaintext.
    let rows = verification_documents::Entity::find()
        .filter(
            verification_documents::Column::UserId
                .eq(craftsman.id.parse::<uuid::Uuid>().expect("uuid")),
        )
        .all(app.core.db.conn())
        .await
        .expect("rows");
    assert_eq!(rows.len(), 2);
    for row in &rows {
        let raw = app
            .core
            .storage
            .get(&row.file_key)
            .await
            .expect("storage")
            .expect("a stored file");
        assert!(!raw.bytes.windows(5).any(|w| w == b"%PDF-"));
        assert!(!raw.bytes.windows(4).any(|w| w == b"\x89PNG"));
        assert!(!raw.bytes.windows(14).any(|w| w == b"29001011234567"));
        assert_eq!(row.key_id, app.core.settings.data_keys.current.id());
    }
    // The public file route does not serve them.
    let key = rows.first().map(|r| r.file_key.clone()).unwrap_or_default();
    app.get(&format!("/uploads/{key}"), None)
        .await
        .assert_status(404);

    let pdf_url = urls(&mine).get(1).cloned().expect("two documents");
    let opened = app.get(&pdf_url, Some(&craftsman.access)).await;
    opened.assert_status(200);
    assert_eq!(opened.bytes.as_slice(), PDF);
    for outsider in [&other, &client] {
        app.get(&pdf_url, Some(&outsider.access))
            .await
            .assert_error(404, "not_found");
    }
    app.get(&pdf_url, None).await.assert_status(401);
    let staff_copy = app.get(&pdf_url, Some(&admin.access)).await;
    staff_copy.assert_status(200);
    assert_eq!(staff_copy.bytes.as_slice(), PDF);
    let log = app
        .get(
            "/api/admin/activity-log?action=verification.document_download",
            Some(&admin.access),
        )
        .await;
    assert!(
        log.body
            .to_string()
            .contains("verification.document_download"),
        "{}",
        log.body
    );
}

#[tokio::test]
async fn staff_decide_both_ways_and_a_rejected_craftsman_may_submit_again() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let client = app.register("client").await;
    let moderator = app.staff(Role::Moderator).await;
    submit_two(&app, &craftsman).await;
    submit(
        &app,
        &craftsman,
        form(&[
            ("documents", Some("a.pdf"), "application/pdf", PDF),
            ("docType", None, "", b"other"),
        ]),
    )
    .await
    .assert_error(409, "verification_pending");
    let id = pending_id(&app, &moderator).await;
    let reject = format!("/api/admin/verifications/{id}/reject");
    app.post(&reject, json!({}), Some(&moderator.access))
        .await
        .assert_error(400, "validation_failed");
    app.post(
        &reject,
        json!({"reason": "blurry"}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(403, "staff_only");
    app.post(
        &reject,
        json!({"reason": "The ID photo is blurry"}),
        Some(&moderator.access),
    )
    .await
    .assert_status(200);
    let mine = app
        .get("/api/users/craftsman/verification", Some(&craftsman.access))
        .await;
    assert_eq!(mine.body["status"], "rejected");
    assert_eq!(mine.body["reason"], "The ID photo is blurry");
    let notices = app.get("/api/notifications", Some(&craftsman.access)).await;
    assert!(notices.body.to_string().contains("verification_rejected"));
    app.post(
        &format!("/api/admin/verifications/{id}/approve"),
        json!({}),
        Some(&moderator.access),
    )
    .await
    .assert_error(409, "invalid_transition");

    let again = submit_two(&app, &craftsman).await;
    assert_eq!(again["status"], "pending");
    assert_eq!(again["history"].as_array().map(Vec::len), Some(2));
    let id = pending_id(&app, &moderator).await;
    let approved = app
        .post(
            &format!("/api/admin/verifications/{id}/approve"),
            json!({}),
            Some(&moderator.access),
        )
        .await;
    approved.assert_status(200);
    assert_eq!(approved.body["status"], "verified");
    let profile = app.get(&format!("/api/users/{}", craftsman.id), None).await;
    assert_eq!(profile.body["verificationStatus"], "verified");
    let notices = app.get("/api/notifications", Some(&craftsman.access)).await;
    assert!(notices.body.to_string().contains("verification_approved"));
    submit(
        &app,
        &craftsman,
        form(&[
            ("documents", Some("a.pdf"), "application/pdf", PDF),
            ("docType", None, "", b"other"),
        ]),
    )
    .await
    .assert_error(409, "already_verified");
    submit(
        &app,
        &client,
        form(&[
            ("documents", Some("a.pdf"), "application/pdf", PDF),
            ("docType", None, "", b"other"),
        ]),
    )
    .await
    .assert_error(403, "craftsmen_only");
    app.get("/api/admin/verifications", Some(&client.access))
        .await
        .assert_error(403, "staff_only");
}

#[tokio::test]
async fn bad_documents_are_refused_with_nothing_stored() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    for (body, status, code) in [
        (
            form(&[
                ("documents", Some("a.txt"), "text/plain", b"hello there"),
                ("docType", None, "", b"other"),
            ]),
            400,
            "unsupported_file",
        ),
        (
            form(&[
                ("documents", Some("a.png"), "image/png", PDF),
                ("docType", None, "", b"other"),
            ]),
            400,
            "unsupported_file",
        ),
        (
            form(&[
                ("documents", Some("a.pdf"), "application/pdf", PDF),
                ("docType", None, "", b"passport"),
            ]),
            400,
            "validation_failed",
        ),
        (
            form(&[("docType", None, "", b"other")]),
            400,
            "missing_file",
        ),
    ] {
        submit(&app, &craftsman, body)
            .await
            .assert_error(status, code);
    }
    let mine = app
        .get("/api/users/craftsman/verification", Some(&craftsman.access))
        .await;
    assert_eq!(mine.body["status"], "unverified");
    assert_eq!(mine.body["history"], json!([]));
    let rows = verification_documents::Entity::find()
        .all(app.core.db.conn())
        .await
        .expect("rows");
    assert!(rows.is_empty());
}

#[tokio::test]
async fn decided_documents_are_deleted_after_the_retention_days() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let admin = app.staff(Role::Admin).await;
    submit_two(&app, &craftsman).await;
    let key = verification_documents::Entity::find()
        .one(app.core.db.conn())
        .await
        .expect("rows")
        .expect("a document")
        .file_key;
    let id = pending_id(&app, &admin).await;
    app.post(
        &format!("/api/admin/verifications/{id}/approve"),
        json!({}),
        Some(&admin.access),
    )
    .await
    .assert_status(200);
    app.core.clock.advance(chrono::Duration::days(31));
    let mut purged = Value::Null;
    for _ in 0..100 {
        app.core.outbox_wakeup.notify_one();
        let mine = app
            .get("/api/users/craftsman/verification", Some(&craftsman.access))
            .await;
        if mine.body["documents"] == json!([])
            && mine.body["history"][0]["documentsPurgedAt"].is_string()
        {
            purged = mine.body;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(purged["status"], "verified", "the decision stays: {purged}");
    assert!(
        purged["history"][0]["documentsPurgedAt"].is_string(),
        "{purged}"
    );
    assert!(app.core.storage.get(&key).await.expect("storage").is_none());
}

#[tokio::test]
async fn rotation_seals_every_document_again_under_the_new_key() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    submit_two(&app, &craftsman).await;
    let old = app.core.settings.data_keys.current.clone();
    let keys = DataKeys {
        current: DataKey::generate(),
        old: vec![old],
    };
    let moved = souk_core::verification::keys::rotate_with(&app.core, &keys)
        .await
        .expect("rotation");
    assert_eq!(moved, 2);
    let rows = verification_documents::Entity::find()
        .all(app.core.db.conn())
        .await
        .expect("rows");
    for row in rows {
        assert_eq!(row.key_id, keys.current.id());
        let raw = app
            .core
            .storage
            .get(&row.file_key)
            .await
            .expect("storage")
            .expect("file");
        assert_eq!(
            DataKeys::key_id_of(&raw.bytes).as_deref(),
            Some(keys.current.id())
        );
        let plain = keys.open(&raw.bytes).expect("opens under the new key");
        assert!(!plain.is_empty());
        // The old key alone no longer opens it.
        assert!(app.core.settings.data_keys.open(&raw.bytes).is_err());
    }
    // Again: nothing left to move.
    assert_eq!(
        souk_core::verification::keys::rotate_with(&app.core, &keys)
            .await
            .expect("rotation"),
        0
    );
}
