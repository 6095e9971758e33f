//! The scenario's fixed facts: the authorizer's configuration, the time span, the outages and the error texts.

pub const ALLOWED_IP: &str = "203.0.113.10";
pub const ALLOWED_TOKEN: &str = "Ab12Xy34";
/// 2025-07-14T01:00:00Z: the traffic runs from here for `SPAN_MS`.
pub const T0: i64 = 1_752_454_800_000;
pub const SPAN_MS: i64 = 15 * 60 * 1000;
/// The authorizer's `authorizerResultTtlInSeconds` (CDK's default): 300 s.
pub const CACHE_TTL_MS: i64 = 300_000;
/// No IP sends two requests closer than this: the join can then always tell a request's own
/// invocation (it starts at most 300 ms after the request) from a later request, even with the
/// CLF's second-precision times (see `join_check`).
pub const MIN_GAP_MS: i64 = 2_500;
/// authlogs' default `--join-window`.
pub const JOIN_WINDOW_MS: i64 = 10_000;
pub const PERMISSION_ERROR: &str =
    "The IAM role configured on the authorizer or API Gateway doesn't have permissions to \
                                call the authorizer. Check the permissions and try again.";
/// A deploy broke API Gateway's permission to invoke the authorizer from 575 s to 610 s: every
/// cache miss then fails with a 500 and no invocation (cache hits still work).
pub const PERMISSION_OUTAGE: (i64, i64) = (575_000, 610_000);
/// The first invocation for a request at or after each of these offsets hangs until the function's
/// 3 s timeout: the caller gets a 500 and nothing is cached.
pub const TIMEOUTS_AT: [i64; 3] = [200_000, 470_000, 740_000];
/// The routes' backend fails from 380 s to 395 s (allowed requests get a 500 with an integration
/// error), and at random 1 % of the time.
pub const BACKEND_OUTAGE: (i64, i64) = (380_000, 395_000);
pub const BACKEND_ERROR: &str =
    "The Lambda function returned the following error: Runtime.ExitError. Check your Lambda \
                             function code and try again.";
pub const RUNTIME_ARN: &str =
    "arn:aws:lambda:ap-northeast-1::runtime:6b9e6bdace9349e61d853adcfe031f7dbe39dd1762b0b2fcd6532dc5792399ca";
/// The `requestContext.requestId` of the developer's console test event (copied from AWS's example).
pub const CONSOLE_API_REQUEST_ID: &str = "JKJaXmPLvHcESHA=";
