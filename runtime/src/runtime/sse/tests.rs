//! The size of one event as its bytes arrive, whatever the line ends and chunk boundaries;
//! the bounded memory of ids that tells replays from new events.

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

#[test]
fn an_id_is_a_replay_only_on_a_later_connection_than_the_one_that_brought_it() {
    let mut recent = RecentIds::default();
    assert!(recent.insert("e1", 0));
    // Again on its own connection (an event without an `id` field): no replay, not new.
    assert!(!recent.is_replay("e1", 0));
    assert!(!recent.insert("e1", 0));
    assert!(recent.is_replay("e1", 1));
    assert!(!recent.is_replay("e2", 1));
    assert!(recent.insert("e2", 1));
    assert!(!recent.is_replay("e2", 1));
    assert!(recent.is_replay("e2", 2));
}

#[test]
fn the_remembered_ids_are_bounded_in_number_and_bytes() {
    let mut recent = RecentIds::default();
    for i in 0..3 * REMEMBERED_IDS {
        assert!(recent.insert(&format!("id-{i}"), 0));
    }
    assert_eq!(recent.order.len(), REMEMBERED_IDS);
    assert_eq!(recent.connection.len(), REMEMBERED_IDS);
    // The oldest are forgotten, the latest kept.
    assert!(!recent.is_replay("id-0", 1));
    assert!(recent.is_replay(&format!("id-{}", 3 * REMEMBERED_IDS - 1), 1));
    assert!(recent.is_replay(&format!("id-{}", 2 * REMEMBERED_IDS), 1));
    assert!(!recent.is_replay(&format!("id-{}", 2 * REMEMBERED_IDS - 1), 1));

    // Long ids: at most the byte budget, but always the last one.
    let long = |c: char| c.to_string().repeat(REMEMBERED_ID_BYTES / 4);
    for c in ['a', 'b', 'c', 'd', 'e', 'f'] {
        recent.insert(&long(c), 0);
        assert!(recent.bytes <= REMEMBERED_ID_BYTES, "{}", recent.bytes);
        assert_eq!(recent.bytes, recent.order.iter().map(String::len).sum::<usize>());
    }
    assert!(recent.is_replay(&long('f'), 1));
    assert!(!recent.is_replay(&long('a'), 1));
    let huge = "x".repeat(2 * REMEMBERED_ID_BYTES);
    assert!(recent.insert(&huge, 0));
    assert_eq!(recent.order.len(), 1);
    assert!(recent.is_replay(&huge, 1));
}

#[test]
fn the_stalled_error_says_why_the_stream_ended() {
    let e = EventError::Stalled { reconnects: 2, last_event_id: "e9".to_string(), replayed: 0 };
    assert_eq!(
        e.to_string(),
        "event stream stalled: 2 reconnections in a row after event `e9` brought no new event (0 replayed)"
    );
}
