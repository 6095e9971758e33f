//! The argument groups `report` and `tail` share, each with the checks of its own options.

mod aws;

pub use aws::AwsArgs;
