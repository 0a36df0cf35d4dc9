//! Unit tests of `tagged.rs` (not copied into generated crates).

use super::*;
use serde_json::json;

#[test]
fn variants_knowing_every_property_come_first() {
    let offset: &[&str] = &["start", "limit", "total", "users"];
    let checkpoint: &[&str] = &["next", "users"];
    let order = variant_order(&json!({"next": "x", "users": []}), &[None, Some(offset), Some(checkpoint)]);
    assert_eq!(order, [2, 0, 1]);
    let order = variant_order(&json!({"start": 0, "users": []}), &[None, Some(offset), Some(checkpoint)]);
    assert_eq!(order, [1, 0, 2]);
    assert_eq!(variant_order(&json!([1]), &[None, Some(offset)]), [0, 1]);
}
