//! A Logs Insights evaluator for the tests (a test double, like moto; not part of authlogs): it
//! answers `StartQuery`/`GetQueryResults`/`StopQuery`/`DescribeQueries` by executing the query
//! over the events stored in moto, rejects what the docs call invalid with
//! `MalformedQueryException`, and forwards every other call to moto.
//!
//! What it follows (AWS's query-syntax guide): at most two `stats`; after the first `stats` only
//! fields that `stats` defines may be referenced (a `filter` on them is fine, a `fields … as` or a
//! `parse` there is not); `sort`/`limit` only after the last `stats`; no `bin()` in the second
//! `stats`; only documented functions; a query of at most 10,000 characters; `parse` with a regex
//! keeps non-matching events without the new fields; `count(f)` counts events where `f` is
//! present; `strcontains` gives 1/0; every result value is a string; null fields are left out of
//! a row; timestamps are `YYYY-MM-DD HH:MM:SS.mmm` UTC; Lambda's REPORT memory is in bytes.
//!
//! Where the docs are silent, the reading chosen (each one a place the real service may differ):
//! * Numbers are written like Java's `Double.toString`, as the published responses look (`"15.0"`,
//!   `"14.97"`, `"6.7E7"`, `"1.28E8"`): always a decimal point, E-notation from 10^7 up and below
//!   10^-3, shortest digits that read back exactly. Counts too (`"3.0"`, a count of 10^7 is
//!   `"1.0E7"`). Booleans are `"true"`/`"false"`.
//! * Text compares by its UTF-8 bytes in `min`/`max`/`sort`/`least`/`greatest`; a number against
//!   text that reads as a number compares numerically; text against text never does (`"10"` <
//!   `"9"`). `sortsFirst`/`sortsLast` are `min`/`max` by that order.
//! * Parsed fields are text; arithmetic reads text as a number when it is one, else gives null.
//!   Arithmetic, comparisons and functions over a null give null (`coalesce`, `ispresent`,
//!   `isempty`, `isblank` excepted; `least`/`greatest` skip nulls); division by 0 gives null;
//!   `and`/`or`/`not` take null as false. `filter` keeps a row whose condition is true or a
//!   non-zero number.
//! * A `parse` group that matched the empty string gives the field, with value `""` (present).
//! * `@requestId`: on START/END/REPORT lines the id after `RequestId: `; on any other line the
//!   first UUID in the message (public results show it on Python and Node app lines).
//! * `@type` is `START`/`END`/`REPORT` on those lines only. REPORT's `@duration`,
//!   `@billedDuration`, `@memorySize`, `@maxMemoryUsed` (MB × 10^6) and `@initDuration` are
//!   discovered; `Restore Duration` and `Status` are not (not in the documented field list).
//! * A JSON message's keys are fields (nested keys joined with `.`), without `@`: Lambda's JSON log
//!   format gets no `@type`, `@duration`… (the service documents discovery for the text format).
//! * `count_distinct` is exact (the service calls it approximate at high cardinality).
//! * `pct` is the nearest-rank percentile; `stddev` the sample standard deviation.
//! * `stats` groups come out in the order of their first row (rows in time order); a null `by`
//!   value is a group of its own, its field left out; a `stats` without `by` over no rows gives one
//!   row (counts 0, sums null). `sum` of no numbers is null; `earliest`/`latest` order by
//!   `@timestamp` (rows after a stats have none: first/last row seen).
//! * Every field a stats output reads must be inside an aggregate (`stats x` is rejected).
//! * `bin(n)`/`datefloor(t, n)` use the amount as written (no per-unit cap).
//! * The time range is `[startTime s, endTime s + 999 ms]` (both bounds inclusive seconds).
//! * `recordsScanned`: events in the range; `recordsMatched`: rows reaching the first `stats`
//!   (rows returned when there is none); `bytesScanned`: per event, message bytes + 26 (the
//!   per-event size of PutLogEvents' quota).
//! * Queries are executed at `StartQuery` (so a stopped query has scanned everything and is
//!   billed for it); status `Running` for the first `Options::running_polls` polls, then
//!   `Complete`; `StopQuery` of a running query cancels it (`success: true`), of a finished one
//!   answers `success: false`. Pages hold `maxItems` rows (default `Options::page_rows`, at most
//!   10,000) with a `nextToken`; StartQuery's `limit` (default 10,000) caps the rows.
//! * Documented commands and functions the evaluator does not execute (glob `parse`, `dedup`,
//!   `in […]`, `regexReplace` …) are answered `InvalidParameterException` ("the test evaluator
//!   does not implement …"), never with a made-up result.

mod ast;
mod compare;
mod differential;
mod eval;
mod fields;
mod funcs;
mod lexer;
mod parse;
mod rules;
mod server;

mod tests;
mod through_moto;
mod value;

#[allow(unused_imports)]
pub(crate) use compare::{approximate_fields, compare_engines, compare_engines_on, differences, EngineComparison};
#[allow(unused_imports)]
pub(crate) use server::{start_evaluator, start_evaluator_with, Evaluator, Options, QueryRecord};

/// A query parsed and checked against the documented rules.
pub(crate) fn prepare(text: &str) -> Result<ast::Query, rules::Rejection> {
    // The length first: the service refuses a long query whatever it says.
    rules::check_length(text)?;
    let query = parse::parse_query(text)?;
    rules::check(text, &query)?;
    Ok(query)
}
