//! Which functions and APIs an audit reads: `--function`, `--api-id`, the log groups a report
//! read, else the name pattern.

use super::apis::function_name;

/// What to audit, as the user asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditSelection {
    /// `--function`: exactly these functions (names or ARNs, a qualifier allowed).
    pub functions: Vec<String>,
    /// `--api-id`: only these APIs.
    pub api_ids: Vec<String>,
    /// `report --audit`: the functions that log to one of these groups (`LoggingConfig.LogGroup`,
    /// by default `/aws/lambda/NAME`), found with ListFunctions. Ignored when `functions` is set.
    /// When no function logs to them, or the listing is refused, [`AuditSelection::by_group_names`]
    /// applies instead.
    pub log_groups: Vec<String>,
    /// Else the functions whose name contains this (case-insensitive): [`crate::aws::DEFAULT_PATTERN`].
    pub pattern: String,
}

/// The prefix of the log groups Lambda writes to by default: `/aws/lambda/NAME` is function NAME's.
const LAMBDA_GROUPS: &str = "/aws/lambda/";

impl AuditSelection {
    /// The functions that log to the groups `groups` a report read, the default pattern otherwise
    /// (no group: nothing was read).
    pub fn for_log_groups(groups: &[String]) -> AuditSelection {
        let mut log_groups = groups.to_vec();
        log_groups.sort();
        log_groups.dedup();
        AuditSelection {
            log_groups,
            pattern: crate::aws::DEFAULT_PATTERN.into(),
            ..AuditSelection::default()
        }
    }

    /// Whether a function logging to `group` is audited (with `log_groups`).
    pub(crate) fn reads_group(&self, group: &str) -> bool {
        self.log_groups.iter().any(|g| g == group)
    }

    /// Exactly the functions `names`: those found logging to the groups.
    pub(crate) fn only(&self, names: Vec<String>) -> AuditSelection {
        AuditSelection {
            functions: names,
            api_ids: self.api_ids.clone(),
            log_groups: Vec::new(),
            pattern: self.pattern.clone(),
        }
    }

    /// What the group names alone say, when no listed function logs to the groups (or functions
    /// cannot be listed): `/aws/lambda/NAME` is function NAME's; when any group has another shape,
    /// the pattern (such a group could be any function's, or another account's).
    pub(crate) fn by_group_names(&self) -> AuditSelection {
        let names: Option<Vec<String>> = self
            .log_groups
            .iter()
            .map(|g| {
                g.strip_prefix(LAMBDA_GROUPS)
                    .filter(|n| !n.is_empty())
                    .map(str::to_string)
            })
            .collect();
        // `log_groups` is sorted and deduplicated, and so are the names it gives.
        self.only(names.unwrap_or_default())
    }
}

impl AuditSelection {
    /// Whether an authorizer invoking the function `name` is audited.
    ///
    /// With `--function`, only those functions. With `--api-id` alone, every Lambda authorizer of
    /// the APIs named: the user picked the API, whatever its function is called. Else the functions
    /// whose name contains the pattern.
    pub(crate) fn wants(&self, name: &str) -> bool {
        if !self.functions.is_empty() {
            return self.functions.iter().any(|f| function_name(f) == name);
        }
        if !self.api_ids.is_empty() {
            return true;
        }
        crate::aws::groups::matches(name, &self.pattern)
    }

    /// Whether the API `api_id` is in scope.
    pub(crate) fn wants_api(&self, api_id: &str) -> bool {
        self.api_ids.is_empty() || self.api_ids.iter().any(|a| a == api_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(functions: &[&str], api_ids: &[&str]) -> AuditSelection {
        AuditSelection {
            functions: functions.iter().map(|s| s.to_string()).collect(),
            api_ids: api_ids.iter().map(|s| s.to_string()).collect(),
            log_groups: Vec::new(),
            pattern: crate::aws::DEFAULT_PATTERN.into(),
        }
    }

    #[test]
    fn the_pattern_applies_unless_functions_or_apis_are_named() {
        assert!(sel(&[], &[]).wants("prod-AGW-Access-Permission"));
        assert!(!sel(&[], &[]).wants("other"));
        assert!(sel(&[], &["a1"]).wants("other"));
        assert!(sel(&[], &["a1"]).wants_api("a1"));
        assert!(!sel(&[], &["a1"]).wants_api("b2"));
        assert!(sel(&[], &[]).wants_api("b2"));
    }

    #[test]
    fn a_named_function_matches_by_name_whether_given_as_name_or_arn() {
        let s = sel(&["arn:aws:lambda:us-east-1:123456789012:function:auth:live"], &[]);
        assert!(s.wants("auth"));
        assert!(!s.wants("auth2"));
        assert!(!s.wants("agw-access-permission"));
        assert!(sel(&["auth"], &[]).wants("auth"));
    }

    fn groups(groups: &[&str]) -> AuditSelection {
        AuditSelection::for_log_groups(&groups.iter().map(|g| g.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn the_groups_read_are_kept_sorted_once_and_match_exactly() {
        let s = groups(&["/platform/auth", "/aws/lambda/a", "/platform/auth"]);
        assert_eq!(s.log_groups, ["/aws/lambda/a", "/platform/auth"]);
        assert!(s.functions.is_empty() && s.api_ids.is_empty());
        assert_eq!(s.pattern, crate::aws::DEFAULT_PATTERN);
        assert!(s.reads_group("/platform/auth"));
        assert!(!s.reads_group("/platform/auth2"));
        assert!(!s.reads_group("/shared"));
        let only = s.only(vec!["auth".into()]);
        assert!(only.log_groups.is_empty());
        assert!(only.wants("auth") && !only.wants("a"));
    }

    #[test]
    fn by_group_names_lambda_groups_name_their_functions_and_any_other_shape_falls_back_to_the_pattern() {
        let names = |g: &[&str]| groups(g).by_group_names().functions;
        assert_eq!(
            names(&["/aws/lambda/b-agw-access-permission", "/aws/lambda/a", "/aws/lambda/a"]),
            ["a", "b-agw-access-permission"]
        );
        assert!(names(&["/aws/lambda/a", "/custom/authorizer"]).is_empty());
        assert!(names(&["/aws/lambda/"]).is_empty());
        assert!(names(&[]).is_empty());
        let fallback = groups(&["/custom/authorizer"]).by_group_names();
        assert!(fallback.log_groups.is_empty(), "the fallback does not list again");
        assert!(fallback.wants("prod-agw-access-permission") && !fallback.wants("other"));
    }
}
