//! A hostile CloudWatch Logs endpoint on loopback, started by each test, and the cases it drives
//! (issue 30): cycling page tokens, Insights numbers past their range, server text with escapes.

mod cases;
mod cases_access;
mod cases_errors;
mod cases_groups;
mod expect;
mod server;
