//! Endpoint URLs as shown to the user: without their userinfo (a password in `--endpoint-url`), escaped.

use super::escape_control;

/// Where the userinfo of `url` (`user:password` of `scheme://user:password@host/…`) lies, if any.
fn userinfo(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    // The last `@`: a password may itself hold one, a host name cannot.
    authority.rsplit_once('@').map(|(info, _)| info)
}

/// `url` fit to print: its userinfo replaced by `***` (so `http://u:pw@host` shows as
/// `http://***@host`: the user sees that credentials were given, never what they are) and
/// control characters escaped, since the URL may come from a server (a redirect's `Location`).
pub fn display_url(url: &str) -> String {
    escape_control(&scrub_userinfo(url, url)).into_owned()
}

/// `text` with the userinfo of `url` replaced by `***` wherever it appears: for messages of the
/// SDK or the network stack that may quote the endpoint they were given.
pub fn scrub_userinfo(text: &str, url: &str) -> String {
    match userinfo(url) {
        Some(info) if !info.is_empty() => text.replace(&format!("{info}@"), "***@"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_never_shown() {
        assert_eq!(
            display_url("http://u:pw@127.0.0.1:4566/x"),
            "http://***@127.0.0.1:4566/x"
        );
        assert_eq!(display_url("https://a:b@c@host/p?q=1@2"), "https://***@host/p?q=1@2");
        assert_eq!(display_url("u:pw@host:1"), "***@host:1");
        assert_eq!(display_url("http://127.0.0.1:4566"), "http://127.0.0.1:4566");
        assert_eq!(display_url("http://h/\u{1b}[31m@x"), "http://h/\\x1b[31m@x");
        assert_eq!(
            scrub_userinfo("error sending to http://u:pw@h/: refused", "http://u:pw@h/"),
            "error sending to http://***@h/: refused"
        );
    }
}
