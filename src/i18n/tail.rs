//! The words of `tail`'s text lines, in English and Japanese.

/// The words of `tail`'s text lines (its JSON lines stay English: a schema). The decision words
/// (`ALLOW`, `DENY`, …) and `ALERT` are a fixed vocabulary in every language: scripts grep for them.
#[derive(Debug)]
#[allow(missing_docs)]
pub struct TailTexts {
    pub reason_ip: &'static str,
    pub reason_token: &'static str,
    pub reason_token_missing: &'static str,
    pub cold: &'static str,
    pub incomplete: &'static str,
    pub alert: &'static str,
    pub more_lines: &'static str,
    pub summary: &'static str,
    pub summary_oversized: &'static str,
    pub summary_values_cut: &'static str,
    pub summary_closed_early: &'static str,
    /// An API request answered by a fresh decision (with access logs).
    pub fresh: &'static str,
    /// An API request answered from API Gateway's cache.
    pub cached: &'static str,
    /// A cached decision made for another IP: `{ip}`.
    pub decided_for: &'static str,
    /// The IP of `decided_for` when the access log does not name it.
    pub another_ip: &'static str,
    /// Paired by IP and time while another request fitted too.
    pub ambiguous: &'static str,
    /// The summary's line of API requests (with access logs).
    pub callers_summary: &'static str,
}

/// English.
pub static TAIL_EN: TailTexts = TailTexts {
    reason_ip: "ip",
    reason_token: "token",
    reason_token_missing: "token missing",
    cold: "cold",
    incomplete: "incomplete",
    alert: "{ip} was denied {denials} times within {seconds} s ({first} → {last})",
    more_lines: "… {count} more lines",
    summary: "authlogs: {invocations} invocations (allowed {allowed}, denied {denied}, timeout {timeout}, error {error}, unknown {unknown}; {incomplete} incomplete), {printed} printed; denials: ip mismatch {ip_mismatch}, token mismatch {token_mismatch}, both {both}, token missing {token_missing}; {events} events, {reconnects} reconnects, {sampled_seconds} sampled seconds, {alerts} alerts",
    summary_oversized: "; {count} oversized lines cut at --max-line-bytes (first at {first})",
    summary_values_cut: "; {count} values over their cap kept cut",
    summary_closed_early: "; {count} open requests closed early to hold the memory budget",
    fresh: "fresh",
    cached: "cached",
    decided_for: "decided for {ip}",
    another_ip: "another IP",
    ambiguous: "(ambiguous pair)",
    callers_summary: "authlogs: {requests} API requests (fresh allow {fresh_allow}, fresh deny {fresh_deny}, cached allow {cached_allow}, cached deny {cached_deny}, 401 without a token {identity_missing}, authorizer failed {authorizer_failed}, other {other}); {other_ip} cached decisions made for another IP; {unmatched} invocations without an API request; {ambiguous} ambiguous pairs; {unreadable} unreadable access-log lines",
};

/// Japanese.
pub static TAIL_JA: TailTexts = TailTexts {
    reason_ip: "IP",
    reason_token: "トークン",
    reason_token_missing: "トークンなし",
    cold: "コールド",
    incomplete: "未完了",
    alert: "{ip} が {seconds} 秒以内に {denials} 回拒否されました ({first} → {last})",
    more_lines: "… ほか {count} 行",
    summary: "authlogs: 呼び出し {invocations} 件 (許可 {allowed}、拒否 {denied}、タイムアウト {timeout}、エラー {error}、不明 {unknown}、うち未完了 {incomplete})、表示 {printed} 件; 拒否の理由: IP 不一致 {ip_mismatch}、トークン不一致 {token_mismatch}、両方 {both}、トークンなし {token_missing}; イベント {events} 件、再接続 {reconnects} 回、サンプリング {sampled_seconds} 秒、アラート {alerts} 件",
    summary_oversized: "; --max-line-bytes を超えて切り詰めた行 {count} 件 (最初: {first})",
    summary_values_cut: "; 上限を超えて切り詰めた値 {count} 件",
    summary_closed_early: "; メモリ予算のため早めに閉じたリクエスト {count} 件",
    fresh: "新規判定",
    cached: "キャッシュ",
    decided_for: "{ip} 向けの判定",
    another_ip: "別の IP",
    ambiguous: "(対応付けが曖昧)",
    callers_summary: "authlogs: API リクエスト {requests} 件 (新規許可 {fresh_allow}、新規拒否 {fresh_deny}、キャッシュ許可 {cached_allow}、キャッシュ拒否 {cached_deny}、トークンなし 401 {identity_missing}、オーソライザー失敗 {authorizer_failed}、その他 {other}); 別の IP 向けのキャッシュ判定 {other_ip} 件; API リクエストのない呼び出し {unmatched} 件; 曖昧な対応付け {ambiguous} 件; 読めないアクセスログ行 {unreadable} 件",
};
