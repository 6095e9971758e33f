//! Every human-readable text of the outputs, in English and Japanese: one table per language and
//! output (the report's labels, the findings, `tail`'s lines), so a missing translation is a compile
//! error. JSON keys and CSV headers (a schema) stay English.
//!
//! Texts with values are templates with named placeholders (`{count}`), filled by [`fill`]; a test
//! checks that both languages use the same placeholders. The audit's texts are in `audit.rs`.

mod audit;

pub use audit::{AuditTexts, AUDIT_EN, AUDIT_JA};

/// The language of the human-readable outputs (`--lang`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Japanese (日本語).
    Ja,
}

impl Lang {
    /// The language the environment asks for: `LC_ALL`, else `LC_MESSAGES`, else `LANG`; `ja*` is
    /// Japanese, anything else English.
    pub fn from_env() -> Lang {
        let var = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
            .unwrap_or_default();
        Lang::from_locale(&var)
    }

    /// `ja_JP.UTF-8` → Japanese; `C`, `en_US.UTF-8`, `` → English.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("ja") {
            Lang::Ja
        } else {
            Lang::En
        }
    }

    /// The `lang` attribute of an HTML page.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// This language's labels.
    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::En => &EN,
            Lang::Ja => &JA,
        }
    }

    /// This language's finding messages and advice.
    pub fn findings(self) -> &'static FindingTexts {
        match self {
            Lang::En => &FINDINGS_EN,
            Lang::Ja => &FINDINGS_JA,
        }
    }

    /// This language's texts of `authlogs audit` (and of `report --audit`'s section).
    pub fn audit(self) -> &'static AuditTexts {
        match self {
            Lang::En => &AUDIT_EN,
            Lang::Ja => &AUDIT_JA,
        }
    }

    /// This language's words of `tail`'s lines.
    pub fn tail(self) -> &'static TailTexts {
        match self {
            Lang::En => &TAIL_EN,
            Lang::Ja => &TAIL_JA,
        }
    }
}

