//! Spec prose made safe for rustdoc's Markdown, one line at a time.
//!
//! Descriptions are written for web pages: `https://<tenant>.auth0.com`
//! would lose `<tenant>` (rustdoc takes it for an unclosed HTML tag and
//! hides it), `[JWT]` asks for an intra-doc link that does not exist, and
//! bare URLs are not links. Outside code spans, this escapes tag-like `<`
//! that are not HTML elements, brackets that do not form a Markdown link,
//! and wraps bare URLs in `<...>`. Real HTML (`<code>`, `<a href>`),
//! Markdown links and code spans are left as they are.

/// HTML elements that spec prose uses as markup (kept as tags).
const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
];

/// Escapes one line of prose (not inside a code fence).
pub(crate) fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let segments: Vec<&str> = line.split('`').collect();
    // An unmatched last backtick starts no code span.
    let closed = if segments.len() % 2 == 0 { segments.len() - 1 } else { segments.len() };
    for (i, seg) in segments.iter().enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 && i < closed {
            out.push_str(seg);
        } else {
            escape_text(seg, &mut out);
        }
    }
    out
}

fn escape_text(text: &str, out: &mut String) {
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let prev = text[..i].chars().next_back();
        if rest.starts_with('<') {
            if !is_markup(rest) {
                out.push_str("&lt;");
                i += 1;
                continue;
            }
        } else if rest.starts_with('[') && prev != Some(']') {
            if let Some(len) = plain_brackets(rest) {
                out.push_str("\\[");
                out.push_str(&rest[1..len - 1]);
                out.push_str("\\]");
                i += len;
                continue;
            }
        } else if (rest.starts_with("http://") || rest.starts_with("https://"))
            && !matches!(prev, Some('<' | '"' | '\'' | '/' | '['))
            && !prev.is_some_and(|c| c.is_alphanumeric())
            && !text[..i].ends_with("](")
        {
            let len = url_len(rest);
            if rest[len..].starts_with('<') {
                // `https://<tenant>.auth0.com`: a template, not a link.
                out.push_str(&rest[..len]);
            } else {
                out.push('<');
                out.push_str(&rest[..len]);
                out.push('>');
            }
            i += len;
            continue;
        }
        let c = rest.chars().next().unwrap_or_default();
        out.push(c);
        i += c.len_utf8();
    }
}

/// Whether `<...` starts an HTML element the prose means, an autolink or
/// something rustdoc does not read as a tag (`a < b`, `<=`).
fn is_markup(rest: &str) -> bool {
    let after = rest[1..].strip_prefix('/').unwrap_or(&rest[1..]);
    if !after.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return true;
    }
    if after.starts_with("http://") || after.starts_with("https://") || after.starts_with("mailto:") {
        return true;
    }
    let name: String = after.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    let ends = after[name.len()..].starts_with(['>', ' ', '/', '\t']) || after.len() == name.len();
    ends && HTML_TAGS.contains(&name.to_ascii_lowercase().as_str())
}

/// The length of `[...]` when it is not a Markdown link (`[t](u)`, `[t][r]`,
/// `[r]: u`) and holds text rustdoc would take for an intra-doc link.
fn plain_brackets(rest: &str) -> Option<usize> {
    let close = rest.find(']')?;
    let inner = &rest[1..close];
    if inner.is_empty() || inner.contains('[') {
        return None;
    }
    let after = &rest[close + 1..];
    if after.starts_with(['(', '[', ':']) {
        return None;
    }
    Some(close + 1)
}

/// The length of a bare URL, without trailing punctuation.
fn url_len(rest: &str) -> usize {
    let mut len =
        rest.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`')).unwrap_or(rest.len());
    loop {
        let url = &rest[..len];
        match url.chars().next_back() {
            Some('.' | ',' | ';' | ':' | '!' | '?') => len -= 1,
            Some(')') if url.matches('(').count() < url.matches(')').count() => len -= 1,
            _ => return len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::escape_line;

    #[test]
    fn placeholders_are_not_tags() {
        assert_eq!(escape_line("https://<tenant>.auth0.com/api"), "https://&lt;tenant>.auth0.com/api");
        assert_eq!(escape_line("Use <domain> here."), "Use &lt;domain> here.");
        assert_eq!(
            escape_line("a <code>b</code> <a href=\"x\">c</a> <br/>"),
            "a <code>b</code> <a href=\"x\">c</a> <br/>"
        );
        assert_eq!(escape_line("x < y and a<=b"), "x < y and a<=b");
    }

    #[test]
    fn brackets_that_are_not_links() {
        assert_eq!(escape_line("a [JWT] b"), "a \\[JWT\\] b");
        assert_eq!(escape_line("see [docs](https://x.io) and [ref][1]"), "see [docs](https://x.io) and [ref][1]");
        assert_eq!(escape_line("[1]: https://x.io"), "[1]: <https://x.io>");
        assert_eq!(escape_line("empty [] stays"), "empty [] stays");
    }

    #[test]
    fn bare_urls_become_links() {
        assert_eq!(escape_line("See https://auth0.com/docs."), "See <https://auth0.com/docs>.");
        assert_eq!(escape_line("(https://a.io/x_(y))"), "(<https://a.io/x_(y)>)");
        assert_eq!(escape_line("at https://a.io/x_(y)), then"), "at <https://a.io/x_(y)>), then");
        assert_eq!(escape_line("<https://a.io> and href=\"https://b.io\""), "<https://a.io> and href=\"https://b.io\"");
    }

    #[test]
    fn code_spans_are_left_alone() {
        assert_eq!(escape_line("`<tenant>` and `[x]` and <tenant>"), "`<tenant>` and `[x]` and &lt;tenant>");
        assert_eq!(escape_line("an odd ` backtick [x]"), "an odd ` backtick \\[x\\]");
        assert_eq!(escape_line("ünï <cödé> [ä]"), "ünï &lt;cödé> \\[ä\\]");
    }
}
