use super::*;
use crate::audit::fixtures::{self, env, DOC_FORMAT, SEED_TOKEN};
use crate::report::Severity;

/// The English findings, which these tests read (`i18n_tests.rs` checks the Japanese ones).
fn findings(c: &Configuration) -> Vec<AuditFinding> {
    super::findings(c, Lang::En)
}

fn kinds(c: &Configuration) -> Vec<&'static str> {
    findings(c).iter().map(|f| f.kind).collect()
}

fn of<'a>(found: &'a [AuditFinding], kind: &str) -> Vec<&'a AuditFinding> {
    found.iter().filter(|f| f.kind == kind).collect()
}

fn all_text(f: &AuditFinding) -> String {
    format!(
        "{} {} {} {}",
        f.resource,
        f.evidence,
        f.advice,
        f.fix.as_deref().unwrap_or("")
    )
}

#[test]
fn the_seed_fires_the_five_kinds_most_urgent_first() {
    let found = findings(&fixtures::seed());
    let kinds: Vec<_> = found.iter().map(|f| (f.severity, f.kind)).collect();
    assert_eq!(
        kinds,
        [
            (Severity::High, "cached_decision_ignores_source_ip"),
            (Severity::High, "secret_in_environment"),
            (Severity::High, "token_in_access_log_format"),
            (Severity::Medium, "access_logging_disabled"),
            (Severity::Low, "log_retention_unlimited"),
        ]
    );
}

#[test]
fn the_fixed_configuration_fires_nothing() {
    assert_eq!(kinds(&fixtures::fixed()), Vec::<&str>::new());
}

#[test]
fn no_finding_holds_the_secret_value() {
    for c in [fixtures::seed(), fixtures::hostile()] {
        for f in findings(&c) {
            assert!(!all_text(&f).contains(SEED_TOKEN), "{f:?}");
        }
    }
}

#[test]
fn the_cached_decision_fix_keeps_the_header_and_adds_the_ip() {
    let found = findings(&fixtures::seed());
    let f = of(&found, "cached_decision_ignores_source_ip")[0];
    assert_eq!(f.resource, "API a1b2c3d4e5 (shop), authorizer x1y2z3 (ip-check)");
    assert_eq!(
        f.fix.as_deref(),
        Some(
            "aws apigatewayv2 update-authorizer --region ap-northeast-1 --api-id a1b2c3d4e5 --authorizer-id x1y2z3 \
             --identity-source '$request.header.Authorization' '$context.identity.sourceIp'"
        )
    );
    assert!(f.evidence.contains("300 s"), "{}", f.evidence);
    // Four guarded routes: three named, one counted; the open OPTIONS route is not one of them.
    assert!(f
        .evidence
        .contains("Guards 4 route(s): GET /items, POST /items, GET /items/{id} and 1 more"));
    assert!(
        f.advice.contains("--authorizer-result-ttl-in-seconds 0"),
        "{}",
        f.advice
    );
}

#[test]
fn the_cache_ttl_decides_the_cached_decision_finding() {
    let with_ttl = |ttl| {
        let mut c = fixtures::seed();
        c.apis[0].authorizers[0].result_ttl_seconds = ttl;
        findings(&c)
    };
    assert!(of(&with_ttl(Some(0)), "cached_decision_ignores_source_ip").is_empty());
    let unknown = with_ttl(None);
    let f = of(&unknown, "cached_decision_ignores_source_ip");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Medium);
    assert!(f[0].evidence.contains("unknown"));
    assert_eq!(
        of(&with_ttl(Some(1)), "cached_decision_ignores_source_ip")[0].severity,
        Severity::High
    );
}

#[test]
fn jwt_authorizers_and_empty_identity_sources_are_not_cached_decisions() {
    let mut jwt = fixtures::seed();
    jwt.apis[0].authorizers[0].authorizer_type = "JWT".into();
    assert!(of(&findings(&jwt), "cached_decision_ignores_source_ip").is_empty());
    let mut none = fixtures::seed();
    none.apis[0].authorizers[0].identity_sources.clear();
    assert!(of(&findings(&none), "cached_decision_ignores_source_ip").is_empty());
    // The source IP alone keys the cache per IP too.
    let mut ip_only = fixtures::seed();
    ip_only.apis[0].authorizers[0].identity_sources = vec!["$context.identity.sourceIp".into()];
    assert!(of(&findings(&ip_only), "cached_decision_ignores_source_ip").is_empty());
}

