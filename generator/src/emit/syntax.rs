//! Small syntax trees built directly, for the items [`super::prebuilt`] fills in: parts that
//! differ per type and are too many to parse back (a `Debug` impl's field chain, an enum's
//! `match` arms). Each is what syn would parse from the same tokens.

use proc_macro2::{Ident, Span};
use syn::punctuated::Punctuated;
use syn::{Expr, Token};

/// A string literal expression, `"text"`.
pub fn str_lit(text: &str) -> Expr {
    Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::Str(syn::LitStr::new(text, Span::call_site())),
    })
}

/// A path of plain segments, `Self::Variant`.
pub fn path(segments: &[&Ident]) -> syn::Path {
    syn::Path {
        leading_colon: None,
        segments: segments
            .iter()
            .map(|segment| syn::PathSegment::from((*segment).clone()))
            .collect(),
    }
}

/// A path expression, `Self::Variant`.
pub fn path_expr(segments: &[&Ident]) -> Expr {
    Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path: path(segments),
    })
}

/// `receiver.method(args…)`.
pub fn method_call(receiver: Expr, method: &str, args: Vec<Expr>) -> Expr {
    Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: <Token![.]>::default(),
        method: super::ident(method),
        turbofish: None,
        paren_token: syn::token::Paren::default(),
        args: args.into_iter().collect::<Punctuated<Expr, Token![,]>>(),
    })
}

/// `function(args…)`.
pub fn call(function: Expr, args: Vec<Expr>) -> Expr {
    Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(function),
        paren_token: syn::token::Paren::default(),
        args: args.into_iter().collect(),
    })
}

/// `&self.field`.
pub fn self_field_ref(field: &Ident) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: <Token![&]>::default(),
        mutability: None,
        expr: Box::new(Expr::Field(syn::ExprField {
            attrs: Vec::new(),
            base: Box::new(path_expr(&[&super::ident("self")])),
            dot_token: <Token![.]>::default(),
            member: syn::Member::Named(field.clone()),
        })),
    })
}

/// A `match` arm `pat => body,`.
pub fn arm(pat: syn::Pat, body: Expr) -> syn::Arm {
    syn::Arm {
        attrs: Vec::new(),
        pat,
        guard: None,
        fat_arrow_token: <Token![=>]>::default(),
        body: Box::new(body),
        comma: Some(<Token![,]>::default()),
    }
}

/// A pattern that is a path, `Self::Variant`.
pub fn path_pat(segments: &[&Ident]) -> syn::Pat {
    syn::Pat::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path: path(segments),
    })
}

/// A pattern that is a string literal, `"text"`.
pub fn str_pat(text: &str) -> syn::Pat {
    syn::Pat::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::Str(syn::LitStr::new(text, Span::call_site())),
    })
}
