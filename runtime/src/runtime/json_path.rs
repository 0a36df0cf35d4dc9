//! The path of the value at a position of a JSON text (`users[3].email`),
//! for naming where a body failed to decode.
//!
//! Bodies are decoded by plain `serde_json`, which reports a failure's line
//! and column; this module turns the position back into a path by scanning
//! the text, once, after a failure. Tracking the path while decoding
//! (`serde_path_to_error`) would wrap every visitor of every response type in
//! a second deserializer type: twice the code in each binary that decodes,
//! to serve only the failures.
//!
//! The path is written as `serde_path_to_error` writes it: keys joined by
//! `.`, array indices as `[i]`, and `.` for the whole value.

/// One open array or object, and whether the scan is inside its current
/// member's value.
enum Frame {
    Object { key: Option<String>, in_value: bool },
    Array { index: usize, in_value: bool },
}

impl Frame {
    fn enter(&mut self) {
        match self {
            Frame::Object { in_value, .. } | Frame::Array { in_value, .. } => *in_value = true,
        }
    }

    fn leave(&mut self) {
        match self {
            Frame::Object { in_value, .. } | Frame::Array { in_value, .. } => *in_value = false,
        }
    }
}

/// The path where decoding `text` failed with `e`.
pub(crate) fn of_error(text: &[u8], e: &serde_json::Error) -> String {
    // At the end of the input, every value read so far is complete: the
    // failure is in the containers still open.
    if e.is_eof() {
        return path_at(text, text.len(), false);
    }
    let mut at = offset(text, e.line(), e.column());
    if e.is_data() {
        // A value of the wrong type or shape is placed on the last byte
        // read before it: an opening bracket, a separator or a space when
        // the value is an array or object. The value that failed is the
        // next one.
        if matches!(text.get(at), Some(b'[' | b'{')) {
            at += 1;
        }
        while text.get(at).is_some_and(|&b| is_space(b) || matches!(b, b':' | b',')) {
            at += 1;
        }
    }
    // A syntax error is placed on the byte it is about, in the context of
    // what came before it.
    path_at(text, at, !e.is_data())
}

/// The path of the value that holds byte `at` of `text`.
pub(crate) fn of_offset(text: &[u8], at: usize) -> String {
    path_at(text, at, false)
}

/// The byte offset of a 1-based `line` and `column` (bytes) in `text`, as
/// `serde_json` reports them: the column is the last byte it read, 0 when
/// it read none of the line yet.
pub(crate) fn offset(text: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].iter().position(|&b| b == b'\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    (start + column.saturating_sub(1)).min(text.len())
}

/// The path of the innermost value of `text` that holds byte `at`: the
/// value itself when `at` is inside a scalar or starts a value (unless
/// `before`), the container when it is on its closing bracket or between
/// its members. With `before`, the byte at `at` is not read: the path is
/// where the text stood just before it.
fn path_at(text: &[u8], at: usize, before: bool) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < text.len() && (i < at || (i == at && !before)) {
        match text[i] {
            b'{' | b'[' => {
                if let Some(top) = stack.last_mut() {
                    top.enter();
                }
                stack.push(if text[i] == b'{' {
                    Frame::Object { key: None, in_value: false }
                } else {
                    Frame::Array { index: 0, in_value: false }
                });
                i += 1;
            }
            b'}' | b']' => {
                if i == at {
                    break;
                }
                stack.pop();
                if let Some(top) = stack.last_mut() {
                    top.leave();
                }
                i += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Frame::Array { index, in_value }) => {
                        *index += 1;
                        *in_value = false;
                    }
                    Some(Frame::Object { key, in_value }) => {
                        *key = None;
                        *in_value = false;
                    }
                    None => {}
                }
                i += 1;
            }
            b':' => i += 1,
            b if is_space(b) => i += 1,
            _ => {
                let end = scalar_end(text, i);
                if let Some(Frame::Object { key: key @ None, in_value: false }) = stack.last_mut() {
                    // A key: its text, unescaped.
                    *key = Some(serde_json::from_slice::<String>(&text[i..end]).unwrap_or_default());
                } else if let Some(top) = stack.last_mut() {
                    top.enter();
                    // A syntax error right after a scalar (`tru}`) is about it.
                    if end > at || (before && end == at) {
                        break;
                    }
                    top.leave();
                }
                i = end;
            }
        }
    }
    render(&stack)
}

/// The end (exclusive) of the string, number or literal starting at `start`.
fn scalar_end(text: &[u8], start: usize) -> usize {
    let mut i = start;
    if text[i] == b'"' {
        i += 1;
        while i < text.len() {
            match text[i] {
                b'\\' => i += 2,
                b'"' => return i + 1,
                _ => i += 1,
            }
        }
        return text.len();
    }
    while i < text.len() && !is_space(text[i]) && !matches!(text[i], b',' | b'}' | b']' | b':') {
        i += 1;
    }
    i.max(start + 1)
}

/// JSON's whitespace.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The path of the open members, `.` when there is none.
fn render(stack: &[Frame]) -> String {
    let mut out = String::new();
    for frame in stack {
        match frame {
            Frame::Object { key: Some(key), in_value: true } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Frame::Array { index, in_value: true } => out.push_str(&format!("[{index}]")),
            _ => break,
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests;
