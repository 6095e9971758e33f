//! One audit's reading, in order: the functions (for `report --audit`, those logging to the groups
//! it read), the APIs whose authorizers invoke them (routes,
//! authorizers, stages), the functions only an authorizer named, then each function's log group.
//! A refused call leaves a gap and the rest is still read.

use std::collections::BTreeSet;

use super::apis::{self, function_name, ApiSummary};
use super::clients::AuditClients;
use super::functions;
use super::gaps::gap;
use super::log_groups::log_group;
use super::selection::AuditSelection;
use crate::audit::{ApiConfig, AuthorizerConfig, Configuration, FunctionConfig, Gap};
use crate::aws::call::Shared;
use crate::aws::config::runtime;
use crate::aws::error::{esc, CwError};
use crate::aws::retry::RetryPolicy;
use crate::aws::Connection;

/// API Gateway's permission for every read call.
const APIGW_GET: &str = "apigateway:GET";
/// How to list the functions, for a `--function` not found.
const LIST_FUNCTIONS: &str = "list them with `aws lambda list-functions --query 'Functions[].FunctionName'`";
/// How to list the APIs, for an `--api-id` not found.
const LIST_APIS: &str = "list them with `aws apigatewayv2 get-apis --query 'Items[].[ApiId,Name,ProtocolType]'`";

/// Why a function is read: what its absence means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// `--function`: the user named it.
    Named,
    /// An audited authorizer invokes it.
    Invoked,
    /// The name of a log group `report --audit` read.
    Group,
}

/// Whether `failure` is the service saying the resource does not exist.
fn is_not_found(failure: &crate::aws::call::Failure) -> bool {
    matches!(failure, crate::aws::call::Failure::Service { code, .. } if code == "ResourceNotFoundException")
}

/// What one audit read, and the notes for stderr on how it chose what to read.
#[derive(Debug)]
pub struct Collected {
    /// The configuration read, and its gaps.
    pub configuration: Configuration,
    /// Lines for stderr (without the `authlogs:` prefix), e.g. that no function logs to the groups
    /// read and what was audited instead. Not gaps: nothing was refused.
    pub notes: Vec<String>,
}

/// Reads what `selection` names in the region of `connection`, at most `max_tps` calls a second.
/// Fails only when nothing can be read at all (credentials, connection), or when nothing matched.
pub fn collect(connection: &Connection, selection: &AuditSelection, max_tps: f64) -> Result<Collected, CwError> {
    let rt = runtime()?;
    rt.block_on(async {
        let clients = AuditClients::connect(connection).await?;
        let shared = Shared::new(max_tps, RetryPolicy::default().max_attempts);
        let mut run = Collect {
            clients: &clients,
            shared: &shared,
            selection: selection.clone(),
            gaps: Vec::new(),
            notes: Vec::new(),
            missing: Vec::new(),
        };
        let configuration = run.all().await?;
        if configuration.apis.is_empty() && configuration.functions.is_empty() && configuration.gaps.is_empty() {
            return Err(CwError::NoAuditTarget {
                pattern: esc(&selection.pattern),
                region: esc(&clients.logs.region),
                profile: esc(&clients.logs.profile),
            });
        }
        Ok(Collected {
            configuration,
            notes: run.notes,
        })
    })
}

/// The state of one reading: the clients, the shared limiter, the selection (the log groups'
/// resolved into functions once listed), the gaps and notes so far.
struct Collect<'a> {
    clients: &'a AuditClients,
    shared: &'a Shared,
    selection: AuditSelection,
    gaps: Vec<Gap>,
    notes: Vec<String>,
    /// Function ARNs an authorizer invokes that do not exist.
    missing: Vec<String>,
}

