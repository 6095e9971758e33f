//! The texts of `authlogs audit` (its checks, its renderers, and the sentence it adds to the
//! report's cached-decision finding), in English and Japanese. `kind` names, AWS CLI commands and
//! `$context…` variables are the same in every language and stay out of these tables.

/// Every human-readable text of an audit; each field is the text its name says.
#[derive(Debug)]
#[allow(missing_docs)]
pub struct AuditTexts {
    // How a resource is named.
    pub resource_authorizer: &'static str,
    pub resource_stage: &'static str,
    pub resource_function: &'static str,
    pub resource_log_group: &'static str,
    // Lists of names.
    pub none: &'static str,
    pub and_more: &'static str,
    pub list_separator: &'static str,
    pub or_separator: &'static str,
    // The checks: evidence and advice of each kind.
    pub ttl_seconds: &'static str,
    pub ttl_not_returned: &'static str,
    pub cached_decision_evidence: &'static str,
    pub cached_decision_advice: &'static str,
    pub secret_in_environment_evidence: &'static str,
    pub secret_in_environment_advice: &'static str,
    pub token_in_access_log_format_evidence: &'static str,
    pub token_in_access_log_format_advice: &'static str,
    pub access_logging_disabled_evidence: &'static str,
    pub access_logging_disabled_advice: &'static str,
    pub route_without_authorizer_evidence: &'static str,
    pub route_without_authorizer_advice: &'static str,
    pub access_log_format_unjoinable_evidence: &'static str,
    pub access_log_format_unjoinable_advice: &'static str,
    pub log_retention_unlimited_evidence: &'static str,
    pub log_retention_unlimited_advice: &'static str,
    pub authorizer_not_attached_evidence: &'static str,
    pub authorizer_not_attached_advice: &'static str,
    pub authorizer_function_missing_evidence: &'static str,
    pub authorizer_function_missing_advice: &'static str,
    // The sentence `report --audit` adds to the report's `cached_decision_other_ip` finding.
    pub tie_cause: &'static str,
    pub tie_ttl_unknown: &'static str,
    pub tie_cause_separator: &'static str,
    pub tie_message: &'static str,
    pub tie_advice: &'static str,
    // The renderers: headings, labels, column names and values.
    pub title: &'static str,
    pub status_complete: &'static str,
    pub status_partial: &'static str,
    pub findings_heading: &'static str,
    pub severity_count: &'static str,
    pub fix_label: &'static str,
    pub not_read: &'static str,
    pub authorizers: &'static str,
    pub stages: &'static str,
    pub functions: &'static str,
    pub col_what: &'static str,
    pub col_permission: &'static str,
    pub col_answer: &'static str,
    pub col_api: &'static str,
    pub col_authorizer: &'static str,
    pub col_type: &'static str,
    pub col_identity_sources: &'static str,
    pub col_ttl: &'static str,
    pub col_payload: &'static str,
    pub col_simple_responses: &'static str,
    pub col_routes: &'static str,
    pub col_stage: &'static str,
    pub col_access_log: &'static str,
    pub col_function: &'static str,
    pub col_runtime: &'static str,
    pub col_timeout: &'static str,
    pub col_memory: &'static str,
    pub col_environment: &'static str,
    pub col_log_format: &'static str,
    pub col_retention: &'static str,
    pub routes_of: &'static str,
    pub access_log_on: &'static str,
    pub access_log_off: &'static str,
    pub unknown: &'static str,
    pub retention_no_group: &'static str,
    pub retention_forever: &'static str,
    pub retention_days: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub html_title: &'static str,
    pub html_heading: &'static str,
    pub html_status: &'static str,
    pub html_partial: &'static str,
    pub nothing_found: &'static str,
    pub configuration_read: &'static str,
    pub nothing_read: &'static str,
    pub generated_by: &'static str,
    /// The heading of the audit's section in `report --audit`'s table and page.
    pub report_section: &'static str,
    /// The advice cell of a gap's CSV row.
    pub csv_grant: &'static str,
}

