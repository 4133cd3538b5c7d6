//! A hand-written HTTP/1.1 server on loopback for stream tests: each
//! connection is answered with the next scripted reply, written chunk by
//! chunk (so the test controls where chunks split), then ended cleanly or
//! dropped mid-body. It records every request head it reads.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// How a reply ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// The last chunk is sent: the body is complete.
    Clean,
    /// The connection is closed mid-body.
    Drop,
}

/// One scripted answer.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub chunks: Vec<Vec<u8>>,
    pub end: End,
}

impl Reply {
    /// A 200 answer with `text` cut into chunks at `cuts` (byte offsets).
    pub fn cut(content_type: &'static str, text: &[u8], cuts: &[usize], end: End) -> Reply {
        let mut chunks = Vec::new();
        let mut from = 0;
        for &at in cuts.iter().chain([&text.len()]) {
            let at = at.min(text.len());
            if at > from {
                chunks.push(text[from..at].to_vec());
                from = at;
            }
        }
        Reply {
            status: 200,
            content_type,
            chunks,
            end,
        }
    }

    /// A 200 answer with `text` in chunks of `size` bytes.
    pub fn every(content_type: &'static str, text: &[u8], size: usize, end: End) -> Reply {
        let cuts: Vec<usize> = (size..text.len()).step_by(size).collect();
        Reply::cut(content_type, text, &cuts, end)
    }
}

/// A running server: its base URL and the request heads it has read.
pub struct RawServer {
    pub url: String,
    heads: Arc<Mutex<Vec<String>>>,
}

impl RawServer {
    /// Serves `replies`, one per connection, in order (then closes any
    /// further connection at once).
    pub async fn start(replies: Vec<Reply>) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen = heads.clone();
        tokio::spawn(async move {
            let mut replies = replies.into_iter();
            while let Ok((mut socket, _)) = listener.accept().await {
                let Some(reply) = replies.next() else {
                    return;
                };
                let head = read_head(&mut socket).await;
                seen.lock().expect("heads").push(head);
                let _ = write_reply(&mut socket, &reply).await;
            }
        });
        RawServer { url, heads }
    }

    /// The request heads read so far (lower-cased), in order.
    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().expect("heads").clone()
    }
}

/// Reads up to the blank line ending the request head.
async fn read_head(socket: &mut tokio::net::TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match socket.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).to_ascii_lowercase()
}

/// Writes `reply` with chunked transfer encoding, a pause between chunks
/// so each arrives on its own.
async fn write_reply(socket: &mut tokio::net::TcpStream, reply: &Reply) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {} X\r\ncontent-type: {}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        reply.status, reply.content_type
    );
    socket.write_all(head.as_bytes()).await?;
    socket.flush().await?;
    for chunk in &reply.chunks {
        socket
            .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .await?;
        socket.write_all(chunk).await?;
        socket.write_all(b"\r\n").await?;
        socket.flush().await?;
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    if reply.end == End::Clean {
        socket.write_all(b"0\r\n\r\n").await?;
        socket.flush().await?;
    }
    socket.shutdown().await
}
