//! Which functions and APIs an audit reads: `--function`, `--api-id`, else the name pattern.

use super::apis::function_name;

/// What to audit, as the user asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditSelection {
    /// `--function`: exactly these functions (names or ARNs, a qualifier allowed).
    pub functions: Vec<String>,
    /// `--api-id`: only these APIs.
    pub api_ids: Vec<String>,
    /// Else the functions whose name contains this (case-insensitive): [`crate::aws::DEFAULT_PATTERN`].
    pub pattern: String,
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
}