/// English.
pub static AUDIT_EN: AuditTexts = AuditTexts {
    resource_authorizer: "{api}, authorizer {id} ({name})",
    resource_stage: "{api}, stage {stage}",
    resource_function: "function {name}",
    resource_log_group: "{function}, log group {group}",
    none: "none",
    and_more: "{items} and {count} more",
    list_separator: ", ",
    or_separator: " or ",
    ttl_seconds: "{n} s",
    ttl_not_returned: "unknown (not returned; the console's default is 300 s)",
    cached_decision_evidence:
        "identity sources {sources} without {source_ip}, result TTL {ttl}: an allow made for the \
        allowed IP is reused for any IP presenting the same token for up to the TTL, and a deny is reused for the \
        allowed IP. Guards {count} route(s): {routes}.",
    cached_decision_advice: "Add {source_ip} to the identity sources, so the cache is kept per IP and token. Or turn \
        the cache off, at one invocation per request: {command}",
    secret_in_environment_evidence: "the environment variable {name} holds a secret in clear ({bytes} bytes), shown \
        by lambda:GetFunctionConfiguration and the console; its mask is {mask}, the same mask the report gives a \
        logged token, so report lines with {mask} carry this value.",
    secret_in_environment_advice: "Keep the secret in SSM Parameter Store (SecureString) or Secrets Manager, give the \
        function the parameter's name and read it at start (the Parameters and Secrets Lambda extension caches it), \
        then rotate the secret: the old one has been readable.",
    token_in_access_log_format_evidence: "the access-log format logs {variables} into {destination}: every caller's \
        token is copied into the access log.",
    token_in_access_log_format_advice: "Remove these variables from the format (the command below sets authlogs' \
        format, which holds none), then rotate the token and shorten or purge the access log's retention.",
    access_logging_disabled_evidence: "access logging is off: no record of the requests the authorizer's cached \
        decisions let through, so `authlogs report --access-logs` has no callers section for this stage.",
    access_logging_disabled_advice: "Turn access logging on with a format holding the keys authlogs' join reads \
        (request id, source IP, times, status, authorizer error and IP), never a token.",
    route_without_authorizer_evidence: "{count} route(s) with authorization NONE on an API whose authorizer guards \
        the others: {routes}.",
    route_without_authorizer_advice: "Attach the authorizer to every route but CORS preflights (OPTIONS); the first \
        route's commands are below, repeat them for each.",
    access_log_format_unjoinable_evidence: "the access-log format lacks {missing}, so `authlogs report --access-logs` \
        cannot join its records with the authorizer's decisions (also missing, optional: {optional}).",
    access_log_format_unjoinable_advice: "Use authlogs' format (docs/access-logs.md); it keeps the log group.",
    log_retention_unlimited_evidence: "the log group has no retention: every line the function logged, tokens \
        included, is kept forever.",
    log_retention_unlimited_advice: "Set a retention (90 days keeps a quarter of history for `authlogs report`).",
    authorizer_not_attached_evidence: "no authorizer of the APIs read invokes this function.",
    authorizer_not_attached_advice: "Delete it if it is unused, or audit its API with --api-id.",
    authorizer_function_missing_evidence: "the authorizer invokes {arn}, which does not exist: API Gateway \
        answers every request of the {count} route(s) it guards with 500 before any decision ({routes}), \
        and the function logs nothing about it.",
    authorizer_function_missing_advice: "Point the authorizer at the function that exists (its ARN in the \
        command below) and let API Gateway invoke it (`aws lambda add-permission`), or deploy the function \
        again under this name.",
    tie_cause: "authorizer {id} ({name}) of API {api_id} ({api_name}): identity sources {sources} only, TTL {ttl}",
    tie_ttl_unknown: "unknown (the console's default is 300 s)",
    tie_cause_separator: "; ",
    tie_message: "{message} Caused by {causes} (see the audit's {kind}).",
    tie_advice: "Add $context.identity.sourceIp to the identity sources: {commands}",
    title: "authlogs audit · region {region} · {generated_at} · {status}",
    status_complete: "complete",
    status_partial: "partial: {count} gap(s)",
    findings_heading: "Findings: {counts}",
    severity_count: "{count} {severity}",
    fix_label: "fix:",
    not_read: "Not read",
    authorizers: "Authorizers",
    stages: "Stages",
    functions: "Functions",
    col_what: "what",
    col_permission: "permission",
    col_answer: "service's answer",
    col_api: "API",
    col_authorizer: "authorizer",
    col_type: "type",
    col_identity_sources: "identity sources",
    col_ttl: "TTL",
    col_payload: "payload",
    col_simple_responses: "simple responses",
    col_routes: "routes",
    col_stage: "stage",
    col_access_log: "access log",
    col_function: "function",
    col_runtime: "runtime",
    col_timeout: "timeout",
    col_memory: "memory",
    col_environment: "environment (names)",
    col_log_format: "log format",
    col_retention: "retention",
    routes_of: "{guarded} of {total}",
    access_log_on: "on → ",
    access_log_off: "off",
    unknown: "unknown",
    retention_no_group: "no group yet",
    retention_forever: "forever",
    retention_days: "{n} days",
    yes: "yes",
    no: "no",
    html_title: "authlogs audit – {region}",
    html_heading: "authlogs audit",
    html_status: "region {region} · {generated_at} · status: ",
    html_partial: "partial",
    nothing_found: "The configuration lets nothing through that these checks know of.",
    configuration_read: "Configuration read",
    nothing_read: "No API and no function.",
    generated_by: "Generated by authlogs {version} · ",
    report_section: "Configuration audit",
    csv_grant: "grant {permission}",
};

