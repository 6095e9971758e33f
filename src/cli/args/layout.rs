//! How a command words and orders the options it takes from shared groups. Clap lists a flattened
//! group's options where the group is declared and words them as the group does; `report` and
//! `tail` each keep their own `--help` by stating the wording and the order they show.

use clap::Command;

/// A command's wording and order of its options, applied once clap has built it (as
/// `#[command(help_texts = …, option_order = …)]` on the command's argument struct).
pub(crate) trait Layout {
    /// Replaces the help of each option named by its id, as clap shows a one-paragraph doc
    /// comment (no final period).
    fn help_texts(self, texts: &[(&str, &'static str)]) -> Self;
    /// Lists the options in `--help` and the man page in this order, by id.
    fn option_order(self, ids: &[&str]) -> Self;
}

impl Layout for Command {
    fn help_texts(self, texts: &[(&str, &'static str)]) -> Command {
        texts
            .iter()
            .fold(self, |cmd, &(id, help)| cmd.mut_arg(id, |arg| arg.help(help)))
    }

    fn option_order(self, ids: &[&str]) -> Command {
        ids.iter()
            .enumerate()
            .fold(self, |cmd, (i, &id)| cmd.mut_arg(id, |arg| arg.display_order(i)))
    }
}

/// The options of `cmd` that `order` misses or names twice or names but `cmd` lacks: what a
/// command's order list must not have (its test asserts none).
#[cfg(test)]
pub(crate) fn misordered(cmd: &Command, order: &[&str]) -> Vec<String> {
    let options: Vec<&str> = cmd
        .get_arguments()
        .filter(|a| !a.is_positional())
        .map(|a| a.get_id().as_str())
        .collect();
    let mut wrong: Vec<String> = options
        .iter()
        .filter(|id| order.iter().filter(|o| o == id).count() != 1)
        .map(|id| format!("{id}: listed {} times", order.iter().filter(|o| o == &id).count()))
        .collect();
    wrong.extend(
        order
            .iter()
            .filter(|o| !options.contains(o))
            .map(|o| format!("{o}: no such option")),
    );
    wrong
}