#[test]
fn the_secret_finding_names_the_variable_and_its_mask_only() {
    let found = findings(&fixtures::seed());
    let f = of(&found, "secret_in_environment");
    assert_eq!(f.len(), 1, "ALLOWED_IP is no secret");
    let mask = crate::redact::display_token(SEED_TOKEN, crate::redact::TokenDisplay::Masked);
    assert!(f[0].evidence.contains("ALLOWED_TOKEN") && f[0].evidence.contains(&mask));
    let fix = f[0].fix.as_deref().unwrap_or_default();
    assert!(fix.contains("aws ssm put-parameter --region ap-northeast-1 --name /agw-access-permission/ALLOWED_TOKEN"));
    // --environment replaces every variable: the others are listed, with placeholders.
    assert!(
        fix.contains(
            "--environment 'Variables={ALLOWED_IP=<value of ALLOWED_IP>,\
             ALLOWED_TOKEN_PARAMETER=/agw-access-permission/ALLOWED_TOKEN}'"
        ),
        "{fix}"
    );
}

#[test]
fn secret_names_follow_the_documented_rule() {
    for name in [
        "ALLOWED_TOKEN",
        "allowedToken",
        "DB_PASSWORD",
        "api-key",
        "CLIENT_SECRET",
        "GITHUB_PRIVATE_KEY",
    ] {
        assert!(secret_env::says_secret(name), "{name}");
    }
    for name in [
        "ALLOWED_IP",
        "TOKEN_PARAMETER",
        "SECRET_ARN",
        "TOKEN_URL",
        "LOG_LEVEL",
        "KEY_ID",
    ] {
        assert!(!secret_env::says_secret(name), "{name}");
    }
    let mut c = fixtures::fixed();
    c.functions[0].environment.push(env("EMPTY_TOKEN", "", false));
    assert!(kinds(&c).is_empty(), "an empty value holds no secret");
}

#[test]
fn token_variables_are_found_in_any_spelling() {
    let format = "$context.authorizer.token $context.authorizer.ip $context.authorizer.api_key \
                  $context.identity.apiKey $request.header.Authorization $context.authorizer.error \
                  $context.authorizer.token";
    assert_eq!(
        token_in_format::token_variables(format),
        [
            "$context.authorizer.token",
            "$context.authorizer.api_key",
            "$context.identity.apiKey",
            "$request.header.Authorization"
        ]
    );
    assert!(token_in_format::token_variables(DOC_FORMAT).is_empty());
    // A digest of the token is what the docs recommend logging instead.
    assert!(
        token_in_format::token_variables("$context.authorizer.tokenHash $context.authorizer.token_sha256").is_empty()
    );
}

#[test]
fn the_access_log_fix_sets_the_documented_format() {
    let found = findings(&fixtures::seed());
    let f = of(&found, "access_logging_disabled")[0];
    assert_eq!(f.resource, "API a1b2c3d4e5 (shop), stage $default");
    let fix = f.fix.as_deref().unwrap_or_default();
    assert!(fix.starts_with(
        "aws logs create-log-group --region ap-northeast-1 --log-group-name /aws/apigateway/a1b2c3d4e5-access\n"
    ));
    assert!(
        fix.contains("--stage-name '$default' --access-log-settings '{"),
        "{fix}"
    );
    // The settings are JSON whose Format is the doc's format, byte for byte.
    let json = fix
        .rsplit_once(" --access-log-settings '")
        .map(|(_, j)| j.trim_end_matches('\''))
        .unwrap_or("");
    let settings: serde_json::Value = serde_json::from_str(json).expect("JSON settings");
    assert_eq!(settings["Format"], DOC_FORMAT);
    assert_eq!(
        settings["DestinationArn"],
        "arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws/apigateway/a1b2c3d4e5-access"
    );
    // The stage that logs the token keeps its destination.
    let t = of(&found, "token_in_access_log_format")[0];
    assert!(t.evidence.contains("$context.authorizer.token"));
    assert!(!t.fix.as_deref().unwrap_or_default().contains("create-log-group"));
}