/// Japanese.
pub static AUDIT_JA: AuditTexts = AuditTexts {
    resource_authorizer: "{api}、オーソライザー {id} ({name})",
    resource_stage: "{api}、ステージ {stage}",
    resource_function: "関数 {name}",
    resource_log_group: "{function}、ロググループ {group}",
    none: "なし",
    and_more: "{items} ほか {count} 件",
    list_separator: "、",
    or_separator: " または ",
    ttl_seconds: "{n} 秒",
    ttl_not_returned: "不明 (応答に含まれません。コンソールの既定値は 300 秒)",
    cached_decision_evidence: "ID ソースは {sources} で {source_ip} を含まず、結果の TTL は {ttl} です。許可された \
        IP に対する許可の判定が、同じトークンを提示する任意の IP に TTL の間再利用され、拒否の判定も許可された IP \
        に再利用されます。対象ルート {count} 件: {routes}。",
    cached_decision_advice: "ID ソースに {source_ip} を追加し、キャッシュを IP とトークンの組ごとに保持してください。\
        リクエストごとに 1 回の呼び出しになりますが、キャッシュを無効にする方法もあります: {command}",
    secret_in_environment_evidence: "環境変数 {name} にシークレットが平文で格納されています ({bytes} バイト)。\
        lambda:GetFunctionConfiguration とコンソールで参照できます。マスク値は {mask} で、レポートがログ中のトークンに\
        付けるマスクと同じです。{mask} を含むレポートの行はこの値を含んでいます。",
    secret_in_environment_advice: "シークレットは SSM Parameter Store (SecureString) か Secrets Manager に保管し、\
        関数にはパラメーター名を渡して起動時に読み込んでください (Parameters and Secrets Lambda Extension \
        がキャッシュします)。そのうえでシークレットをローテーションしてください。これまでの値は読み取れる状態にありました。",
    token_in_access_log_format_evidence: "アクセスログの形式が {variables} を {destination} に記録しています。\
        呼び出し元のトークンがすべてアクセスログに複製されます。",
    token_in_access_log_format_advice: "これらの変数を形式から削除してください (下のコマンドはトークンを含まない authlogs \
        の形式を設定します)。そのうえでトークンをローテーションし、アクセスログの保持期間を短くするか削除してください。",
    access_logging_disabled_evidence: "アクセスログが無効です。オーソライザーのキャッシュされた判定で通過したリクエストの\
        記録がなく、`authlogs report --access-logs` でこのステージの呼び出し元セクションを作成できません。",
    access_logging_disabled_advice: "authlogs の結合が読むキー (リクエスト ID、送信元 IP、時刻、ステータス、\
        オーソライザーのエラーと IP) を含み、トークンを含まない形式でアクセスログを有効にしてください。",
    route_without_authorizer_evidence: "他のルートをオーソライザーが保護している API に、認可が NONE のルートが \
        {count} 件あります: {routes}。",
    route_without_authorizer_advice: "CORS のプリフライト (OPTIONS) を除くすべてのルートにオーソライザーを設定してください。\
        下のコマンドは最初のルートの分です。ルートごとに繰り返してください。",
    access_log_format_unjoinable_evidence: "アクセスログの形式に {missing} がないため、`authlogs report --access-logs` \
        でレコードをオーソライザーの判定と結合できません (任意で、ほかに不足しているもの: {optional})。",
    access_log_format_unjoinable_advice: "authlogs の形式 (docs/access-logs.md) を使ってください。ロググループはそのまま\
        使えます。",
    log_retention_unlimited_evidence: "ロググループに保持期間が設定されていません。関数が出力したすべての行が、\
        トークンも含めて無期限に保存されます。",
    log_retention_unlimited_advice: "保持期間を設定してください (90 日なら `authlogs report` 用に 3 か月分の履歴が残ります)。",
    authorizer_not_attached_evidence: "読み取った API のオーソライザーはどれもこの関数を呼び出していません。",
    authorizer_not_attached_advice: "使っていなければ削除してください。使っている場合は --api-id でその API を監査してください。",
    authorizer_function_missing_evidence: "オーソライザーが呼び出す {arn} は存在しません。API Gateway は、\
        このオーソライザーが保護する {count} 件のルート ({routes}) へのリクエストすべてに、判定の前に 500 を返します。\
        関数側のログには何も残りません。",
    authorizer_function_missing_advice: "オーソライザーの呼び出し先を存在する関数に変更し (下のコマンドにその ARN を指定)、\
        API Gateway に呼び出しを許可してください (`aws lambda add-permission`)。または、この名前で関数をデプロイし直してください。",
    tie_cause: "API {api_id} ({api_name}) のオーソライザー {id} ({name}): ID ソースは {sources} のみ、TTL {ttl}",
    tie_ttl_unknown: "不明 (コンソールの既定値は 300 秒)",
    tie_cause_separator: "; ",
    tie_message: "{message} 原因は {causes} です (監査の {kind} を参照)。",
    tie_advice: "ID ソースに $context.identity.sourceIp を追加してください: {commands}",
    title: "authlogs 監査 · リージョン {region} · {generated_at} · {status}",
    status_complete: "完全",
    status_partial: "不完全: 読み取れなかった項目 {count} 件",
    findings_heading: "検出事項: {counts}",
    severity_count: "{severity} {count} 件",
    fix_label: "修正コマンド:",
    not_read: "読み取れなかった項目",
    authorizers: "オーソライザー",
    stages: "ステージ",
    functions: "関数",
    col_what: "対象",
    col_permission: "必要な権限",
    col_answer: "サービスの応答",
    col_api: "API",
    col_authorizer: "オーソライザー",
    col_type: "タイプ",
    col_identity_sources: "ID ソース",
    col_ttl: "TTL",
    col_payload: "ペイロード",
    col_simple_responses: "シンプルレスポンス",
    col_routes: "ルート",
    col_stage: "ステージ",
    col_access_log: "アクセスログ",
    col_function: "関数",
    col_runtime: "ランタイム",
    col_timeout: "タイムアウト",
    col_memory: "メモリ",
    col_environment: "環境変数 (名前)",
    col_log_format: "ログ形式",
    col_retention: "保持期間",
    routes_of: "{guarded} / {total} 件",
    access_log_on: "有効 → ",
    access_log_off: "無効",
    unknown: "不明",
    retention_no_group: "グループ未作成",
    retention_forever: "無期限",
    retention_days: "{n} 日",
    yes: "はい",
    no: "いいえ",
    html_title: "authlogs 監査 – {region}",
    html_heading: "authlogs 監査",
    html_status: "リージョン {region} · {generated_at} · 状態: ",
    html_partial: "不完全",
    nothing_found: "これらのチェックで分かる範囲では、設定に問題はありません。",
    configuration_read: "読み取った設定",
    nothing_read: "API も関数もありません。",
    generated_by: "authlogs {version} で作成 · ",
    report_section: "設定の監査",
    csv_grant: "{permission} を許可してください",
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Hiragana, katakana, CJK ideographs or Japanese punctuation.
    fn has_japanese(s: &str) -> bool {
        s.chars()
            .any(|c| matches!(c, '\u{3000}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}'))
    }

    /// A rough check that nothing of the Japanese table is English left over: every text holds
    /// Japanese, but those that are the same in both languages (an acronym, a separator).
    #[test]
    fn every_japanese_text_is_japanese() {
        let same = ["col_api", "col_ttl", "tie_cause_separator"];
        let text = format!("{AUDIT_JA:#?}");
        let mut checked = 0;
        for line in text.lines() {
            let Some((key, value)) = line.trim().split_once(": ") else {
                continue;
            };
            if same.contains(&key) || !value.starts_with('"') {
                continue;
            }
            checked += 1;
            assert!(has_japanese(value), "{key}: {value}");
        }
        assert!(checked > 70, "{checked}");
    }
}
