//! Which list operations are paginated: optional integer query parameters `start` and `end`, and
//! a response object with a `totalCount` and exactly one list field (the items). Derived here,
//! from the shapes, so a new list operation gets its stream without any per-operation code.

use super::{Group, Pagination, ParamLocation, ResponseKind, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

pub fn derive(groups: &mut BTreeMap<String, Group>, types: &BTreeMap<String, TypeDef>) {
    for group in groups.values_mut() {
        for op in &mut group.operations {
            let position = |wire: &str| {
                op.params.iter().position(|p| {
                    p.wire == wire
                        && p.location == ParamLocation::Query
                        && !p.required
                        && matches!(p.ty, TypeRef::I32)
                })
            };
            let (Some(start_param), Some(end_param)) = (position("start"), position("end")) else {
                continue;
            };
            let ResponseKind::Json(TypeRef::Named(response)) = &op.response else {
                continue;
            };
            let Some(TypeDef {
                kind: TypeKind::Struct { fields, .. },
                ..
            }) = types.get(response)
            else {
                continue;
            };
            let Some(total) = fields
                .iter()
                .find(|f| f.wire == "totalCount" && matches!(f.ty, TypeRef::I32 | TypeRef::I64))
            else {
                continue;
            };
            let lists: Vec<_> = fields
                .iter()
                .filter(|f| matches!(f.ty, TypeRef::List(_)))
                .collect();
            let [items] = lists.as_slice() else { continue };
            // A list or a count that may be null as well as absent: not a page to stream.
            if items.presence.option_layers() > 1 || total.presence.option_layers() > 1 {
                continue;
            }
            let TypeRef::List(item) = &items.ty else {
                continue;
            };
            op.pagination = Some(Pagination {
                start_param,
                end_param,
                items_field: items.name.clone(),
                item: (**item).clone(),
                total_field: total.name.clone(),
                items_optional: items.presence.option_layers() == 1,
                total_optional: total.presence.option_layers() == 1,
            });
        }
    }
}