impl Collect<'_> {
    /// `failure` recorded as a gap, or the error that ends the audit.
    fn refused(
        &mut self,
        failure: crate::aws::call::Failure,
        what: String,
        permission: &'static str,
    ) -> Result<(), CwError> {
        self.gaps.push(gap(failure, what, permission, &self.clients.logs)?);
        Ok(())
    }

    async fn all(&mut self) -> Result<Configuration, CwError> {
        let region = self.clients.logs.region.clone();
        // The functions, with the name of each one's log group.
        let mut functions: Vec<(FunctionConfig, String)> = Vec::new();
        if self.selection.functions.is_empty() && !self.selection.log_groups.is_empty() {
            functions = self.by_log_group().await?;
        } else if !self.selection.functions.is_empty() {
            for name in self.selection.functions.clone() {
                self.function(&name, Origin::Named, &mut functions).await?;
            }
        } else if self.selection.api_ids.is_empty() {
            let pattern = self.selection.pattern.clone();
            let keep = move |name: &str, _: &str| crate::aws::groups::matches(name, &pattern);
            match functions::list_where(&self.clients.lambda, self.shared, &keep).await {
                Ok(found) => functions = found,
                Err(f) => self.refused(
                    f,
                    format!("the Lambda functions of region {}", esc(&region)),
                    "lambda:ListFunctions",
                )?,
            }
        }
        let apis = self.apis().await?;
        // The functions an audited authorizer invokes that were not read yet (`--api-id`, or
        // ListFunctions refused): each by its ARN.
        let invoked: BTreeSet<String> = apis
            .iter()
            .flat_map(|a| &a.authorizers)
            .filter_map(|a| a.function_arn.clone())
            .collect();
        for arn in invoked {
            if !functions.iter().any(|(f, _)| f.name == function_name(&arn)) {
                self.function(&arn, Origin::Invoked, &mut functions).await?;
            }
        }
        let mut audited = Vec::with_capacity(functions.len());
        for (mut function, group) in functions {
            match log_group(&self.clients.logs, self.shared, &group).await {
                Ok(g) => function.log_group = Some(g),
                Err(f) => self.refused(f, format!("log group {}", esc(&group)), "logs:DescribeLogGroups")?,
            }
            audited.push(function);
        }
        audited.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Configuration {
            region,
            apis,
            functions: audited,
            gaps: std::mem::take(&mut self.gaps),
            missing_functions: std::mem::take(&mut self.missing),
        })
    }

    /// The functions whose log group is one of `selection.log_groups` (ListFunctions), the
    /// selection narrowed to them. When none logs to them (a note says so) or the listing is
    /// refused (a gap), the group names decide: [`AuditSelection::by_group_names`].
    async fn by_log_group(&mut self) -> Result<Vec<(FunctionConfig, String)>, CwError> {
        if let Some(found) = self.by_lambda_group_names().await {
            self.selection = self.selection.only(found.iter().map(|(f, _)| f.name.clone()).collect());
            return Ok(found);
        }
        let region = esc(&self.clients.logs.region);
        let listed = match functions::list_where(&self.clients.lambda, self.shared, &|_, _| true).await {
            Ok(listed) => Some(listed),
            Err(f) => {
                let what = format!("the Lambda functions of region {region} (to find whose log groups were read)");
                self.refused(f, what, "lambda:ListFunctions")?;
                None
            }
        };
        let listing_refused = listed.is_none();
        let (logging, others): (Vec<_>, Vec<_>) = listed
            .into_iter()
            .flatten()
            .partition(|(_, group)| self.selection.reads_group(group));
        if !logging.is_empty() {
            self.selection = self
                .selection
                .only(logging.iter().map(|(f, _)| f.name.clone()).collect());
            return Ok(logging);
        }
        let fallback = self.selection.by_group_names();
        if !listing_refused {
            let groups = match self.selection.log_groups.as_slice() {
                [one] => format!("log group {}", esc(one)),
                many => format!("any of the {} log groups read", many.len()),
            };
            let instead = if fallback.functions.is_empty() {
                format!("the functions whose name contains '{}'", esc(&fallback.pattern))
            } else {
                let names: Vec<String> = fallback.functions.iter().map(|n| esc(n)).collect();
                format!(
                    "the function named by each /aws/lambda/NAME group ({})",
                    names.join(", ")
                )
            };
            self.notes.push(format!(
                "no Lambda function in region {region} logs to {groups}; auditing {instead}"
            ));
        }
        self.selection = fallback;
        if self.selection.functions.is_empty() {
            // The pattern, out of the listing already made (none when it was refused: one gap is enough).
            let pattern = self.selection.pattern.clone();
            return Ok(others
                .into_iter()
                .filter(|(f, _)| crate::aws::groups::matches(&f.name, &pattern))
                .collect());
        }
        let mut found = Vec::new();
        for name in self.selection.functions.clone() {
            self.function(&name, Origin::Group, &mut found).await?;
        }
        Ok(found)
    }

    /// The functions of `/aws/lambda/NAME` groups, when every group read has that shape and each
    /// function NAME logs there: one GetFunctionConfiguration each instead of listing every function
    /// of the region (pages of 50 at `--max-tps`, seconds in a large account). `None` when any group
    /// has another shape or its function is missing, refused or logs elsewhere: the listing decides.
    async fn by_lambda_group_names(&self) -> Option<Vec<(FunctionConfig, String)>> {
        let names = self.selection.by_group_names().functions;
        if names.is_empty() || names.len() != self.selection.log_groups.len() {
            return None;
        }
        let mut found = Vec::with_capacity(names.len());
        for name in &names {
            let (function, group) = functions::get_function(&self.clients.lambda, self.shared, name)
                .await
                .ok()?;
            if !self.selection.reads_group(&group) {
                return None;
            }
            found.push((function, group));
        }
        Some(found)
    }

    /// One function by name or ARN into `into`. Not found: an error when the user named it, a
    /// missing function when an authorizer invokes it (a finding), else a gap; any other failure
    /// is a gap.
    async fn function(
        &mut self,
        name: &str,
        origin: Origin,
        into: &mut Vec<(FunctionConfig, String)>,
    ) -> Result<(), CwError> {
        match functions::get_function(&self.clients.lambda, self.shared, name).await {
            Ok(found) => into.push(found),
            Err(f) if is_not_found(&f) && origin == Origin::Named => {
                return Err(self.not_found(format!("function '{}'", esc(name)), LIST_FUNCTIONS));
            }
            Err(f) if is_not_found(&f) && origin == Origin::Invoked => self.missing.push(name.to_string()),
            Err(f) => self.refused(f, format!("function {}", esc(name)), "lambda:GetFunctionConfiguration")?,
        }
        Ok(())
    }

    /// The error for a function or API the user named that does not exist.
    fn not_found(&self, what: String, hint: &'static str) -> CwError {
        CwError::AuditTargetNotFound {
            what,
            region: esc(&self.clients.logs.region),
            profile: esc(&self.clients.logs.profile),
            hint,
        }
    }

    /// The HTTP APIs in scope with at least one audited Lambda authorizer, sorted by id.
    async fn apis(&mut self) -> Result<Vec<ApiConfig>, CwError> {
        let listed = match apis::list_apis(&self.clients.apigw, self.shared).await {
            Ok(listed) => listed,
            Err(f) => {
                let what = format!("the APIs of region {}", esc(&self.clients.logs.region));
                self.refused(f, what, APIGW_GET)?;
                return Ok(Vec::new());
            }
        };
        for id in &self.selection.api_ids {
            match listed.iter().find(|a| &a.api_id == id) {
                None => return Err(self.not_found(format!("API '{}'", esc(id)), LIST_APIS)),
                Some(api) if api.protocol_type != "HTTP" => self.notes.push(format!(
                    "API {} is a {} API: the audit reads HTTP APIs only",
                    esc(id),
                    esc(&api.protocol_type)
                )),
                Some(_) => {}
            }
        }
        // GetAuthorizers is tried once per run: a server that refuses it (moto answers 500) is
        // not asked again, each API's authorizers are found through its routes instead.
        let mut listing_works = true;
        let mut found = Vec::new();
        for api in listed {
            // Only HTTP APIs: a WebSocket API's authorizer is not cached per identity source the same way.
            if api.protocol_type != "HTTP" || !self.selection.wants_api(&api.api_id) {
                continue;
            }
            if let Some(config) = self.api(api, &mut listing_works).await? {
                found.push(config);
            }
        }
        found.sort_by(|a, b| a.api_id.cmp(&b.api_id));
        Ok(found)
    }

    /// Whether `a` is audited: a Lambda (`REQUEST`) authorizer invoking a selected function.
    fn audits(&self, a: &AuthorizerConfig) -> bool {
        a.authorizer_type == "REQUEST"
            && a.function_arn
                .as_deref()
                .is_some_and(|arn| self.selection.wants(function_name(arn)))
    }

    /// One API's routes, audited authorizers and stages; `None` when none of its authorizers is audited.
    async fn api(&mut self, api: ApiSummary, listing_works: &mut bool) -> Result<Option<ApiConfig>, CwError> {
        let id = esc(&api.api_id);
        let mut listed = None;
        if *listing_works {
            // One try, outside the run's retry policy: a refusal here costs nothing, the routes
            // answer. It waits its turn in the run's limiter, so the rate holds.
            self.shared.limiter.acquire().await;
            let probe = Shared::new(f64::MAX, 1);
            match apis::list_authorizers(&self.clients.apigw, &probe, &api.api_id).await {
                Ok(all) => listed = Some(all),
                Err(_) => *listing_works = false,
            }
        }
        // Listed, an API none of whose authorizers is audited costs one call, not its routes too:
        // a region's other APIs (up to hundreds) are passed over at that price.
        if listed.as_ref().is_some_and(|all| !all.iter().any(|a| self.audits(a))) {
            return Ok(None);
        }
        let routes = match apis::routes(&self.clients.apigw, self.shared, &api.api_id).await {
            Ok(routes) => routes,
            Err(f) => {
                self.refused(f, format!("the routes of API {id}"), APIGW_GET)?;
                Vec::new()
            }
        };
        let authorizers = match listed {
            Some(all) => all,
            None => {
                let ids: BTreeSet<&str> = routes.iter().filter_map(|r| r.authorizer_id.as_deref()).collect();
                let mut all = Vec::new();
                for authorizer_id in ids {
                    match apis::get_authorizer(&self.clients.apigw, self.shared, &api.api_id, authorizer_id).await {
                        Ok(a) => all.push(a),
                        Err(f) => {
                            self.refused(f, format!("authorizer {} of API {id}", esc(authorizer_id)), APIGW_GET)?
                        }
                    }
                }
                all
            }
        };
        let mut audited: Vec<AuthorizerConfig> = authorizers.into_iter().filter(|a| self.audits(a)).collect();
        if audited.is_empty() {
            return Ok(None);
        }
        audited.sort_by(|a, b| a.authorizer_id.cmp(&b.authorizer_id));
        let stages = match apis::stages(&self.clients.apigw, self.shared, &api.api_id).await {
            Ok(stages) => stages,
            Err(f) => {
                self.refused(f, format!("the stages of API {id}"), APIGW_GET)?;
                Vec::new()
            }
        };
        Ok(Some(ApiConfig {
            api_id: api.api_id,
            name: api.name,
            protocol_type: api.protocol_type,
            authorizers: audited,
            routes,
            stages,
        }))
    }
}
