//! Work a run does once and every check shares: one TLS handshake per host,
//! port and offer, one walk of each host's `/`. The first caller does the
//! work; later callers wait for it and get the same answer, so a run is
//! polite to the product and its checks judge the same responses.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

/// Answers of one run, by key, each computed at most once.
pub struct Memo<K, V>(Mutex<HashMap<K, Arc<OnceCell<Arc<V>>>>>);

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self(Mutex::new(HashMap::new()))
    }
}

impl<K, V> std::fmt::Debug for Memo<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = self.0.lock().map(|m| m.len()).unwrap_or_default();
        write!(f, "Memo({count})")
    }
}

impl<K: Eq + Hash, V> Memo<K, V> {
    /// The answer for `key`: `work`'s, run now if nobody ran it yet.
    pub async fn get_or_run<F, Fut>(&self, key: K, work: F) -> Arc<V>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = V>,
    {
        let cell = {
            let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
            map.entry(key).or_default().clone()
        };
        cell.get_or_init(|| async { Arc::new(work().await) })
            .await
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_run_per_key() {
        let memo: Arc<Memo<&str, usize>> = Arc::default();
        let runs = Arc::new(AtomicUsize::new(0));
        let calls = (0..8).map(|i| {
            let (memo, runs) = (memo.clone(), runs.clone());
            tokio::spawn(async move {
                let key = if i % 2 == 0 { "a" } else { "b" };
                *memo
                    .get_or_run(key, || async move {
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        runs.fetch_add(1, Ordering::SeqCst)
                    })
                    .await
            })
        });
        let answers: Vec<usize> = futures_util::future::join_all(calls)
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(runs.load(Ordering::SeqCst), 2, "one run per key");
        assert_eq!(answers[0], answers[2]);
        assert_eq!(answers[1], answers[3]);
    }
}
