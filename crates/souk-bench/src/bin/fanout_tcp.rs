//! The physical anchor of the realtime broadcast benchmark
//! (`bench/realtime.sh`): a raw tokio TCP server that, on `POST /trigger`
//! at its control port, writes one short line to every connected socket —
//! what any fan-out must do at the least, with no protocol on top. `GET
//! /count` answers how many sockets it has accepted.
//! Usage: fanout_tcp <socket-port> <control-port>

use std::sync::Arc;

use axum::{
    Router,
    http::StatusCode,
    routing::{get, post},
};
use tokio::{
    io::AsyncWriteExt,
    net::{TcpListener, tcp::OwnedWriteHalf},
    sync::Mutex,
};

type Clients = Arc<Mutex<Vec<OwnedWriteHalf>>>;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let socket_port: u16 = args.next().and_then(|a| a.parse().ok()).unwrap_or(7001);
    let control_port: u16 = args.next().and_then(|a| a.parse().ok()).unwrap_or(7002);
    let clients: Clients = Arc::new(Mutex::new(Vec::new()));

    let listener = TcpListener::bind(("127.0.0.1", socket_port)).await?;
    let accepted = clients.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let _ = stream.set_nodelay(true);
            let (read, write) = stream.into_split();
            // The read half is kept open (and ignored) for as long as the
            // client stays.
            tokio::spawn(async move {
                let mut read = read;
                let mut sink = tokio::io::sink();
                let _ = tokio::io::copy(&mut read, &mut sink).await;
            });
            accepted.lock().await.push(write);
        }
    });

    let fan = clients.clone();
    let counted = clients.clone();
    let app = Router::new()
        .route(
            "/count",
            get(move || {
                let counted = counted.clone();
                async move { counted.lock().await.len().to_string() }
            }),
        )
        .route(
            "/trigger",
            post(move || {
                let fan = fan.clone();
                async move {
                    let mut all = fan.lock().await;
                    for client in all.iter_mut() {
                        let _ = client.write_all(b"x\n").await;
                    }
                    StatusCode::NO_CONTENT
                }
            }),
        );
    let control = TcpListener::bind(("127.0.0.1", control_port)).await?;
    println!("ready");
    axum::serve(control, app).await
}
