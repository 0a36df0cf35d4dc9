//! The methods named after an operation: its stream (`list_stream`), and
//! whether it gets a call built in place ([`crate::ir::Fluent`],
//! `update_with(id).blocked(true).await`) and its names. Decided here,
//! once, so that emit only writes them and the names are unique in the
//! group and among the operation module's types.

use super::Ctx;
use crate::ir::{BodyKind, Presence, RequestBody, Response, ResponseBody, Ty, TypeKind};
use crate::naming::{self, Namespace};

/// Whether a method or a group of the group's `members` has `name`.
pub(super) fn member_taken(members: &Namespace, name: &str) -> bool {
    members.contains(name) || members.contains(&format!("group:{name}"))
}

/// `base` as a method of the group, reserved: itself when no member has
/// it, else (`Err`, for the caller's warning) made unique.
pub(super) fn claim_method(members: &mut Namespace, base: &str) -> Result<String, String> {
    if member_taken(members, base) {
        Err(members.unique(base))
    } else {
        members.reserve(base);
        Ok(base.to_string())
    }
}

impl<'a> Ctx<'a> {
    /// The name of a paged operation's stream, `<method>_stream`, reserved
    /// in its group; another member of that name (an operation the
    /// description calls `list_stream`) makes it unique, with a warning.
    pub(super) fn stream_name(
        &mut self,
        at: &crate::pointer::Pointer,
        method: &str,
        members: &mut Namespace,
    ) -> String {
        let base = naming::method_name(&format!("{method}_stream"));
        claim_method(members, &base).unwrap_or_else(|r| {
            self.diags.warning(
                at,
                format!("method name `{base}` is taken in its group; the stream of this operation is `{r}`"),
            );
            r
        })
    }

    /// The call built in place ([`crate::ir::Fluent`]), for a JSON body of
    /// a struct with no required field and a setter: `<method>_with` when
    /// no other member of the group has that name, no setter is named
    /// `send`, which the blocking call sends with, and no answer is an event
    /// stream.
    pub(super) fn fluent(
        &self,
        (body, responses): (&Option<RequestBody>, &[Response]),
        method: &str,
        members: &mut Namespace,
        stems: &mut Namespace,
        stem: &str,
    ) -> Option<crate::ir::Fluent> {
        let content = body.as_ref().filter(|b| b.required)?.contents.first()?;
        // An event stream's blocking answer is an iterator, not the call's.
        if content.kind != BodyKind::Json || responses.iter().any(|r| matches!(r.body, ResponseBody::EventStream(_))) {
            return None;
        }
        let mut ty = &content.ty;
        let fields = loop {
            let Ty::Named(id) = ty else { return None };
            match &self.types.get(id.0)?.as_ref()?.kind {
                TypeKind::Alias(t) => ty = t,
                TypeKind::Struct(s) => break &s.fields,
                _ => return None,
            }
        };
        let settable = |f: &&crate::ir::Field| !f.read_only && !f.setter.name.is_empty();
        if fields.iter().any(|f| f.presence == Presence::Required)
            || !fields.iter().any(|f| settable(&f))
            || fields.iter().filter(settable).any(|f| f.setter.name == "send")
        {
            return None;
        }
        let name = naming::method_name(&format!("{method}_with"));
        if member_taken(members, &name) {
            return None;
        }
        members.reserve(&name);
        Some(crate::ir::Fluent { method: name, call: stems.unique(&format!("{stem}Call")) })
    }
}
