//! The size of one event as its bytes arrive, whatever the line ends and chunk boundaries.

use super::*;

#[test]
fn an_event_is_counted_until_its_blank_line_whatever_the_line_ends() {
    let mut size = EventSize { at_line_start: true, ..EventSize::default() };
    // 9 bytes of fields, then a blank line (`\r\n\r\n`, split across chunks).
    assert!(size.fits(b"data: abc\r\n\r", 9));
    assert!(size.fits(b"\n", 9));
    assert_eq!(size.bytes, 0);
    // `\n\n` and `\r\r` end events too; a lone line end does not.
    assert!(size.fits(b"id: 1\ndata: 2\n", 20));
    assert_eq!(size.bytes, 12);
    assert!(size.fits(b"\n", 20));
    assert!(size.fits(b"data: x\r\r", 20));
    assert_eq!(size.bytes, 0);
    // One byte over the limit, however it arrives.
    assert!(size.fits(b"data: 12", 10));
    assert!(!size.fits(b"345", 10));
}
