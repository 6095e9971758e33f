//! The Java and .NET runtimes' lines for an exception that escaped the handler, told apart from an
//! application's own error lines.

/// The first line of a multi-line event: its lines are joined by `\n`, or by `\r` when the runtime
/// wrote through stdout.
fn head(msg: &str) -> &str {
    let end = memchr::memchr2(b'\n', b'\r', msg.as_bytes()).unwrap_or(msg.len());
    &msg[..end]
}

/// Java's runtime client logs an exception that escaped the handler as `<message>: <class>`, then
/// its stack trace (`UserFault.reportableError`). The order matters: a stack trace an application
/// prints itself begins `<class>: <message>`, and must not fail its invocation.
pub(super) fn java_fault(msg: &str) -> bool {
    match head(msg).rsplit_once(": ") {
        Some((text, class)) => !text.is_empty() && is_exception_class(class),
        None => false,
    }
}

/// .NET's host writes `Unhandled exception. System.X: …` when an exception escaped `Main` (a custom
/// runtime, a container without the runtime client): the process dies with the invocation.
pub(super) fn dotnet_crash(msg: &str) -> bool {
    msg.starts_with("Unhandled exception. ")
}

/// .NET's runtime support logs an exception that escaped the handler at level `fail` as the
/// exception's own text, `System.Exception: boom` then `   at …` lines: a qualified exception type
/// first, which an application's `LogError("…")` text does not have.
pub(super) fn dotnet_fault(text: &str) -> bool {
    let line = head(text);
    let class = line.split_once(": ").map_or(line, |(class, _)| class);
    is_exception_class(class)
}

/// A type name qualified by its namespace or package (`java.lang.IllegalStateException`,
/// `System.Net.Http.HttpRequestException`, `Outer$Inner` or `Outer+Inner` nested), ending in
/// `Exception` or `Error` as both platforms name them.
fn is_exception_class(name: &str) -> bool {
    let mut parts = 0;
    for part in name.split('.') {
        let b = part.as_bytes();
        match b.first() {
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {}
            _ => return false,
        }
        if !b
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$' | b'+'))
        {
            return false;
        }
        parts += 1;
    }
    parts >= 2 && (name.ends_with("Exception") || name.ends_with("Error"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_reportable_error_is_message_then_class() {
        assert!(java_fault(
            "boom: java.lang.RuntimeException\njava.lang.RuntimeException: boom\n\tat a.B.c(B.java:1)"
        ));
        assert!(java_fault(
            "null: java.lang.NullPointerException\rjava.lang.NullPointerException"
        ));
        assert!(java_fault(
            "Index 3 out of bounds: java.lang.ArrayIndexOutOfBoundsException"
        ));
        assert!(java_fault("x: com.example.Handler$Fault$InnerError"));
        // A stack trace an application printed, and lines that only look alike.
        assert!(!java_fault("java.lang.RuntimeException: boom"));
        assert!(!java_fault("\tat a.B.c(B.java:1)"));
        assert!(!java_fault(": java.lang.RuntimeException"));
        assert!(!java_fault("reason: RuntimeException"));
        assert!(!java_fault("see: docs.example.com"));
        assert!(!java_fault("status: java.lang.Thread"));
    }

    #[test]
    fn dotnet_lines_begin_with_the_exception_type() {
        assert!(dotnet_crash(
            "Unhandled exception. System.InvalidOperationException: no config"
        ));
        assert!(!dotnet_crash("Unhandled exceptions are counted"));
        assert!(dotnet_fault("System.Exception: boom\n   at Fn.Handler(String input)"));
        assert!(dotnet_fault(
            "System.Collections.Generic.KeyNotFoundException: The given key was not present"
        ));
        assert!(dotnet_fault("Amazon.DynamoDBv2.AmazonDynamoDBException"));
        assert!(!dotnet_fault("Could not reach System.Net: timeout"));
        assert!(!dotnet_fault("token mismatch: Exception"));
        assert!(!dotnet_fault("failed to call the user service"));
    }
}