#[test]
fn the_extra_checks_fire_on_what_they_name() {
    let mut c = fixtures::fixed();
    c.apis[0].routes.push(fixtures_route("GET /admin"));
    if let Some(log) = c.apis[0].stages[1].access_log.as_mut() {
        log.format = r#"{"requestId":"$context.requestId"}"#.into();
    }
    c.functions.push(crate::audit::FunctionConfig {
        name: "old-authorizer".into(),
        arn: "arn:aws:lambda:ap-northeast-1:123456789012:function:old-authorizer".into(),
        ..Default::default()
    });
    let found = findings(&c);
    let fired: Vec<_> = found.iter().map(|f| f.kind).collect();
    assert_eq!(
        fired,
        [
            "route_without_authorizer",
            "access_log_format_unjoinable",
            "authorizer_not_attached"
        ]
    );
    assert!(found[0].evidence.contains("1 route(s)") && found[0].evidence.contains("GET /admin"));
    assert!(found[0]
        .fix
        .as_deref()
        .unwrap_or_default()
        .contains(r"--query 'Items[?RouteKey=='\''GET /admin'\''].RouteId | [0]'"));
    assert!(
        found[1].evidence.contains("$context.identity.sourceIp"),
        "{}",
        found[1].evidence
    );
    // An authorizer ARN with an alias still names its function.
    let mut aliased = fixtures::fixed();
    aliased.apis[0].authorizers[0].function_arn =
        Some("arn:aws:lambda:ap-northeast-1:123456789012:function:agw-access-permission:prod".into());
    assert!(kinds(&aliased).is_empty());
}

fn fixtures_route(key: &str) -> crate::audit::RouteConfig {
    crate::audit::RouteConfig {
        route_key: key.into(),
        authorization_type: "NONE".into(),
        authorizer_id: None,
    }
}

#[test]
fn hostile_names_are_escaped_in_every_field() {
    let found = findings(&fixtures::hostile());
    assert!(!found.is_empty());
    for f in &found {
        let text = all_text(f);
        assert!(
            !text.contains('\x1b') && !text.contains('\x07') && !text.contains('\u{202e}'),
            "{text:?}"
        );
    }
    // The hostile variable is a secret too, reported by its escaped name.
    assert!(found.iter().any(|f| f.evidence.contains("EVIL_TOKEN\\x1b[2J")));
}

#[test]
fn every_kind_is_listed() {
    let mut c = fixtures::seed();
    c.apis[0].routes.push(fixtures_route("GET /admin"));
    if let Some(log) = c.apis[0].stages[1].access_log.as_mut() {
        log.format = "$context.authorizer.token".into();
    }
    c.functions.push(crate::audit::FunctionConfig::default());
    c.missing_functions
        .extend(c.apis[0].authorizers[0].function_arn.clone());
    let mut fired: Vec<_> = kinds(&c);
    let mut listed = KINDS.to_vec();
    listed.sort_unstable();
    fired.sort_unstable();
    fired.dedup();
    assert_eq!(fired, listed);
}

#[test]
fn the_fix_format_is_the_one_docs_access_logs_sets() {
    let doc = include_str!("../../../docs/access-logs.md");
    let line = doc
        .lines()
        .find(|l| l.starts_with("aws apigatewayv2 update-stage") && l.contains("--access-log-settings '"))
        .expect("the doc's update-stage command");
    let json = line
        .split_once("--access-log-settings '")
        .and_then(|(_, rest)| rest.strip_suffix('\''))
        .expect("quoted settings");
    let settings: serde_json::Value = serde_json::from_str(json).expect("JSON settings");
    assert_eq!(settings["Format"], access_format::JOIN_FORMAT);
    assert_eq!(settings["Format"], DOC_FORMAT);
}

#[test]
fn an_authorizer_invoking_a_missing_function_is_high_and_names_its_routes() {
    let mut c = fixtures::seed();
    let arn = c.apis[0].authorizers[0].function_arn.clone().expect("an ARN");
    assert!(
        kinds(&c).iter().all(|k| *k != "authorizer_function_missing"),
        "only when missing"
    );
    c.missing_functions.push(arn.clone());
    let found = findings(&c);
    let missing = of(&found, "authorizer_function_missing");
    assert_eq!(missing.len(), 1, "{found:?}");
    let f = missing[0];
    assert_eq!(f.severity, Severity::High);
    assert_eq!(found[0].kind, "authorizer_function_missing", "the most urgent first");
    assert!(f.evidence.contains(&arn), "{}", f.evidence);
    let routes = &c.apis[0].routes;
    assert!(f.evidence.contains(&routes[0].route_key), "{}", f.evidence);
    let fix = f.fix.as_deref().expect("a fix");
    assert!(fix.starts_with("aws apigatewayv2 update-authorizer"), "{fix}");
    assert!(
        fix.contains(&format!("--authorizer-id {}", c.apis[0].authorizers[0].authorizer_id)),
        "{fix}"
    );
    // Another function missing is not this authorizer's.
    c.missing_functions = vec![format!("{arn}-other")];
    assert!(kinds(&c).iter().all(|k| *k != "authorizer_function_missing"));
}