/// `template` with each `{name}` replaced by the value given for `name`. The values are inserted
/// as they are, never read again for placeholders (log text may hold braces); a placeholder
/// without a value stays as written.
pub fn fill(template: &str, values: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after
            .find('}')
            .and_then(|close| Some((close, values.iter().find(|(name, _)| *name == &after[..close])?)));
        match value {
            Some((close, (_, value))) => {
                use std::fmt::Write as _;
                let _ = write!(out, "{value}");
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The labels of the human-readable outputs; each field is the label its name says.
#[derive(Debug)]
#[allow(missing_docs)]
pub struct Labels {
    pub report_title: &'static str,
    pub window: &'static str,
    pub events: &'static str,
    pub invocations: &'static str,
    /// Invocations that ran a request id again (shown only when some did).
    pub retried_ids: &'static str,
    pub status: &'static str,
    pub complete: &'static str,
    pub partial: &'static str,
    pub decisions: &'static str,
    pub allowed: &'static str,
    pub denied: &'static str,
    pub timeout: &'static str,
    pub error: &'static str,
    pub unknown: &'static str,
    pub incomplete: &'static str,
    pub share: &'static str,
    pub count: &'static str,
    pub denials: &'static str,
    pub ip_mismatch: &'static str,
    pub token_mismatch: &'static str,
    pub both: &'static str,
    pub token_missing: &'static str,
    pub top_denied_ips: &'static str,
    pub top_denied_ips_lower_bound: &'static str,
    pub source_ip: &'static str,
    pub timeline: &'static str,
    pub other: &'static str,
    pub duration: &'static str,
    pub duration_distribution: &'static str,
    pub min: &'static str,
    pub avg: &'static str,
    pub max: &'static str,
    pub billed: &'static str,
    pub memory: &'static str,
    pub memory_size: &'static str,
    pub max_memory_used: &'static str,
    pub avg_memory_used: &'static str,
    pub utilization: &'static str,
    pub cold_starts: &'static str,
    pub of_invocations: &'static str,
    pub init_duration: &'static str,
    pub cost: &'static str,
    pub gb_seconds: &'static str,
    pub compute: &'static str,
    pub requests: &'static str,
    pub total: &'static str,
    pub findings: &'static str,
    pub no_findings: &'static str,
    pub advice: &'static str,
    pub severity_high: &'static str,
    pub severity_medium: &'static str,
    pub severity_low: &'static str,
    pub severity_info: &'static str,
    pub first_last: &'static str,
    pub source: &'static str,
    pub files: &'static str,
    pub cloudwatch: &'static str,
    pub engine: &'static str,
    pub groups: &'static str,
    pub api_calls: &'static str,
    pub throttled: &'static str,
    pub retries: &'static str,
    pub scanned: &'static str,
    pub approximate: &'static str,
    pub input: &'static str,
    pub unrecognized_lines: &'static str,
    pub invalid_utf8_lines: &'static str,
    pub oversized_lines: &'static str,
    pub filtered_events: &'static str,
    pub late_lines: &'static str,
    pub values_cut: &'static str,
    pub requests_closed_early: &'static str,
    pub repeated_starts: &'static str,
    pub input_errors: &'static str,
    pub no_invocations: &'static str,
    pub chart_unavailable: &'static str,
    pub generated_by: &'static str,
    // The table (`--format table`) and the share rows it and the HTML page show.
    pub input_errors_one: &'static str,
    pub input_errors_other: &'static str,
    pub more_in_json: &'static str,
    pub engine_scan: &'static str,
    pub incomplete_row: &'static str,
    pub incomplete_note: &'static str,
    pub reason_ip_mismatch: &'static str,
    pub reason_token_mismatch: &'static str,
    pub both_note: &'static str,
    pub token_missing_note: &'static str,
    pub denial_reasons_title: &'static str,
    pub ip: &'static str,
    pub top_denied_ips_title: &'static str,
    pub lower_bound: &'static str,
    pub duration_title: &'static str,
    pub billed_value: &'static str,
    pub memory_row: &'static str,
    pub memory_value: &'static str,
    pub cold_starts_title: &'static str,
    pub cold_starts_value: &'static str,
    pub snapstart_restores: &'static str,
    pub init_duration_row: &'static str,
    pub init_duration_value: &'static str,
    /// The row of failed inits (shown only when some failed).
    pub init_failures_row: &'static str,
    pub init_failures_value: &'static str,
    pub cost_title: &'static str,
    pub prices: &'static str,
    pub timeline_title: &'static str,
    pub start: &'static str,
    pub days: &'static str,
    pub hours: &'static str,
    pub minutes: &'static str,
    pub seconds: &'static str,
    pub severity: &'static str,
    pub kind: &'static str,
    pub message: &'static str,
    pub oversized_lines_cut: &'static str,
    pub filtered_events_row: &'static str,
    pub input_title: &'static str,
    // The callers section (API Gateway access logs joined with the invocations).
    pub callers_title: &'static str,
    pub callers_invoked_note: &'static str,
    pub by_status: &'static str,
    pub http_status: &'static str,
    pub no_status: &'static str,
    pub fresh_allow: &'static str,
    pub fresh_deny: &'static str,
    pub fresh_unknown: &'static str,
    pub cached_allow: &'static str,
    pub cached_deny: &'static str,
    pub identity_missing: &'static str,
    pub authorizer_failed: &'static str,
    pub fresh_allow_note: &'static str,
    pub fresh_deny_note: &'static str,
    pub fresh_unknown_note: &'static str,
    pub cached_allow_note: &'static str,
    pub cached_deny_note: &'static str,
    pub identity_missing_note: &'static str,
    pub authorizer_failed_note: &'static str,
    pub authorizer_failed_top: &'static str,
    pub other_note: &'static str,
    pub cached_other_ip: &'static str,
    pub cached_other_ip_value: &'static str,
    /// How many of the cached decisions for another IP let callers in, and how many refused them.
    pub cached_other_ip_split: &'static str,
    pub cached_other_ip_unknown: &'static str,
    pub basis_authorizer_ip: &'static str,
    pub basis_authorizer_request_id: &'static str,
    pub basis_allowed_ip: &'static str,
    pub basis_none: &'static str,
    pub from_ips: &'static str,
    pub unmatched_invocations: &'static str,
    pub join: &'static str,
    pub join_request_id: &'static str,
    pub join_ip_time: &'static str,
    pub join_both: &'static str,
    pub join_none: &'static str,
    pub join_value: &'static str,
    pub join_without_ip_or_time: &'static str,
    pub by_request_id: &'static str,
    pub by_ip_time: &'static str,
    pub join_window: &'static str,
    pub ambiguous: &'static str,
    pub without_ip_or_time: &'static str,
    pub unreadable_records: &'static str,
    pub unreadable_records_value: &'static str,
    /// Access-log records outside the report's window, skipped.
    pub filtered_records: &'static str,
    /// Access-log records whose request id was seen before, counted once.
    pub duplicate_records: &'static str,
    pub fresh_decisions: &'static str,
    pub cached_decisions: &'static str,
    pub authorizer_errors: &'static str,
    pub milliseconds: &'static str,
}

/// English.
pub static EN: Labels = Labels {
    report_title: "authlogs report",
    window: "window",
    events: "events",
    invocations: "invocations",
    retried_ids: "  of them retries (same request id)",
    status: "status",
    complete: "complete",
    partial: "PARTIAL",
    decisions: "Decisions",
    allowed: "allowed",
    denied: "denied",
    timeout: "timeout",
    error: "error",
    unknown: "unknown",
    incomplete: "incomplete (no REPORT)",
    share: "share",
    count: "count",
    denials: "Why requests were denied",
    ip_mismatch: "IP mismatch",
    token_mismatch: "token mismatch",
    both: "both",
    token_missing: "token missing",
    top_denied_ips: "Top denied source IPs",
    top_denied_ips_lower_bound: "more IPs were denied than authlogs keeps: the counts are a lower bound",
    source_ip: "source IP",
    timeline: "Allowed and denied over time",
    other: "other",
    duration: "Duration (ms)",
    duration_distribution: "Duration distribution (ms), percentiles marked",
    min: "min",
    avg: "avg",
    max: "max",
    billed: "billed",
    memory: "Memory (MB)",
    memory_size: "memory size",
    max_memory_used: "max used",
    avg_memory_used: "avg used",
    utilization: "utilization",
    cold_starts: "cold starts",
    of_invocations: "of invocations",
    init_duration: "init duration (ms)",
    cost: "Lambda cost of the authorizer",
    gb_seconds: "GB-seconds",
    compute: "compute",
    requests: "requests",
    total: "total",
    findings: "Findings",
    no_findings: "Nothing to act on.",
    advice: "What to do",
    severity_high: "high",
    severity_medium: "medium",
    severity_low: "low",
    severity_info: "info",
    first_last: "first – last",
    source: "Source",
    files: "files",
    cloudwatch: "CloudWatch Logs",
    engine: "engine",
    groups: "log groups",
    api_calls: "API calls",
    throttled: "throttled",
    retries: "retries",
    scanned: "scanned",
    approximate: "approximate",
    input: "input",
    unrecognized_lines: "unrecognized lines",
    invalid_utf8_lines: "invalid UTF-8 lines",
    oversized_lines: "oversized lines",
    filtered_events: "events outside the window",
    late_lines: "late lines",
    values_cut: "values cut",
    requests_closed_early: "requests closed early",
    repeated_starts: "repeated START lines",
    input_errors: "input errors",
    no_invocations: "no invocations found",
    chart_unavailable: "(chart unavailable)",
    generated_by: "generated by",
    input_errors_one: "{count} input error",
    input_errors_other: "{count} input errors",
    more_in_json: "… {count} more (all are in --format json)",
    engine_scan: "Logs Insights: {queries} queries scanned {mb} MB (about ${usd}); {approximate} approximate parts (--format json: source.approximate)",
    incomplete_row: "incomplete",
    incomplete_note: "no REPORT line; also counted above",
    reason_ip_mismatch: "ip mismatch",
    reason_token_mismatch: "token mismatch",
    both_note: "IP and token",
    token_missing_note: "no token sent (part of token mismatch)",
    denial_reasons_title: "Denial reasons (of {denied} denied)",
    ip: "ip",
    top_denied_ips_title: "Top denied IPs",
    lower_bound: "(lower bound)",
    duration_title: "Duration (ms, {count} REPORT lines)",
    billed_value: "{total} ms total, {avg} ms avg",
    memory_row: "memory",
    memory_value: "{size} MB size, {max_used} MB max used ({utilization}), {avg_used} MB avg used",
    cold_starts_title: "Cold starts",
    cold_starts_value: "{count} ({share} of invocations)",
    snapstart_restores: "snapstart restores",
    init_duration_row: "init duration",
    init_duration_value: "{avg} ms avg, {max} ms max",
    init_failures_row: "init failures",
    init_failures_value: "{errors} errors, {timeouts} timeouts",
    cost_title: "Cost (Lambda, the authorizer itself)",
    prices: "at ${per_gb_second} per GB-second and ${per_million} per million requests",
    timeline_title: "Timeline ({span} buckets, UTC)",
    start: "start",
    days: "{n} d",
    hours: "{n} h",
    minutes: "{n} min",
    seconds: "{n} s",
    severity: "severity",
    kind: "kind",
    message: "message",
    oversized_lines_cut: "oversized lines (cut)",
    filtered_events_row: "filtered events",
    input_title: "Input",
    callers_title: "What callers saw (API Gateway access logs)",
    callers_invoked_note: "the authorizer ran for {invoked} of them",
    by_status: "by status",
    http_status: "HTTP status",
    no_status: "no status",
    fresh_allow: "fresh allow",
    fresh_deny: "fresh deny",
    fresh_unknown: "fresh, decision unknown",
    cached_allow: "cached allow",
    cached_deny: "cached deny",
    identity_missing: "401 identity missing",
    authorizer_failed: "authorizer failed (500)",
    fresh_allow_note: "the authorizer ran and allowed",
    fresh_deny_note: "the authorizer ran and denied: 403",
    fresh_unknown_note: "the authorizer ran; its lines do not tell the decision",
    cached_allow_note: "no invocation: API Gateway reused a cached allow",
    cached_deny_note: "no invocation: a cached deny, 403",
    identity_missing_note: "no Authorization header: refused before the authorizer ran",
    authorizer_failed_note: "the authorizer timed out, failed or answered wrongly",
    authorizer_failed_top: "most frequent error: {error}",
    other_note: "404 unknown route, 429, a 5xx of the backend, no status …",
    cached_other_ip: "cached decision for another IP",
    cached_other_ip_value: "{count} ({allowed} let in, {denied} refused): {basis}",
    cached_other_ip_split: "{allowed} let in, {denied} refused",
    cached_other_ip_unknown: "cannot be told: {basis}",
    basis_authorizer_ip: "the cached decision's $context.authorizer.ip is not the caller's IP, so the IP check did not run for it",
    basis_authorizer_request_id: "the request the cached decision was made for came from another IP, so the IP check did not run for it",
    basis_allowed_ip: "cached allows for IPs the authorizer never allows (a lower bound: cached denies cannot be told)",
    basis_none: "add $context.authorizer.ip to the access-log format (docs/access-logs.md)",
    from_ips: "from {ips}",
    unmatched_invocations: "invocations with no API request",
    join: "join",
    join_request_id: "by API request id (exact)",
    join_ip_time: "by source IP and time",
    join_both: "by API request id, the rest by source IP and time",
    join_none: "no request matched an invocation",
    join_value: "{method}: {by_request_id} by request id, {by_ip_time} by IP and time within {window}, {ambiguous} ambiguous",
    join_without_ip_or_time: ", {count} without IP or time",
    by_request_id: "by request id",
    by_ip_time: "by IP and time",
    join_window: "window",
    ambiguous: "ambiguous",
    without_ip_or_time: "without IP or time",
    unreadable_records: "unreadable access-log lines",
    unreadable_records_value: "{count} (first: {first})",
    filtered_records: "access-log records outside the window (skipped)",
    duplicate_records: "access-log records repeating a request id (counted once)",
    fresh_decisions: "fresh decisions",
    cached_decisions: "cached decisions",
    authorizer_errors: "Authorizer errors",
    milliseconds: "{n} ms",
};

/// Japanese.
pub static JA: Labels = Labels {
    report_title: "authlogs レポート",
    window: "期間",
    events: "イベント",
    invocations: "呼び出し",
    retried_ids: "  うち再試行 (同じリクエスト ID)",
    status: "状態",
    complete: "完全",
    partial: "不完全",
    decisions: "判定",
    allowed: "許可",
    denied: "拒否",
    timeout: "タイムアウト",
    error: "エラー",
    unknown: "不明",
    incomplete: "未完了 (REPORT なし)",
    share: "割合",
    count: "件数",
    denials: "拒否の理由",
    ip_mismatch: "IP 不一致",
    token_mismatch: "トークン不一致",
    both: "両方",
    token_missing: "トークンなし",
    top_denied_ips: "拒否の多い送信元 IP",
    top_denied_ips_lower_bound: "保持できる数を超える IP が拒否されました: 件数は下限です",
    source_ip: "送信元 IP",
    timeline: "許可と拒否の推移",
    other: "その他",
    duration: "実行時間 (ms)",
    duration_distribution: "実行時間の分布 (ms)、パーセンタイル付き",
    min: "最小",
    avg: "平均",
    max: "最大",
    billed: "課金時間",
    memory: "メモリ (MB)",
    memory_size: "メモリサイズ",
    max_memory_used: "最大使用量",
    avg_memory_used: "平均使用量",
    utilization: "使用率",
    cold_starts: "コールドスタート",
    of_invocations: "(呼び出しに対する割合)",
    init_duration: "初期化時間 (ms)",
    cost: "オーソライザーの Lambda コスト",
    gb_seconds: "GB 秒",
    compute: "コンピューティング",
    requests: "リクエスト",
    total: "合計",
    findings: "検出事項",
    no_findings: "対応が必要な事項はありません。",
    advice: "対処",
    severity_high: "高",
    severity_medium: "中",
    severity_low: "低",
    severity_info: "情報",
    first_last: "最初 – 最後",
    source: "データ元",
    files: "ファイル",
    cloudwatch: "CloudWatch Logs",
    engine: "エンジン",
    groups: "ロググループ",
    api_calls: "API 呼び出し",
    throttled: "スロットリング",
    retries: "再試行",
    scanned: "スキャン",
    approximate: "近似値",
    input: "入力",
    unrecognized_lines: "認識できない行",
    invalid_utf8_lines: "不正な UTF-8 の行",
    oversized_lines: "長すぎる行",
    filtered_events: "期間外のイベント",
    late_lines: "遅れて届いた行",
    values_cut: "切り詰めた値",
    requests_closed_early: "早めに閉じたリクエスト",
    repeated_starts: "重複した START 行",
    input_errors: "入力エラー",
    no_invocations: "呼び出しが見つかりません",
    chart_unavailable: "(グラフを表示できません)",
    generated_by: "作成",
    input_errors_one: "入力エラー {count} 件",
    input_errors_other: "入力エラー {count} 件",
    more_in_json: "… ほか {count} 件 (すべて --format json に出力されます)",
    engine_scan: "Logs Insights: {queries} 件のクエリで {mb} MB をスキャン (約 ${usd})、近似値の部分 {approximate} 件 (--format json の source.approximate)",
    incomplete_row: "未完了",
    incomplete_note: "REPORT 行なし (上の件数にも含まれます)",
    reason_ip_mismatch: "IP 不一致",
    reason_token_mismatch: "トークン不一致",
    both_note: "IP とトークンの両方",
    token_missing_note: "トークンの送信なし (トークン不一致に含まれます)",
    denial_reasons_title: "拒否の理由 (拒否 {denied} 件の内訳)",
    ip: "IP",
    top_denied_ips_title: "拒否の多い送信元 IP",
    lower_bound: "(下限値)",
    duration_title: "実行時間 (ms、REPORT 行 {count} 件)",
    billed_value: "合計 {total} ms、平均 {avg} ms",
    memory_row: "メモリ",
    memory_value: "サイズ {size} MB、最大使用量 {max_used} MB ({utilization})、平均使用量 {avg_used} MB",
    cold_starts_title: "コールドスタート",
    cold_starts_value: "{count} (呼び出しの {share})",
    snapstart_restores: "SnapStart の復元",
    init_duration_row: "初期化時間",
    init_duration_value: "平均 {avg} ms、最大 {max} ms",
    init_failures_row: "初期化の失敗",
    init_failures_value: "エラー {errors} 件、タイムアウト {timeouts} 件",
    cost_title: "コスト (Lambda、オーソライザー自体)",
    prices: "単価: GB 秒あたり ${per_gb_second}、100 万リクエストあたり ${per_million}",
    timeline_title: "推移 ({span}ごと、UTC)",
    start: "開始",
    days: "{n} 日",
    hours: "{n} 時間",
    minutes: "{n} 分",
    seconds: "{n} 秒",
    severity: "重要度",
    kind: "種類",
    message: "内容",
    oversized_lines_cut: "長すぎる行 (切り詰め)",
    filtered_events_row: "期間外のイベント",
    input_title: "入力",
    callers_title: "呼び出し元が受け取った応答 (API Gateway アクセスログ)",
    callers_invoked_note: "うちオーソライザー実行 {invoked} 件",
    by_status: "ステータス別",
    http_status: "HTTP ステータス",
    no_status: "ステータスなし",
    fresh_allow: "新規判定で許可",
    fresh_deny: "新規判定で拒否",
    fresh_unknown: "新規判定 (結果不明)",
    cached_allow: "キャッシュで許可",
    cached_deny: "キャッシュで拒否",
    identity_missing: "401 認証情報なし",
    authorizer_failed: "オーソライザー失敗 (500)",
    fresh_allow_note: "オーソライザーが実行して許可",
    fresh_deny_note: "オーソライザーが実行して拒否 (403)",
    fresh_unknown_note: "オーソライザーは実行されたが、ログから判定が不明",
    cached_allow_note: "キャッシュ済みの許可を再利用",
    cached_deny_note: "キャッシュ済みの拒否を再利用 (403)",
    identity_missing_note: "Authorization ヘッダーがなく、オーソライザーの実行前に拒否",
    authorizer_failed_note: "オーソライザーのタイムアウト、エラー、または不正な応答",
    authorizer_failed_top: "最も多いエラー: {error}",
    other_note: "未定義ルートの 404、429、5xx など",
    cached_other_ip: "別の IP 向けのキャッシュ判定",
    cached_other_ip_value: "{count} 件 (許可 {allowed}、拒否 {denied}): {basis}",
    cached_other_ip_split: "許可 {allowed}、拒否 {denied}",
    cached_other_ip_unknown: "判別できません: {basis}",
    basis_authorizer_ip: "キャッシュされた判定の $context.authorizer.ip が呼び出し元の IP と異なり、IP チェックが行われていません",
    basis_authorizer_request_id: "キャッシュされた判定の元のリクエストが別の IP から送られており、IP チェックが行われていません",
    basis_allowed_ip: "オーソライザーが許可しない IP へのキャッシュされた許可 (下限値: キャッシュされた拒否は判別できません)",
    basis_none: "アクセスログの形式に $context.authorizer.ip を追加してください (docs/access-logs.md)",
    from_ips: "送信元: {ips}",
    unmatched_invocations: "API リクエストのない呼び出し",
    join: "突き合わせ",
    join_request_id: "API リクエスト ID で照合 (正確)",
    join_ip_time: "送信元 IP と時刻で照合",
    join_both: "API リクエスト ID で照合し、残りを送信元 IP と時刻で照合",
    join_none: "呼び出しと対応づいたリクエストはありません",
    join_value: "{method}: リクエスト ID で {by_request_id}、IP と時刻 ({window}以内) で {by_ip_time}、あいまい {ambiguous}",
    join_without_ip_or_time: "、IP または時刻のないもの {count}",
    by_request_id: "リクエスト ID で照合",
    by_ip_time: "IP と時刻で照合",
    join_window: "時間幅",
    ambiguous: "あいまい",
    without_ip_or_time: "IP または時刻なし",
    unreadable_records: "読み取れないアクセスログの行",
    unreadable_records_value: "{count} (最初: {first})",
    filtered_records: "期間外のアクセスログレコード (除外)",
    duplicate_records: "リクエスト ID が重複したアクセスログレコード (1 件として集計)",
    fresh_decisions: "新規判定",
    cached_decisions: "キャッシュされた判定",
    authorizer_errors: "オーソライザーのエラー",
    milliseconds: "{n} ミリ秒",
};

/// The findings' messages and advice (`report`'s findings, in every format, and `tail`'s summary):
/// `<kind>_message` and `<kind>_advice` for each finding kind, and the pieces of their lists.
#[derive(Debug)]
#[allow(missing_docs)]
pub struct FindingTexts {
    pub secret_logged_message: &'static str,
    pub secret_logged_advice: &'static str,
    pub token_leak_message: &'static str,
    pub token_leak_advice: &'static str,
    pub ip_times: &'static str,
    pub invalid_allowed_ip_message: &'static str,
    pub invalid_allowed_ip_advice: &'static str,
    pub token_guessing_message: &'static str,
    pub token_guessing_advice: &'static str,
    pub token_guessing_ip: &'static str,
    pub timeouts_message: &'static str,
    pub timeouts_advice: &'static str,
    pub init_failures_message: &'static str,
    pub init_failures_advice: &'static str,
    pub errors_message: &'static str,
    pub errors_advice: &'static str,
    pub token_logged_message: &'static str,
    pub token_logged_advice: &'static str,
    pub memory_pressure_message: &'static str,
    pub memory_pressure_advice: &'static str,
    pub memory_overprovisioned_message: &'static str,
    pub memory_overprovisioned_advice: &'static str,
    pub allowed_ip_changed_message: &'static str,
    pub allowed_ip_changed_advice: &'static str,
    pub allowed_token_changed_message: &'static str,
    pub allowed_token_changed_advice: &'static str,
    pub slow_authorizer_message: &'static str,
    pub slow_authorizer_advice: &'static str,
    pub incomplete_invocations_message: &'static str,
    pub incomplete_invocations_advice: &'static str,
    pub invalid_utf8_message: &'static str,
    pub invalid_utf8_advice: &'static str,
    pub oversized_lines_message: &'static str,
    pub oversized_lines_advice: &'static str,
    pub oversized_lines_unknown_input: &'static str,
    pub late_lines_message: &'static str,
    pub late_lines_advice: &'static str,
    pub values_cut_message: &'static str,
    pub values_cut_advice: &'static str,
    pub requests_closed_early_message: &'static str,
    pub requests_closed_early_advice: &'static str,
    pub unrecognized_lines_message: &'static str,
    pub unrecognized_lines_advice: &'static str,
    pub cached_other_ip_message: &'static str,
    pub cached_other_ip_advice: &'static str,
    pub identity_missing_message: &'static str,
    pub identity_missing_advice: &'static str,
    pub authorizer_failed_message: &'static str,
    pub authorizer_failed_advice: &'static str,
    /// The cause of an authorizer failure when no `authorizer.error` was logged.
    pub authorizer_failed_invocation: &'static str,
    pub unmatched_invocations_message: &'static str,
    pub unmatched_invocations_advice: &'static str,
    pub access_no_overlap_message: &'static str,
    pub access_no_overlap_advice: &'static str,
    /// Between the items of a list.
    pub list_separator: &'static str,
    /// After the first few items of a list.
    pub and_more: &'static str,
}

/// English.
pub static FINDINGS_EN: FindingTexts = FindingTexts {
    cached_other_ip_message: "{count} API requests were answered by a cached decision made for another source IP, so the authorizer's IP check did not run for them: {allowed} were let in, {denied} refused. Callers: {ips}",
    cached_other_ip_advice: "Add $context.identity.sourceIp to the authorizer's identity sources (the cache key), or set its result TTL (authorizerResultTtlInSeconds) to 0.",
    identity_missing_message: "{count} API requests got 401 before the authorizer ran: they sent no Authorization header, so the authorizer's logs do not show them.",
    identity_missing_advice: "Ask those callers (the access log's ip field names them) to send the Authorization header; scanners without one can be ignored.",
    authorizer_failed_message: "{count} API requests got 500 because of the authorizer: {cause}",
    authorizer_failed_advice: "A timeout: make the authorizer answer well within API Gateway's 10 s. An invalid response: a simple response needs isAuthorized. No permission: allow apigateway.amazonaws.com to invoke the function (lambda:InvokeFunction).",
    authorizer_failed_invocation: "its invocation timed out or failed",
    unmatched_invocations_message: "{count} authorizer invocations match no request of the access log.",
    unmatched_invocations_advice: "Check that access logging covers every stage that uses this authorizer and logs ip and requestTimeEpoch, or log 'API Request ID: …' from the authorizer for an exact join.",
    access_no_overlap_message: "The access log ({access}) does not overlap the authorizer's logs in time ({invocations}): none of its {count} records can be joined to an invocation.",
    access_no_overlap_advice: "Pass the access log of the same period (and stage) as the authorizer's logs, or narrow both with --since/--until.",
    secret_logged_message: "The authorizer writes ALLOWED_TOKEN to its logs: anyone who can read them can call the API.",
    secret_logged_advice: "Remove the 'Allowed Token' log line and rotate the token.",
    token_leak_message: "The valid token was presented from {count} IP(s) that are not allowed, so it is known outside: {ips}",
    token_leak_advice: "Rotate the token now, and find out how it left (logs, a client, a repository).",
    ip_times: "{ip} ({count}×)",
    invalid_allowed_ip_message: "ALLOWED_IP '{ip}' is not a valid IP address: no caller can pass the IP check.",
    invalid_allowed_ip_advice: "Fix the function's ALLOWED_IP environment variable.",
    token_guessing_message: "{count} source IP(s) sent {threshold} or more wrong tokens within {minutes} min (whole minutes), a sign of token guessing: {ips}",
    token_guessing_advice: "Block these addresses (WAF, resource policy), and make sure the token is long and random.",
    token_guessing_ip: "{ip} ({mismatches} mismatches, {distinct} different tokens, {first} → {last})",
    timeouts_message: "Authorizer invocations timed out: API Gateway answered those callers with 500, not 403.",
    timeouts_advice: "Find the slow call (the REPORT durations say how close the others come) or raise the timeout.",
    init_failures_message: "Execution environments failed to initialize ({errors} init error(s), {timeouts} init timeout(s)): the requests they were started for waited for a retry or were answered with 500.",
    init_failures_advice: "Read the INIT_REPORT lines and the lines before them: an exception at import time, a missing dependency or configuration, or an init that needs more than 10 seconds (move the slow work out of the init, or raise the memory).",
    errors_message: "Authorizer invocations failed (unhandled exception or runtime error): API Gateway answered 500.",
    errors_advice: "Read the failing invocations (authlogs report --requests) and fix the handler.",
    token_logged_message: "Callers' Authorization tokens are written to the logs in plain text.",
    token_logged_advice: "Log a hash of the token, or nothing.",
    memory_pressure_message: "Max memory used reached {used} MB of {size} MB: out-of-memory failures are close.",
    memory_pressure_advice: "Raise the memory size, or find what holds memory between invocations.",
    memory_overprovisioned_message: "Max memory used is {used} MB of {size} MB ({share}%).",
    memory_overprovisioned_advice: "{suggested} MB would still leave twice the most used, and save about ${usd} a month at this window's rate ({per_month} invocations a month); Lambda gives CPU in proportion to memory, so check the durations after the change.",
    allowed_ip_changed_message: "ALLOWED_IP changed within the window ({count} distinct values).",
    allowed_ip_changed_advice: "Check that the change was intended.",
    allowed_token_changed_message: "ALLOWED_TOKEN changed within the window ({count} distinct values).",
    allowed_token_changed_advice: "Check that the rotation was intended, and that callers moved to the new token.",
    slow_authorizer_message: "p99 duration is {p99} ms: every API call waits for the authorizer.",
    slow_authorizer_advice: "Cache the decision in API Gateway (authorizer result TTL), or make the slow path faster.",
    incomplete_invocations_message: "Invocations without a REPORT line (the logs start or end mid-request, or lines are missing).",
    incomplete_invocations_advice: "Widen the window, or check that no filter drops START/REPORT lines.",
    invalid_utf8_message: "Lines were not valid UTF-8: each invalid byte was kept and is shown as \\xNN.",
    invalid_utf8_advice: "Check how the logs were exported or converted.",
    oversized_lines_message: "Lines longer than --max-line-bytes were cut (the first at {first}): their heads were read, the rest skipped.",
    oversized_lines_advice: "CloudWatch events are at most 1 MB: a longer line is not a Lambda log line. Check the input, or raise --max-line-bytes.",
    oversized_lines_unknown_input: "an input",
    late_lines_message: "Lines arrived long after their request's REPORT and were not applied to it.",
    late_lines_advice: "Read the inputs in time order, or in fewer parts.",
    values_cut_message: "Logged values (tokens, IPs, request ids, error texts, stream names) were longer than their cap (4 KiB; an IP 256 bytes) and were kept as their head with the whole value's length and SHA-256: decisions and masks are those of the whole values.",
    values_cut_advice: "No real value is this long: look for a client sending oversized headers, or for damaged input.",
    requests_closed_early_message: "Requests still open held more than the memory budget allows (64 MiB); the oldest were reported before their end, incomplete when no REPORT had come.",
    requests_closed_early_advice: "Look for an input that starts many requests and never ends them, or for oversized values in their lines.",
    unrecognized_lines_message: "Lines matched no Lambda or authorizer shape (tracebacks, print() output, other text).",
    unrecognized_lines_advice: "If the authorizer's own messages are among them, teach their wording with --patterns.",
    list_separator: ", ",
    and_more: "and {count} more",
};

/// Japanese.
pub static FINDINGS_JA: FindingTexts = FindingTexts {
    cached_other_ip_message: "{count} 件の API リクエストが、別の送信元 IP に対してキャッシュされた判定で応答されました。これらにはオーソライザーの IP チェックが実行されていません (許可 {allowed} 件、拒否 {denied} 件)。呼び出し元: {ips}",
    cached_other_ip_advice: "オーソライザーの ID ソース (キャッシュキー) に $context.identity.sourceIp を追加するか、結果の TTL (authorizerResultTtlInSeconds) を 0 にしてください。",
    identity_missing_message: "{count} 件の API リクエストがオーソライザーの実行前に 401 になりました。Authorization ヘッダーがなく、オーソライザーのログには残りません。",
    identity_missing_advice: "該当する呼び出し元 (アクセスログの ip で分かります) に Authorization ヘッダーを送るよう依頼してください。ヘッダーのないスキャナーは無視して構いません。",
    authorizer_failed_message: "{count} 件の API リクエストがオーソライザーが原因で 500 になりました: {cause}",
    authorizer_failed_advice: "タイムアウトなら API Gateway の上限 10 秒より十分短く応答させてください。応答形式の誤りなら、シンプルレスポンスには isAuthorized が必要です。権限不足なら apigateway.amazonaws.com に関数の呼び出し (lambda:InvokeFunction) を許可してください。",
    authorizer_failed_invocation: "呼び出しがタイムアウトまたは失敗しました",
    unmatched_invocations_message: "オーソライザーの呼び出し {count} 件が、アクセスログのどのリクエストとも一致しません。",
    unmatched_invocations_advice: "このオーソライザーを使うすべてのステージでアクセスログが有効で、ip と requestTimeEpoch を記録しているか確認してください。オーソライザーから 'API Request ID: …' をログに出すと正確に結合できます。",
    access_no_overlap_message: "アクセスログ ({access}) はオーソライザーのログ ({invocations}) と時間が重なっていません。そのレコード {count} 件はどの呼び出しとも結合できません。",
    access_no_overlap_advice: "オーソライザーのログと同じ期間 (とステージ) のアクセスログを渡すか、--since/--until で両方を絞り込んでください。",
    secret_logged_message: "オーソライザーが ALLOWED_TOKEN をログに出力しています。ログを読める人は誰でも API を呼び出せます。",
    secret_logged_advice: "'Allowed Token' のログ出力を削除し、トークンをローテーションしてください。",
    token_leak_message: "有効なトークンが、許可されていない {count} 個の IP から提示されました。トークンが外部に漏えいしています: {ips}",
    token_leak_advice: "直ちにトークンをローテーションし、漏えい経路 (ログ、クライアント、リポジトリなど) を調査してください。",
    ip_times: "{ip} ({count} 回)",
    invalid_allowed_ip_message: "ALLOWED_IP '{ip}' は有効な IP アドレスではありません。どの呼び出し元も IP チェックを通過できません。",
    invalid_allowed_ip_advice: "関数の環境変数 ALLOWED_IP を修正してください。",
    token_guessing_message: "{count} 個の送信元 IP が {minutes} 分以内 (分単位) に {threshold} 回以上誤ったトークンを送信しました。トークン推測 (総当たり) の兆候です: {ips}",
    token_guessing_advice: "これらのアドレスを遮断し (WAF、リソースポリシー)、トークンが十分に長くランダムであることを確認してください。",
    token_guessing_ip: "{ip} (不一致 {mismatches} 回、異なるトークン {distinct} 種類、{first} → {last})",
    timeouts_message: "オーソライザーの呼び出しがタイムアウトしました。API Gateway はこれらの呼び出し元に 403 ではなく 500 を返しています。",
    timeouts_advice: "遅い処理を特定する (他の呼び出しがタイムアウトにどこまで近いかは REPORT の実行時間でわかります) か、タイムアウトを延ばしてください。",
    init_failures_message: "実行環境の初期化が失敗しました (初期化エラー {errors} 件、初期化タイムアウト {timeouts} 件)。そのために起動されたリクエストは再試行を待つか、500 で応答されました。",
    init_failures_advice: "INIT_REPORT 行とその前の行を確認してください。インポート時の例外、依存関係や設定の欠落、または 10 秒を超える初期化 (重い処理を初期化の外に移すか、メモリを増やす) が考えられます。",
    errors_message: "オーソライザーの呼び出しが失敗しました (未処理の例外またはランタイムエラー)。API Gateway は 500 を返しています。",
    errors_advice: "失敗した呼び出しを確認し (authlogs report --requests)、ハンドラーを修正してください。",
    token_logged_message: "呼び出し元の Authorization トークンが平文でログに出力されています。",
    token_logged_advice: "ログにはトークンのハッシュ値だけを出力するか、何も出力しないでください。",
    memory_pressure_message: "最大メモリ使用量が {size} MB 中 {used} MB に達しました。メモリ不足による失敗が起きる寸前です。",
    memory_pressure_advice: "メモリサイズを増やすか、呼び出しをまたいでメモリを保持しているものを特定してください。",
    memory_overprovisioned_message: "最大メモリ使用量は {size} MB 中 {used} MB ({share}%) です。",
    memory_overprovisioned_advice: "{suggested} MB でも最大使用量の 2 倍の余裕があり、この期間のペース (月 {per_month} 回の呼び出し) なら月に約 ${usd} 節約できます。Lambda はメモリに比例して CPU を割り当てるため、変更後は実行時間を確認してください。",
    allowed_ip_changed_message: "期間内に ALLOWED_IP が変更されています (異なる値が {count} 個)。",
    allowed_ip_changed_advice: "意図した変更か確認してください。",
    allowed_token_changed_message: "期間内に ALLOWED_TOKEN が変更されています (異なる値が {count} 個)。",
    allowed_token_changed_advice: "意図したローテーションか、また呼び出し元が新しいトークンに移行済みかを確認してください。",
    slow_authorizer_message: "実行時間の p99 が {p99} ms です。すべての API 呼び出しがオーソライザーの応答を待っています。",
    slow_authorizer_advice: "API Gateway で判定結果をキャッシュする (オーソライザーの結果の TTL) か、遅い処理を高速化してください。",
    incomplete_invocations_message: "REPORT 行のない呼び出しがあります (ログがリクエストの途中で始まっているか終わっている、または行が欠けています)。",
    incomplete_invocations_advice: "期間を広げるか、START/REPORT 行を除外するフィルターがないか確認してください。",
    invalid_utf8_message: "UTF-8 として不正な行があります。不正なバイトはそのまま保持し、\\xNN と表示します。",
    invalid_utf8_advice: "ログのエクスポート方法や変換方法を確認してください。",
    oversized_lines_message: "--max-line-bytes を超える行を切り詰めました (最初の行: {first})。先頭だけを読み込み、残りは読み飛ばしています。",
    oversized_lines_advice: "CloudWatch のイベントは最大 1 MB です。それより長い行は Lambda のログ行ではありません。入力を確認するか、--max-line-bytes を増やしてください。",
    oversized_lines_unknown_input: "不明な入力",
    late_lines_message: "リクエストの REPORT から大きく遅れて届いた行があり、そのリクエストには反映していません。",
    late_lines_advice: "入力を時刻順に、またはより少ない分割数で読み込んでください。",
    values_cut_message: "上限 (4 KiB、IP は 256 バイト) を超える値 (トークン、IP、リクエスト ID、エラー文、ストリーム名) があり、先頭と値全体の長さ・SHA-256 だけを保持しました。判定とマスクは値全体によるものです。",
    values_cut_advice: "実際の値がこれほど長いことはありません。過大なヘッダーを送るクライアントか、壊れた入力を確認してください。",
    requests_closed_early_message: "終わっていないリクエストがメモリ予算 (64 MiB) を超えたため、古いものから終了前に報告しました (REPORT がないものは不完全として)。",
    requests_closed_early_advice: "多数のリクエストを開始したまま終えない入力か、行の中の過大な値を確認してください。",
    unrecognized_lines_message: "Lambda にもオーソライザーにも当てはまらない行があります (トレースバック、print() の出力、その他のテキスト)。",
    unrecognized_lines_advice: "オーソライザー自身のメッセージが含まれている場合は、--patterns でその文言を定義してください。",
    list_separator: "、",
    and_more: "ほか {count} 件",
};

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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text of a table (a language's `Labels`, `FindingTexts` or `TailTexts`), by walking
    /// the struct's Debug output (the field list).
    fn values(table: &dyn std::fmt::Debug) -> Vec<(String, String)> {
        let text = format!("{table:#?}");
        text.lines()
            .filter_map(|line| {
                let (k, v) = line.trim().split_once(": ")?;
                let v = v.trim_end_matches(',').strip_prefix('"')?.strip_suffix('"')?;
                Some((k.to_string(), v.to_string()))
            })
            .collect()
    }

    /// The `{name}` placeholders of a template, sorted.
    fn placeholders(template: &str) -> Vec<&str> {
        let mut names: Vec<&str> = template
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name))
            .collect();
        names.sort_unstable();
        names
    }

    /// Both languages of one table: the same keys in the same order, none empty, the same
    /// placeholders in each pair, and Japanese that is not a copy of the English (but `same`).
    fn check_pair(what: &str, en: &dyn std::fmt::Debug, ja: &dyn std::fmt::Debug, min: usize, same: &[&str]) {
        let (en, ja) = (values(en), values(ja));
        assert_eq!(en.len(), ja.len(), "{what}");
        assert!(en.len() >= min, "{what}: {} texts", en.len());
        for ((ke, ve), (kj, vj)) in en.iter().zip(&ja) {
            assert_eq!(ke, kj, "{what}");
            assert!(!ve.is_empty() && !vj.is_empty(), "{what}.{ke}");
            assert_eq!(placeholders(ve), placeholders(vj), "{what}.{ke}: {ve} | {vj}");
        }
        let copied: Vec<&String> = en
            .iter()
            .zip(&ja)
            .filter(|(e, j)| e.1 == j.1)
            .map(|(e, _)| &e.0)
            .collect();
        assert!(copied.iter().all(|k| same.contains(&k.as_str())), "{what}: {copied:?}");
    }

    #[test]
    fn every_label_exists_in_both_languages_and_none_is_empty() {
        check_pair("Labels", &EN, &JA, 100, &["cloudwatch"]);
        check_pair("FindingTexts", &FINDINGS_EN, &FINDINGS_JA, 35, &[]);
        check_pair("TailTexts", &TAIL_EN, &TAIL_JA, 9, &[]);
        check_pair(
            "AuditTexts",
            &AUDIT_EN,
            &AUDIT_JA,
            80,
            &["col_api", "col_ttl", "tie_cause_separator"],
        );
        // Every language is reachable from `Lang`.
        for lang in [Lang::En, Lang::Ja] {
            assert!(!lang.labels().findings.is_empty());
            assert!(!lang.findings().and_more.is_empty());
            assert!(!lang.tail().summary.is_empty());
            assert!(!lang.audit().title.is_empty());
        }
    }

    #[test]
    fn templates_are_filled_once_and_left_alone_without_a_value() {
        assert_eq!(fill("{a} and {b}", &[("a", &1), ("b", &"two")]), "1 and two");
        // A value is not read again: braces from a log stay as they are.
        assert_eq!(fill("ip {ip}, n {n}", &[("ip", &"{n}"), ("n", &3)]), "ip {n}, n 3");
        assert_eq!(fill("{missing} {", &[("a", &1)]), "{missing} {");
        assert_eq!(fill("at ${usd}", &[("usd", &"0.20")]), "at $0.20");
        assert_eq!(fill("トークン {n} 件", &[("n", &5)]), "トークン 5 件");
        assert_eq!(placeholders("{b} x {a}"), ["a", "b"]);
    }

    #[test]
    fn the_locale_picks_the_language() {
        assert_eq!(Lang::from_locale("ja_JP.UTF-8"), Lang::Ja);
        assert_eq!(Lang::from_locale("JA"), Lang::Ja);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("C"), Lang::En);
        assert_eq!(Lang::from_locale(""), Lang::En);
    }
}
