//! Every human-readable label of the outputs, in English and Japanese: one table per language, so a
//! missing translation is a compile error, and JSON keys and CSV headers (a schema) stay English.

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
}

/// The labels of the human-readable outputs; each field is the label its name says.
#[derive(Debug)]
#[allow(missing_docs)]
pub struct Labels {
    pub report_title: &'static str,
    pub window: &'static str,
    pub events: &'static str,
    pub invocations: &'static str,
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
    pub input_errors: &'static str,
    pub no_invocations: &'static str,
    pub chart_unavailable: &'static str,
    pub generated_by: &'static str,
}

/// English.
pub static EN: Labels = Labels {
    report_title: "authlogs report",
    window: "window",
    events: "events",
    invocations: "invocations",
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
    input_errors: "input errors",
    no_invocations: "no invocations found",
    chart_unavailable: "(chart unavailable)",
    generated_by: "generated by",
};

/// Japanese.
pub static JA: Labels = Labels {
    report_title: "authlogs レポート",
    window: "期間",
    events: "イベント",
    invocations: "呼び出し",
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
    billed: "課金",
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
    compute: "計算",
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
    input_errors: "入力エラー",
    no_invocations: "呼び出しが見つかりません",
    chart_unavailable: "(グラフを表示できません)",
    generated_by: "作成",
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Every label of a language, by walking the struct's Debug output (the field list).
    fn values(l: &Labels) -> Vec<(String, String)> {
        let text = format!("{l:#?}");
        text.lines()
            .filter_map(|line| {
                let (k, v) = line.trim().split_once(": ")?;
                Some((k.to_string(), v.trim_end_matches(',').trim_matches('"').to_string()))
            })
            .collect()
    }

    #[test]
    fn every_label_exists_in_both_languages_and_none_is_empty() {
        let (en, ja) = (values(&EN), values(&JA));
        assert_eq!(en.len(), ja.len());
        assert!(en.len() > 50);
        for ((ke, ve), (kj, vj)) in en.iter().zip(&ja) {
            assert_eq!(ke, kj);
            assert!(!ve.is_empty() && !vj.is_empty(), "{ke}");
        }
        // Japanese labels are translated, not copied (names and acronyms aside).
        let same: Vec<&String> = en
            .iter()
            .zip(&ja)
            .filter(|(e, j)| e.1 == j.1)
            .map(|(e, _)| &e.0)
            .collect();
        assert!(same.iter().all(|k| k.as_str() == "cloudwatch"), "{same:?}");
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
